"""The audit trail through the web: every view and change is there, who may
read it, and it never holds the account or anything else sensitive."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from review_helpers import ACCOUNT, audit_rows

SENSITIVE = ("friend request", "Mr Smith", "A Parent", "parent@example.org", "Year 5", "Outside school hours only")


def _walk_through_everything(signed_in, filed):
    dsl = signed_in("dsl")
    dsl.get("/review/records")
    dsl.get("/review/records?kind=disclosure&status=received")
    for record in filed.values():
        dsl.get(f"/review/records/{record.reference}")
    disclosure = filed["disclosure"].reference
    dsl.post(f"/review/records/{disclosure}/status", {"to_status": "in_review", "reason": "Outside school hours only"})
    head = signed_in("head")
    proposal = filed["service_proposal"].reference
    head.get(f"/review/records/{proposal}")
    head.post(f"/review/records/{proposal}/status", {"to_status": "declined", "reason": "Outside school hours only"})
    office = signed_in("office")
    office.get(f"/review/records/{disclosure}")
    office.get("/review/audit")
    dsl.post("/review/logout", {})
    return dsl, head, office


def test_every_view_and_change_is_audited(signed_in, filed, session_factory):
    _walk_through_everything(signed_in, filed)
    events = [(row["username"], row["action"], row["outcome"], row["reference"]) for row in audit_rows(session_factory)]
    disclosure, proposal = filed["disclosure"].reference, filed["service_proposal"].reference
    expected = [
        ("dsl", "login_succeeded", "ok", None),
        ("dsl", "records_listed", "ok", None),
        ("dsl", "records_listed", "ok", None),
        *[("dsl", "record_viewed", "ok", record.reference) for record in filed.values()],
        ("dsl", "status_changed", "ok", disclosure),
        ("head", "login_succeeded", "ok", None),
        ("head", "record_viewed", "ok", proposal),
        ("head", "status_changed", "ok", proposal),
        ("office", "login_succeeded", "ok", None),
        ("office", "record_viewed", "denied", disclosure),
        ("office", "audit_viewed", "denied", None),
        ("dsl", "logout", "ok", None),
    ]
    assert events == expected
    assert {row["ip"] for row in audit_rows(session_factory)} == {"mockserver"}


def test_the_audit_trail_holds_no_account_names_contacts_or_reasons(signed_in, filed, session_factory):
    _walk_through_everything(signed_in, filed)
    signed_in("admin").get("/review/audit")
    with session_factory() as session:
        rows = session.execute(text("SELECT * FROM audit_events")).all()
    dump = " ".join(str(value) for row in rows for value in row)
    assert rows
    for secret in SENSITIVE + (ACCOUNT,):
        assert secret not in dump


@pytest.mark.parametrize("username", ["head", "dsl", "admin"])
def test_head_teacher_dsl_and_admin_read_the_audit_trail(signed_in, filed, session_factory, username):
    _walk_through_everything(signed_in, filed)
    page = signed_in(username).get("/review/audit")
    assert page.status == 200
    assert filed["disclosure"].reference in page.text and "record viewed" in page.text and "denied" in page.text
    for secret in SENSITIVE:
        assert secret not in page.text
    assert audit_rows(session_factory, action="audit_viewed", username=username)[0]["outcome"] == "ok"


def test_the_office_cannot_read_the_audit_trail(signed_in, filed, session_factory):
    page = signed_in("office").get("/review/audit")
    assert page.status == 403 and "audit trail" in page.text
    assert filed["disclosure"].reference not in page.text
    assert 'href="/review/audit"' not in signed_in("office").get("/review").text


def test_the_audit_page_filters(signed_in, filed):
    _walk_through_everything(signed_in, filed)
    head = signed_in("head")
    disclosure = filed["disclosure"].reference
    by_reference = head.get(f"/review/audit?reference={disclosure.lower()}").text
    assert by_reference.count("<tr>") - 1 == 3  # viewed by dsl, changed by dsl, refused to office
    by_user = head.get("/review/audit?username=office&action=record_viewed").text
    assert by_user.count("<tr>") - 1 == 1 and "denied" in by_user
    nonsense = head.get("/review/audit?action=drop_table&username=%3Cscript%3E").text
    assert "<script>" not in nonsense  # ignored filters, escaped echo


def test_the_audit_page_is_audited_with_its_filters(signed_in, session_factory):
    signed_in("dsl").get("/review/audit?username=office&page=2")
    [viewed] = audit_rows(session_factory, action="audit_viewed")
    assert viewed["detail"] == "username=office action=any reference=any page=2"
