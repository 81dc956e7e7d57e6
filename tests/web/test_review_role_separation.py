"""Role separation through the web pages: who sees which records, what a
direct address to a record gives, and who may change or decide what."""
from __future__ import annotations

import pytest

from review_helpers import ACCOUNT, audit_rows

OFFICE_KINDS = ("family_link_declaration", "service_proposal")
HIDDEN_FROM_OFFICE = ("disclosure", "concern_report")


def test_office_lists_only_declarations_and_proposals(signed_in, filed):
    page = signed_in("office").get("/review/records").text
    for kind in OFFICE_KINDS:
        assert filed[kind].reference in page
    for kind in HIDDEN_FROM_OFFICE:
        assert filed[kind].reference not in page
    assert '<option value="disclosure"' not in page and '<option value="concern_report"' not in page


def test_office_asking_for_disclosures_by_filter_gets_none(signed_in, filed):
    page = signed_in("office").get("/review/records?kind=disclosure").text
    assert filed["disclosure"].reference not in page and "No records match." in page


@pytest.mark.parametrize("kind", HIDDEN_FROM_OFFICE)
def test_office_opening_a_hidden_record_gets_404_and_is_audited(signed_in, filed, session_factory, kind):
    reference = filed[kind].reference
    response = signed_in("office").get(f"/review/records/{reference}")
    assert response.status == 404
    assert ACCOUNT not in response.text and reference not in response.text and "A Parent" not in response.text
    [attempt] = audit_rows(session_factory, action="record_viewed")
    assert attempt["username"] == "office" and attempt["outcome"] == "denied" and attempt["reference"] == reference


def test_a_missing_record_gives_the_same_404_but_is_audited_as_not_found(signed_in, filed, session_factory):
    office = signed_in("office")
    hidden = office.get(f"/review/records/{filed['disclosure'].reference}")
    missing = office.get("/review/records/MF-0000-0000")
    assert missing.status == hidden.status == 404
    assert missing.text.replace(filed["disclosure"].reference, "") == hidden.text.replace(filed["disclosure"].reference, "")
    outcomes = [row["outcome"] for row in audit_rows(session_factory, action="record_viewed")]
    assert outcomes == ["denied", "not_found"]


def test_dsl_and_head_teacher_open_a_disclosure(signed_in, filed, session_factory):
    reference = filed["disclosure"].reference
    for username in ("dsl", "head"):
        response = signed_in(username).get(f"/review/records/{reference}")
        assert response.status == 200 and reference in response.text
        assert "A Parent" in response.text and "parent@example.org" in response.text
    assert [(row["username"], row["outcome"]) for row in audit_rows(session_factory, action="record_viewed")] == [
        ("dsl", "ok"),
        ("head", "ok"),
    ]


def test_office_opens_a_proposal_but_gets_no_change_form(signed_in, filed):
    response = signed_in("office").get(f"/review/records/{filed['service_proposal'].reference}")
    assert response.status == 200 and 'action="/review/records/' not in response.text


@pytest.mark.parametrize("username", ["admin", "nobody"])
def test_an_account_without_a_record_role_sees_nothing(signed_in, directory, filed, session_factory, username):
    if username == "nobody":
        directory.create("nobody", "No Role", "correct horse battery staple", ["office"])
        directory.set_roles("nobody", ["admin"])  # then take the record role away
    person = signed_in(username)
    listing = person.get("/review/records")
    assert listing.status == 403
    for record in filed.values():
        assert record.reference not in listing.text
        assert person.get(f"/review/records/{record.reference}").status == 404
    assert 'href="/review/records"' not in person.get("/review").text
    outcomes = {(row["action"], row["outcome"]) for row in audit_rows(session_factory, username=username)}
    assert ("records_listed", "denied") in outcomes and ("record_viewed", "denied") in outcomes


def test_an_admin_who_is_also_dsl_sees_what_the_dsl_sees(signed_in, directory, filed):
    directory.set_roles("admin", ["admin", "dsl"])
    assert signed_in("admin").get(f"/review/records/{filed['disclosure'].reference}").status == 200


def test_only_allowed_transitions_are_offered(signed_in, filed):
    page = signed_in("dsl").get(f"/review/records/{filed['disclosure'].reference}").text
    assert '<option value="in_review">' in page and '<option value="closed">' in page
    for status in ("referred", "approved", "declined", "pending", "received"):
        assert f'<option value="{status}">' not in page


