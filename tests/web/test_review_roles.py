"""Who may see and do what (pure rules; the queries apply them, see test_review_records)."""
from __future__ import annotations

import pytest

from bot.records import models
from bot.web import review_roles as roles

ALL = set(models.KINDS)


@pytest.mark.parametrize(
    "held, kinds",
    [
        ({"head_teacher"}, ALL),
        ({"dsl"}, ALL),
        ({"office"}, {"family_link_declaration", "service_proposal"}),
        ({"admin"}, set()),
        (set(), set()),
        ({"caretaker"}, set()),
        ({"admin", "office"}, {"family_link_declaration", "service_proposal"}),
    ],
)
def test_visible_kinds(held, kinds):
    assert roles.visible_kinds(held) == kinds


def test_only_the_head_teacher_decides_proposals():
    assert roles.allowed_changes({"head_teacher"}, "service_proposal", "pending") == ["approved", "declined"]
    for held in ({"dsl"}, {"office"}, {"admin"}, {"dsl", "office", "admin"}):
        assert roles.allowed_changes(held, "service_proposal", "pending") == []
    assert roles.is_decision("service_proposal", "approved") and roles.is_decision("service_proposal", "declined")
    assert not roles.is_decision("disclosure", "closed")


def test_case_changes_by_head_teacher_and_dsl_only():
    for held in ({"head_teacher"}, {"dsl"}):
        assert roles.allowed_changes(held, "disclosure", "received") == ["in_review", "closed"]
        assert roles.allowed_changes(held, "concern_report", "in_review") == ["referred", "closed"]
        assert roles.allowed_changes(held, "family_link_declaration", "received") == ["in_review", "closed"]
    assert roles.allowed_changes({"office"}, "family_link_declaration", "received") == []
    assert roles.allowed_changes({"admin"}, "disclosure", "received") == []


def test_final_statuses_allow_nothing():
    assert roles.allowed_changes({"head_teacher"}, "service_proposal", "approved") == []
    assert roles.allowed_changes({"dsl"}, "disclosure", "closed") == []


def test_audit_and_user_management():
    assert roles.may_view_audit({"head_teacher"}) and roles.may_view_audit({"dsl"}) and roles.may_view_audit({"admin"})
    assert not roles.may_view_audit({"office"}) and not roles.may_view_audit(set())
    assert roles.may_manage_users({"admin"}) and not roles.may_manage_users({"head_teacher", "dsl"})


def test_a_concern_about_the_head_teacher_is_for_the_dsl_never_the_head():
    from bot.records.models import ADMIN, DSL, HEAD_TEACHER, OFFICE
    from bot.web.review_roles import sees_head_teacher_concerns

    assert sees_head_teacher_concerns({DSL})
    assert sees_head_teacher_concerns({DSL, ADMIN})
    assert not sees_head_teacher_concerns({HEAD_TEACHER})
    # a small school's head who is also its DSL still must not see it
    assert not sees_head_teacher_concerns({HEAD_TEACHER, DSL})
    assert not sees_head_teacher_concerns({OFFICE, ADMIN})
