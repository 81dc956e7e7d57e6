"""Build the project's spaCy pipeline from its own pattern files.

No pretrained pipeline can be downloaded here, so the pipeline is a blank
English one plus an `entity_ruler` whose patterns come from
`data/spacy/*.yml`. `make` runs `python -m bot build-spacy`, which saves it
to build/spacy/en_school (Rasa's SpacyNLP loads that path).

Pattern files hold a `label` and either
- `entries`: [{id, phrases: [...]}]: phrases matched on lower-cased tokens;
- `token_patterns`: [{id, pattern: [token specs]}]: spaCy Matcher-style specs.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import yaml

from bot import paths

PIPELINE_NAME = "en_school"


class PatternError(ValueError):
    """A pattern file is malformed."""


def pattern_files(directory: Optional[Path] = None) -> List[Path]:
    directory = Path(directory) if directory else paths.spacy_patterns_dir()
    return sorted(directory.glob("*.yml"))


def load_patterns(files: Iterable[Path]) -> List[Dict]:
    """entity_ruler patterns from the project's pattern files."""
    patterns: List[Dict] = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        label = data.get("label")
        if not isinstance(label, str) or not label:
            raise PatternError(f"{path}: needs a `label`")
        for entry in data.get("entries") or []:
            phrases = entry.get("phrases") or []
            if "id" not in entry or not phrases:
                raise PatternError(f"{path}: each entry needs `id` and `phrases`")
            for phrase in phrases:
                patterns.append({"label": label, "pattern": str(phrase).lower(), "id": str(entry["id"])})
        for entry in data.get("token_patterns") or []:
            spec = entry.get("pattern")
            if not isinstance(spec, list) or not spec:
                raise PatternError(f"{path}: each token pattern needs a `pattern` list")
            patterns.append({"label": label, "pattern": spec, "id": str(entry.get("id", label))})
    return patterns


def patterns_fingerprint(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_pipeline(patterns: List[Dict]):
    """A blank English pipeline with an entity_ruler holding `patterns`."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns(patterns)
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "Rule-based pipeline of the school safeguarding assistant "
        "(blank English + entity_ruler from data/spacy/*.yml)"
    )
    return nlp


def build(output: Optional[Path] = None, patterns_dir: Optional[Path] = None) -> Path:
    """Build and save the pipeline unless an identical one is already saved."""
    output = Path(output) if output else paths.spacy_pipeline_dir()
    files = pattern_files(patterns_dir)
    if not files:
        raise PatternError(f"no pattern files in {patterns_dir or paths.spacy_patterns_dir()}")
    fingerprint = patterns_fingerprint(files)
    stamp = output / "patterns.sha256"
    if stamp.exists() and stamp.read_text().strip() == fingerprint and (output / "config.cfg").exists():
        return output
    nlp = build_pipeline(load_patterns(files))
    tmp = output.with_name(output.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(tmp)
    (tmp / "patterns.sha256").write_text(fingerprint + "\n")
    shutil.rmtree(output, ignore_errors=True)
    tmp.rename(output)
    return output


def describe(output: Path) -> str:
    meta = json.loads((output / "meta.json").read_text())
    return f"{meta['name']} {meta['version']} at {output}"
