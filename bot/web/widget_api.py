"""What the chat widget asks the web app for, as plain data.

- `clause_json`: a policy clause as the "From the policy" element shows it
  (from the catalogue in `data/policy/`);
- `widget_config`: the school's name, the named child-protection person's
  contact for the "urgent" link, the labels of decision badges, the
  socket.io address and the message length cap.

Pure functions over the catalogue and school profile; `bot.web.widget`
turns them into HTTP responses.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List

from bot import decisions
from bot.policy import Catalogue, Clause
from bot.school import SchoolProfile
from bot.text_guard import MAX_MESSAGE_CHARS

# Decision codes (bot/decisions.py) as a badge says them, in plain English,
# with a tone the widget shows by colour *and* an icon/word (never colour
# alone): "no", "yes", "act" (someone must do something), "info".
DECISION_BADGES: Dict[str, Dict[str, str]] = {
    decisions.NOT_PERMITTED: {"label": "Not allowed", "tone": "no"},
    decisions.PERMITTED: {"label": "Allowed", "tone": "yes"},
    decisions.PERMITTED_DECLARE: {"label": "Allowed if you tell the head teacher", "tone": "act"},
    decisions.NOT_SCHOOL_RESPONSIBILITY: {"label": "Not the school's responsibility", "tone": "info"},
    decisions.SCHOOL_MUST_INVESTIGATE: {"label": "The school must look into it", "tone": "act"},
    decisions.SCHOOL_MUST_INVESTIGATE_AND_WARN: {
        "label": "The school must look into it and may warn parents",
        "tone": "act",
    },
    decisions.SCHOOL_MAY_LIMIT: {"label": "The school may deal only with bullying in school", "tone": "info"},
    decisions.REFER_TO_POLICE: {"label": "Report it to the police", "tone": "no"},
}

MAX_CLAUSES_PER_REQUEST = 20


def clause_json(clause: Clause) -> Dict[str, Any]:
    return {
        "id": clause.id,
        "section": clause.section,
        "title": clause.title,
        "text": clause.text,
        "items": list(clause.items),
        "summary": clause.summary,
    }


def clauses_json(catalogue: Catalogue, ids: Iterable[str]) -> Dict[str, Any]:
    """{"clauses": [...known, in the order asked], "unknown": [...]}."""
    wanted = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))[:MAX_CLAUSES_PER_REQUEST]
    found: List[Dict[str, Any]] = []
    unknown: List[str] = []
    for clause_id in wanted:
        clause = catalogue.clauses.get(clause_id)
        if clause is None:
            unknown.append(clause_id)
        else:
            found.append(clause_json(clause))
    return {"clauses": found, "unknown": unknown}


def _contact(school: SchoolProfile) -> Dict[str, str]:
    dsl = school.dsl
    return {"role": dsl.role, "name": dsl.name, "phone": dsl.phone, "email": dsl.email}


def widget_config(
    school: SchoolProfile,
    socket_url: str,
    *,
    sign_in_required: bool = False,
) -> Dict[str, Any]:
    return {
        "school": school.name,
        "title": f"{school.short_name} safeguarding helper",
        "urgent": {
            **_contact(school),
            "emergency": school.police_emergency,
        },
        "decisions": DECISION_BADGES,
        "socket_url": socket_url,
        "socket_path": "/socket.io",
        "sign_in_required": sign_in_required,
        "max_chars": MAX_MESSAGE_CHARS,
    }
