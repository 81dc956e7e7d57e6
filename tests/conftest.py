"""Shared fixtures: the real catalogue, school profile and Rasa SDK objects."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import paths
from bot.policy import Catalogue, load_catalogue
from bot.school import SchoolProfile, load_school_profile

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = paths.PROJECT_ROOT


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The channels share per-address and overall limits in a process; each
    test starts with none used."""
    from bot.limits import reset_shared

    reset_shared()
    yield
    reset_shared()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def school() -> SchoolProfile:
    return load_school_profile()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_policy_dir() -> Path:
    directory = paths.shared_dir() / "policy"
    if not directory.is_dir():
        pytest.fail(f"{directory} is missing: the shared policy must sit beside the project")
    return directory


def make_tracker(
    intent: str,
    text: str = "",
    ranking: Optional[List[Dict[str, Any]]] = None,
    **latest_extra: Any,
) -> Tracker:
    """A real rasa_sdk Tracker whose latest message has this intent."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking if ranking is not None else [{"name": intent, "confidence": 0.9}],
        "entities": [],
        **latest_extra,
    }
    return Tracker(
        sender_id="test-user",
        slots={},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
