"""Train the Rasa model only when its inputs change.

The model is named by a hash of everything that shapes it (config, domain,
training data, spaCy patterns, the custom NLU components and the pinned
package versions) and kept in a cache folder outside the work tree
(`MODEL_CACHE_DIR`, default ~/.cache/school-safeguarding-assistant/models), so
a fresh clone on a machine that has trained the same inputs before reuses the
model, and a change to any input retrains. The model to serve is copied to
models/assistant.tar.gz.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Optional

from bot import paths

TRAINING_DATA_DIRS = ("data/nlu", "data/rules", "data/stories")
MODEL_INPUTS = (
    "config.yml",
    "domain.yml",
    "domain",
    *TRAINING_DATA_DIRS,
    "data/spacy",
    "bot/rasa_components.py",
    "bot/text_guard.py",
    "bot/nlp/build.py",
    "bot/nlp/encoder.py",
    "bot/nlp/spelling.py",
    "bot/nlp/sounds_like.py",
    "constraints.txt",
    "requirements-model.txt",
)
# Code that runs inside the model's components: a change here must not reuse
# Rasa's own component cache, which is keyed by config and data only.
COMPONENT_CODE = ("bot/rasa_components.py", "bot/text_guard.py", "bot/nlp", "constraints.txt", "requirements-model.txt")
SERVED_MODEL = Path("models") / "assistant.tar.gz"


def _files(root: Path, entries: Iterable[str]) -> List[Path]:
    found: List[Path] = []
    for entry in entries:
        path = root / entry
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
    return found


def inputs_fingerprint(root: Optional[Path] = None, entries: Iterable[str] = MODEL_INPUTS) -> str:
    root = Path(root) if root else paths.PROJECT_ROOT
    digest = hashlib.sha256()
    for path in _files(root, entries):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "school-safeguarding-assistant" / "models"
    return Path(os.environ.get("MODEL_CACHE_DIR") or default).expanduser()


def ensure_model(root: Optional[Path] = None, rasa: Optional[str] = None) -> Path:
    """Return the served model, training it first if no cached one matches."""
    root = Path(root) if root else paths.PROJECT_ROOT
    fingerprint = inputs_fingerprint(root)
    cached = cache_dir() / f"assistant-{fingerprint}.tar.gz"
    served = root / SERVED_MODEL
    if cached.exists():
        print(f"model: inputs unchanged ({fingerprint}), using {cached}", flush=True)
    else:
        print(f"model: inputs changed ({fingerprint}), training", flush=True)
        cached.parent.mkdir(parents=True, exist_ok=True)
        rasa = rasa or str(Path(sys.executable).with_name("rasa"))
        # Rasa reuses unchanged components from its cache (e.g. the intent
        # classifier when only rules changed); the cache is per version of
        # the component code.
        env = dict(os.environ)
        env["RASA_CACHE_DIRECTORY"] = str(
            root / ".rasa" / f"cache-{inputs_fingerprint(root, COMPONENT_CODE)}"
        )
        subprocess.run(
            [
                rasa, "train",
                "--config", "config.yml", "--domain", "domain.yml",
                "--data", *TRAINING_DATA_DIRS,
                "--out", str(cached.parent),
                "--fixed-model-name", cached.name[: -len(".tar.gz")],
            ],
            cwd=root,
            env=env,
            check=True,
        )
    served.parent.mkdir(parents=True, exist_ok=True)
    tmp = served.with_suffix(".tmp")
    shutil.copyfile(cached, tmp)
    tmp.replace(served)
    return served
