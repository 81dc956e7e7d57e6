"""The model is retrained exactly when one of its inputs changes."""
from __future__ import annotations

import shutil
import stat

import pytest

from bot import model_cache
from bot.paths import PROJECT_ROOT


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for entry in ("config.yml", "domain.yml", "constraints.txt"):
        shutil.copy(PROJECT_ROOT / entry, root / entry)
    for directory in ("data/nlu", "data/rules", "data/spacy"):
        shutil.copytree(PROJECT_ROOT / directory, root / directory)
    return root


def test_fingerprint_is_stable_and_follows_every_input(project):
    first = model_cache.inputs_fingerprint(project)
    assert model_cache.inputs_fingerprint(project) == first
    for path in ("config.yml", "data/spacy/platforms.yml", "data/nlu/conversation.yml"):
        original = (project / path).read_text()
        (project / path).write_text(original + "\n# changed\n")
        assert model_cache.inputs_fingerprint(project) != first, path
        (project / path).write_text(original)
    assert model_cache.inputs_fingerprint(project) == first


def test_ensure_model_trains_once_then_reuses_the_cache(project, tmp_path, monkeypatch):
    monkeypatch.setenv("MODEL_CACHE_DIR", str(tmp_path / "cache"))
    calls = tmp_path / "calls"
    fake_rasa = tmp_path / "rasa"
    fake_rasa.write_text(
        "#!/bin/sh\n"
        f'echo "$RASA_CACHE_DIRECTORY $@" >> {calls}\n'
        'while [ $# -gt 0 ]; do case "$1" in --out) out=$2;; --fixed-model-name) name=$2;; esac; shift; done\n'
        'echo model > "$out/$name.tar.gz"\n'
    )
    fake_rasa.chmod(fake_rasa.stat().st_mode | stat.S_IEXEC)

    served = model_cache.ensure_model(project, rasa=str(fake_rasa))
    assert served.read_text() == "model\n"
    model_cache.ensure_model(project, rasa=str(fake_rasa))
    assert len(calls.read_text().splitlines()) == 1  # second call reused the cache
    assert "/.rasa/cache-" in calls.read_text()  # Rasa's cache is per component-code version

    (project / "data/nlu/conversation.yml").write_text(
        (project / "data/nlu/conversation.yml").read_text() + "\n# more data\n"
    )
    model_cache.ensure_model(project, rasa=str(fake_rasa))
    assert len(calls.read_text().splitlines()) == 2
