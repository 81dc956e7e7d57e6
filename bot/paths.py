"""Where the project's files are. Every path can be overridden by an
environment variable so that tests and other schools can point elsewhere."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser() if value else default


def policy_dir() -> Path:
    """The catalogue: clauses.yml and topics.yml."""
    return _path("POLICY_DIR", PROJECT_ROOT / "data" / "policy")


def school_profile_path() -> Path:
    return _path("SCHOOL_PROFILE", PROJECT_ROOT / "school.yml")


def shared_dir() -> Path:
    """The read-only material beside the project (policy text, clause index, eval)."""
    return _path("SHARED_DIR", PROJECT_ROOT.parent / "shared")


def spacy_patterns_dir() -> Path:
    return _path("SPACY_PATTERNS_DIR", PROJECT_ROOT / "data" / "spacy")


def spacy_pipeline_dir() -> Path:
    """Build output: the saved spaCy pipeline that Rasa's SpacyNLP loads."""
    return _path("SPACY_PIPELINE_DIR", PROJECT_ROOT / "build" / "spacy" / "en_school")
