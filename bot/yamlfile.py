"""Reading the project's YAML data files with errors a maintainer can act on."""
from __future__ import annotations

from pathlib import Path
from typing import Type

import yaml


def read_mapping(path: Path, error: Type[Exception], what: str) -> dict:
    """The mapping at the top of a YAML file, or `error` saying what is wrong."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise error(f"{path} must hold a mapping at the top level")
    return data
