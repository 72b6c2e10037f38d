"""Language data shipped with the package (YAML under ``data/``), loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_yaml(name: str) -> Any:
    """Parsed ``data/<name>``; cached, so callers must not mutate the result."""
    path = resources.files("dondoc.extract").joinpath("data", name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))
