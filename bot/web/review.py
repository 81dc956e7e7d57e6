"""Staff review pages for safeguarding records, under /review.

| method | path | who | what |
| --- | --- | --- | --- |
| GET, POST | /review/login | anyone | sign in |
| POST | /review/logout | signed in | sign out |
| GET, POST | /review/password | signed in | change one's own password |
| GET | /review | signed in | start page (links for the person's roles) |
| GET | /review/records | head teacher, DSL, office | list with filters: kind, status, created from/to, page |
| GET | /review/records/<reference> | head teacher, DSL, office (their kinds) | one record |
| POST | /review/records/<reference>/status | see bot.web.review_roles | status change, approve/decline with reason |
| GET | /review/audit | head teacher, DSL, admin | the audit trail |
| GET, POST | /review/users | admin | staff accounts; create one |
| POST | /review/users/<username>/password, /active, /roles | admin | set password, (de)activate, set roles |
| GET | /review/static/... | anyone | the stylesheet |

Modules: `review_roles` (who may do what), `review_records` (queries scoped
to the person's kinds), `review_users`, `review_sessions`, `review_audit`,
`review_passwords`, `review_security` (cookies, CSRF, headers),
`review_context` (handler plumbing), `review_pages` (templates) and the
views in `review_auth_views`, `review_record_views`, `review_admin_views`.
See docs/review.md.
"""
from __future__ import annotations

from typing import Any

from bot.web import review_admin_views as admin
from bot.web import review_auth_views as auth
from bot.web import review_record_views as records
from bot.web.review_context import ReviewServices
from bot.web.review_pages import STATIC_DIR
from bot.web.review_security import add_security_headers


def register(app: Any, settings: Any) -> None:
    @app.listener("before_server_start")
    async def _open_review(app_: Any, _loop: Any) -> None:
        # runs after the app opened app.ctx.repository (listeners run in order)
        current = getattr(app_.ctx, "review", None)
        if current is None or current.repository is not app_.ctx.repository:
            app_.ctx.review = ReviewServices.open(app_.ctx.repository, settings)

    app.register_middleware(add_security_headers, "response")
    app.static("/review/static", str(STATIC_DIR), name="review_static")

    routes = (
        ("/review/login", auth.login_form, ["GET"], "review_login_form"),
        ("/review/login", auth.login, ["POST"], "review_login"),
        ("/review/logout", auth.logout, ["POST"], "review_logout"),
        ("/review/password", auth.password_form, ["GET"], "review_password_form"),
        ("/review/password", auth.change_password, ["POST"], "review_password"),
        ("/review", records.home, ["GET"], "review_home"),
        ("/review/records", records.record_list, ["GET"], "review_records"),
        ("/review/records/<reference:str>", records.record_page, ["GET"], "review_record"),
        ("/review/records/<reference:str>/status", records.change_status, ["POST"], "review_record_status"),
        ("/review/audit", admin.audit_page, ["GET"], "review_audit"),
        ("/review/users", admin.users_page, ["GET"], "review_users"),
        ("/review/users", admin.create_user, ["POST"], "review_create_user"),
        ("/review/users/<username:str>/password", admin.set_user_password, ["POST"], "review_user_password"),
        ("/review/users/<username:str>/active", admin.set_user_active, ["POST"], "review_user_active"),
        ("/review/users/<username:str>/roles", admin.set_user_roles, ["POST"], "review_user_roles"),
    )
    for uri, handler, methods, name in routes:
        app.add_route(handler, uri, methods=methods, name=name, strict_slashes=False)
