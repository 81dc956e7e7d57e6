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
    running = start_stack(tmp_path_factory.mktemp("stack"))
    try:
        yield running
    finally:
        running.stop()
