"""End-to-end fixtures: one running stack (Rasa, actions, web app) per test
session, in its own folder. Skipped with a clear reason when no model has
been trained (`make test` trains it before running pytest)."""
from __future__ import annotations

from typing import Iterator

import pytest

from e2e.stack import MODEL, Stack, start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.skip("no trained model: run `make model` (make test does)")
    # a low per-address limit, so that tests can reach it from "remote"
    # addresses (X-Forwarded-For through the trusted loopback proxy); the
    # tests' own requests come from loopback, which it does not apply to
    running = start_stack(tmp_path_factory.mktemp("stack"), extra_env={"RATE_LIMIT_PER_ADDRESS": "20"})
    try:
        yield running
    finally:
        running.stop()
