"""Record lists and pages through the web: filters, the account shown as
text, status changes in the record's history, and a database that is down."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.records.crypto import RecordCipher, generate_key
from bot.records.repository import RecordRepository
from bot.web.app import create_app

from review_helpers import ACCOUNT, PASSWORD, Browser, audit_rows


def test_the_list_filters_by_kind_status_and_dates(signed_in, filed, repo, session_factory):
    with session_factory() as session:
        session.execute(
            text("UPDATE records SET created_at = :at WHERE reference = :reference"),
            {"at": dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc), "reference": filed["concern_report"].reference},
        )
        session.commit()
    repo.change_status(filed["disclosure"].reference, "in_review", "staff:dsl")
    person = signed_in("dsl")

    def shown(query: str):
        page = person.get(f"/review/records{query}").text
        return {kind for kind, record in filed.items() if record.reference in page}

    assert shown("") == set(filed)
    assert shown("?kind=service_proposal") == {"service_proposal"}
    assert shown("?status=in_review") == {"disclosure"}
    assert shown("?from=2025-03-01&to=2025-03-01") == {"concern_report"}
    assert shown("?to=2025-02-28") == set()
    assert shown("?from=2025-03-02") == set(filed) - {"concern_report"}
    assert [row["detail"] for row in audit_rows(session_factory, action="records_listed")][2] == (
        "kind=any status=in_review from=- to=- page=1 shown=1"
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("?kind=secret_files", "Choose a kind"),
        ("?status=deleted", "Choose a status"),
        ("?from=yesterday", "from date must be a date"),
        ("?from=2025-03-02&to=2025-03-01", "after the to date"),
    ],
)
def test_bad_filters_are_explained(signed_in, filed, query, message):
    response = signed_in("dsl").get(f"/review/records{query}")
    assert response.status == 400 and message in response.text
    assert filed["disclosure"].reference not in response.text


def test_the_list_shows_no_account_text(signed_in, filed):
    page = signed_in("dsl").get("/review/records").text
    assert "friend request" not in page and "A Parent" not in page


def test_the_list_pages(signed_in, repo):
    for number in range(55):
        repo.file("concern_report", f"account {number}", "parent", idempotency_key=f"many:{number}")
    person = signed_in("dsl")
    first = person.get("/review/records?kind=concern_report").text
    assert first.count('<th scope="row">') == 50 and "?kind=concern_report&amp;page=2" in first
    second = person.get("/review/records?kind=concern_report&page=2").text
    assert second.count('<th scope="row">') == 5 and "Newer records" in second and "Older records" not in second


def test_the_account_is_shown_as_text_never_as_html(signed_in, filed):
    page = signed_in("dsl").get(f"/review/records/{filed['disclosure'].reference}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; messages at night" in page
    assert '<div class="account">' in page


def test_a_lower_case_reference_finds_the_record(signed_in, filed):
    reference = filed["disclosure"].reference
    assert signed_in("dsl").get(f"/review/records/{reference.lower()}").status == 200


def test_a_status_change_is_in_the_history_and_the_audit_trail(signed_in, filed, repo, session_factory):
    reference = filed["concern_report"].reference
    person = signed_in("dsl")
    person.get(f"/review/records/{reference}")
    response = person.post(f"/review/records/{reference}/status", {"to_status": "in_review", "reason": "Spoke to the class teacher"})
    assert response.status == 303
    record = repo.get(reference)
    assert record.status == "in_review"
    assert [(h.from_status, h.to_status, h.changed_by) for h in record.history] == [
        (None, "received", "filer:parent"),
        ("received", "in_review", "staff:dsl"),
    ]
    page = person.get(f"/review/records/{reference}").text
    assert "Spoke to the class teacher" in page and "staff:dsl" in page
    assert '<option value="referred">' in page  # the next allowed steps
    [change] = audit_rows(session_factory, action="status_changed")
    assert change == {
        "username": "dsl", "action": "status_changed", "outcome": "ok", "reference": reference,
        "ip": "mockserver", "detail": "received -> in_review with reason",
    }


def test_an_impossible_change_is_refused_and_explained(signed_in, filed, repo, session_factory):
    reference = filed["disclosure"].reference
    person = signed_in("dsl")
    person.get(f"/review/records/{reference}")
    response = person.post(f"/review/records/{reference}/status", {"to_status": "referred"})
    assert response.headers["location"].endswith("?error=invalid")
    assert "not possible from the record" in person.get(response.headers["location"]).text
    assert repo.get(reference).status == "received"
    assert audit_rows(session_factory, action="status_changed")[0]["outcome"] == "refused"


def test_a_posted_status_that_is_not_a_status_is_not_written_anywhere(signed_in, filed, session_factory):
    reference = filed["disclosure"].reference
    person = signed_in("dsl")
    person.get(f"/review/records/{reference}")
    assert person.post(f"/review/records/{reference}/status", {"to_status": ACCOUNT}).status == 403
    assert ACCOUNT not in str(audit_rows(session_factory))


def test_an_overlong_reason_is_refused(signed_in, filed, repo):
    reference = filed["service_proposal"].reference
    head = signed_in("head")
    head.get(f"/review/records/{reference}")
    response = head.post(f"/review/records/{reference}/status", {"to_status": "approved", "reason": "x" * 2001})
    assert response.headers["location"].endswith("?error=reason_too_long")
    assert repo.get(reference).status == "pending"


def test_a_database_that_is_down_gives_a_polite_503(closed_session_factory, staff):
    broken = RecordRepository(closed_session_factory, RecordCipher([generate_key()]))
    app = create_app(repository=broken, name="review_db_down")
    person = Browser(app, origin=None)
    try:
        form = person.get("/review/login")
        assert form.status == 200  # the form itself needs no database
        response = person.post("/review/login", {"username": "dsl", "password": PASSWORD})
        assert response.status == 503
        assert "records database cannot be reached" in response.text and "Traceback" not in response.text
        response = person.get("/review/records", headers={"cookie": "review_session=some-token"})
        assert response.status == 503 and "Traceback" not in response.text
        assert response.headers["cache-control"] == "no-store"
    finally:
        person.close()


def test_an_undecryptable_record_gives_a_plain_500(signed_in, filed, repo, monkeypatch):
    from bot.records.errors import DecryptionError

    def broken(reference):
        raise DecryptionError("no key fits")

    monkeypatch.setattr(repo, "get", broken)
    response = signed_in("dsl").get(f"/review/records/{filed['disclosure'].reference}")
    assert response.status == 500 and "cannot be decrypted" in response.text and "no key fits" not in response.text


def test_database_work_runs_off_the_event_loop(signed_in, filed, repo, monkeypatch):
    import threading

    threads = []
    original = repo.get

    def spy(reference):
        threads.append(threading.current_thread())
        return original(reference)

    monkeypatch.setattr(repo, "get", spy)
    assert signed_in("dsl").get(f"/review/records/{filed['disclosure'].reference}").status == 200
    assert threads and threads[0] is not threading.main_thread()
