"""Command line: `python -m bot <command>`. Run with --help for the list."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional


def _build_spacy(args: argparse.Namespace) -> int:
    from bot.nlp.build import build, describe

    print("spaCy pipeline:", describe(build()))
    return 0


def _model_hash(args: argparse.Namespace) -> int:
    from bot.model_cache import inputs_fingerprint

    print(inputs_fingerprint())
    return 0


def _ensure_model(args: argparse.Namespace) -> int:
    from bot.model_cache import ensure_model

    print("model:", ensure_model())
    return 0


def _nlu_gate(args: argparse.Namespace) -> int:
    from bot.evaluation import ReportError, check_intent_report

    try:
        result = check_intent_report(Path(args.report), args.min)
    except ReportError as exc:
        print(f"nlu-gate: {exc}", file=sys.stderr)
        return 2
    print("\n".join(result.lines()))
    return 0 if result.passed else 1


def _check_catalogue(args: argparse.Namespace) -> int:
    from bot.policy import load_catalogue
    from bot.replies import policy_answer
    from bot.school import load_school_profile

    catalogue = load_catalogue()
    school = load_school_profile()
    for intent in catalogue.topics:
        policy_answer(catalogue, school, intent)  # every placeholder resolves
    uncited = catalogue.uncited_clauses()
    print(f"{len(catalogue.clauses)} clauses, {len(catalogue.topics)} topics, school: {school.name}")
    if uncited:
        print("clauses no answer cites:", ", ".join(uncited), file=sys.stderr)
        return 1
    return 0


def _wait_ready(args: argparse.Namespace) -> int:
    """Wait until both servers answer, say where they are, then stay up
    (honcho stops every process when one exits)."""
    import signal
    import time
    import urllib.request

    checks = {
        "Rasa server": f"http://127.0.0.1:{args.rasa_port}/status",
        "action server": f"http://127.0.0.1:{args.actions_port}/health",
        "web app": f"http://127.0.0.1:{args.web_port}/health",
    }
    deadline = time.monotonic() + args.timeout
    pending = dict(checks)
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        print(f"ready: {name} at {url}", flush=True)
                        del pending[name]
            except OSError:
                pass
        time.sleep(1)
    if pending:
        print("not ready after %ds: %s" % (args.timeout, ", ".join(pending)), flush=True)
        return 1
    print(
        f"The assistant is running. Try the chat widget on the demo intranet page: "
        f"http://localhost:{args.web_port}/demo (REST for integrations: POST "
        f"http://localhost:{args.rasa_port}/webhooks/rest/webhook "
        '{"sender": "me", "message": "hello"}). Ctrl-C stops everything.',
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


def _web(args: argparse.Namespace) -> int:
    from bot.web.app import run

    run()
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build-spacy", help="build the spaCy pipeline into build/spacy").set_defaults(run=_build_spacy)
    sub.add_parser("model-hash", help="print the hash of the model's training inputs").set_defaults(run=_model_hash)
    sub.add_parser("ensure-model", help="train the model if its inputs changed").set_defaults(run=_ensure_model)
    sub.add_parser("check-catalogue", help="load and check the policy catalogue and school profile").set_defaults(
        run=_check_catalogue
    )
    gate = sub.add_parser("nlu-gate", help="fail when held-out intent accuracy is below the bar")
    gate.add_argument("--report", default="results/intent_report.json")
    gate.add_argument("--min", type=float, default=0.95)
    gate.set_defaults(run=_nlu_gate)
    ready = sub.add_parser("wait-ready", help="wait for the servers started by `make run`")
    ready.add_argument("--rasa-port", type=int, default=5005)
    ready.add_argument("--actions-port", type=int, default=5055)
    ready.add_argument("--web-port", type=int, default=8000)
    ready.add_argument("--timeout", type=int, default=300)
    ready.set_defaults(run=_wait_ready)
    sub.add_parser("web", help="serve the web app (review pages, widget, demo page)").set_defaults(run=_web)
    from bot.conversations import add_conversations_parser
    from bot.records.cli import add_records_parser

    add_conversations_parser(sub)
    from bot.users_cli import add_users_parser

    add_records_parser(sub)
    add_users_parser(sub)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
