"""deploy/nginx/safeguarding-assistant.conf, run by Debian's nginx in front
of the running stack: the channels and the web app get through, Rasa's HTTP
API and the action server do not. The shipped file is used as it is, but for
its ports, certificate paths and log file (each replacement is checked)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from e2e.stack import ROOT, free_port

CONFIG = ROOT / "deploy" / "nginx" / "safeguarding-assistant.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _unavailable(reason: str) -> None:
    """Fail on CI (which installs everything), skip on a bare developer machine."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _self_signed(folder: Path) -> tuple:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"{CONFIG.name} no longer contains {old!r}: update this test"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def proxy(stack, tmp_path_factory):
    if not Path(NGINX).exists():
        _unavailable("nginx is not installed: apt-get install nginx (.ci/run does)")
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "logs").mkdir()
    cert, key = _self_signed(folder)
    http_port, https_port = free_port(), free_port()
    site = CONFIG.read_text(encoding="utf-8")
    for old, new in [
        ("server 127.0.0.1:5005;", f"server 127.0.0.1:{stack.rasa_port};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{stack.web_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/ssl/safeguarding-assistant/fullchain.pem", str(cert)),
        ("/etc/ssl/safeguarding-assistant/privkey.pem", str(key)),
        ("/var/log/nginx/safeguarding-assistant.access.log", str(folder / "logs" / "access.log")),
    ]:
        site = _replace(site, old, new)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    (folder / "nginx.conf").write_text(
        f"""
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""",
        encoding="utf-8",
    )
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")], stderr=subprocess.PIPE)
    base = f"https://localhost:{https_port}"
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health", context=context, timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield {"base": base, "http": f"http://127.0.0.1:{http_port}", "context": context, "folder": folder}
    process.terminate()
    process.wait(timeout=10)


def fetch(proxy, path: str, body: bytes = None, method: str = None, headers=None, base: str = None):
    request = urllib.request.Request((base or proxy["base"]) + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=proxy["context"], timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


JSON = {"Content-Type": "application/json"}


def test_the_channels_and_the_web_app_get_through(proxy):
    status, body = fetch(proxy, "/webhooks/rest/webhook", b'{"sender": "via-proxy", "message": "hello"}', headers=JSON)
    assert status == 200 and b"text" in body
    assert fetch(proxy, "/socket.io/?EIO=4&transport=polling")[0] == 200
    assert fetch(proxy, "/health") == (200, b'{"status":"ok"}')
    assert fetch(proxy, "/health/rasa")[0] == 200
    assert fetch(proxy, "/widget.js")[0] == 200
    assert fetch(proxy, "/review/login")[0] == 200


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/conversations/rest:via-proxy/tracker"),
        ("POST", "/conversations/rest:via-proxy/execute"),
        ("POST", "/conversations/rest:via-proxy/trigger_intent"),
        ("GET", "/status"),
        ("GET", "/version"),
        ("GET", "/domain"),
        ("PUT", "/model"),
        ("DELETE", "/model"),
        ("POST", "/model/parse"),
        ("GET", "/webhooks/rest/"),
        ("POST", "/webhooks/socketio/webhook"),
        ("POST", "/webhook"),  # the action server's path
        ("GET", "/actions"),
    ],
)
def test_the_rasa_api_and_the_action_server_are_not_exposed(proxy, stack, method, path):
    status, body = fetch(proxy, path + f"?token={stack.api_token}", b"{}" if method in ("POST", "PUT") else None, method=method, headers=JSON)
    assert status == 404, (method, path, status, body[:200])


def test_the_rest_webhook_takes_posts_only(proxy):
    assert fetch(proxy, "/webhooks/rest/webhook")[0] == 403


def test_plain_http_is_sent_to_https(proxy):
    request = urllib.request.Request(proxy["http"] + "/webhooks/rest/webhook", method="GET")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    assert caught.value.code == 301 and caught.value.headers["Location"].startswith("https://")


def test_a_client_cannot_choose_its_address_through_the_proxy(proxy, stack):
    # nginx replaces X-Forwarded-For with the real client (here 127.0.0.1,
    # which the per-address limit exempts). Were the spoofed address passed
    # on, the stack's per-address limit of 20 would refuse the 21st message.
    statuses = []
    for n in range(22):
        status, _ = fetch(
            proxy, "/webhooks/rest/webhook", f'{{"sender": "spoof{n}", "message": "hi"}}'.encode(),
            headers={**JSON, "X-Forwarded-For": "198.51.100.200"},
        )
        statuses.append(status)
        time.sleep(0.25)  # under nginx's own limit of 5 a second
    assert statuses == [200] * 22


def test_nginx_refuses_a_burst_itself(proxy):
    # 40 at once from one address: nginx lets 20 through at once (its burst)
    # and refuses the rest itself, whatever the speed of the machine
    from concurrent.futures import ThreadPoolExecutor

    def one(n):
        return fetch(proxy, "/webhooks/rest/webhook", f'{{"sender": "burst{n}", "message": "hi"}}'.encode(), headers=JSON)[0]

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(one, range(40)))
    assert statuses.count(429) >= 10 and set(statuses) <= {200, 429}


def test_the_access_log_holds_no_query_strings(proxy, stack):
    fetch(proxy, f"/status?token={stack.api_token}")
    log = (proxy["folder"] / "logs" / "access.log").read_text()
    assert "/status" in log and stack.api_token not in log