def test_the_dsl_cannot_decide_a_proposal(signed_in, filed, repo, session_factory):
    reference = filed["service_proposal"].reference
    person = signed_in("dsl")
    page = person.get(f"/review/records/{reference}").text
    assert "Approve or decline" not in page
    response = person.post(f"/review/records/{reference}/status", {"to_status": "approved", "reason": "fine by me"})
    assert response.status == 403
    assert repo.get(reference).status == "pending"
    [attempt] = audit_rows(session_factory, action="status_changed")
    assert (attempt["username"], attempt["outcome"], attempt["reference"]) == ("dsl", "denied", reference)


def test_the_office_cannot_change_a_declaration_or_touch_a_disclosure(signed_in, filed, repo):
    office = signed_in("office")
    office.get("/review/records")
    declaration = filed["family_link_declaration"].reference
    assert office.post(f"/review/records/{declaration}/status", {"to_status": "in_review"}).status == 403
    disclosure = filed["disclosure"].reference
    assert office.post(f"/review/records/{disclosure}/status", {"to_status": "closed"}).status == 404
    assert repo.get(declaration).status == "received" and repo.get(disclosure).status == "received"


def test_the_head_teacher_approves_with_a_reason(signed_in, filed, repo, session_factory):
    reference = filed["service_proposal"].reference
    head = signed_in("head")
    page = head.get(f"/review/records/{reference}").text
    assert "Approve or decline this proposal" in page and "required" in page
    response = head.post(f"/review/records/{reference}/status", {"to_status": "approved", "reason": "Class blog on the school platform"})
    assert response.status == 303 and response.headers["location"] == f"/review/records/{reference}?m=changed"
    record = repo.get(reference)
    assert record.status == "approved"
    last = record.history[-1]
    assert (last.from_status, last.to_status, last.changed_by, last.reason) == (
        "pending", "approved", "staff:head", "Class blog on the school platform"
    )
    after = head.get(response.headers["location"]).text
    assert "The status was changed." in after and "Class blog on the school platform" in after
    assert "Approve or decline" not in after  # final
    [change] = audit_rows(session_factory, action="status_changed")
    assert change["username"] == "head" and change["reference"] == reference
    assert change["detail"] == "pending -> approved with reason"
    assert "Class blog" not in str(audit_rows(session_factory))


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_without_a_reason_is_refused(signed_in, filed, repo, session_factory, reason):
    reference = filed["service_proposal"].reference
    head = signed_in("head")
    head.get(f"/review/records/{reference}")
    response = head.post(f"/review/records/{reference}/status", {"to_status": "declined", "reason": reason})
    assert response.status == 303 and response.headers["location"].endswith("?error=reason")
    assert "A reason is required" in head.get(response.headers["location"]).text
    assert repo.get(reference).status == "pending"
    [attempt] = audit_rows(session_factory, action="status_changed")
    assert attempt["outcome"] == "refused"


@pytest.fixture
def about_head(repo):
    return repo.file(
        "disclosure", "The head teacher messages pupils on WhatsApp", "parent",
        details={"about_head_teacher": True}, idempotency_key="test:about-head",
    )


def test_a_disclosure_about_the_head_teacher_is_hidden_from_the_head_teacher(signed_in, filed, about_head, session_factory):
    head = signed_in("head")
    assert about_head.reference not in head.get("/review/records").text
    assert filed["disclosure"].reference in head.get("/review/records").text  # other disclosures still shown
    response = head.get(f"/review/records/{about_head.reference}")
    assert response.status == 404 and "WhatsApp" not in response.text
    denied = [row for row in audit_rows(session_factory, action="record_viewed") if row["username"] == "head"]
    assert [row["outcome"] for row in denied] == ["denied"]


def test_the_dsl_sees_a_disclosure_about_the_head_teacher(signed_in, about_head):
    dsl = signed_in("dsl")
    assert about_head.reference in dsl.get("/review/records").text
    response = dsl.get(f"/review/records/{about_head.reference}")
    assert response.status == 200 and "WhatsApp" in response.text


def test_the_head_teacher_cannot_change_a_disclosure_about_themselves(signed_in, about_head, repo):
    head = signed_in("head")
    head.get("/review/records")  # a page with a CSRF token
    response = head.post(f"/review/records/{about_head.reference}/status", {"to_status": "closed", "reason": "no"})
    assert response.status == 404
    assert repo.get(about_head.reference).status == "received"
