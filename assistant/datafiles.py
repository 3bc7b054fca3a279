"""Reading the program's own YAML data (patterns, rules, places): with libyaml's C loader where
PyYAML has it, which reads the scoring frameworks ten times faster than the pure-Python one."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 — a safe loader, C or Python


def error_location(err: Any) -> tuple[tuple[Any, ...], str]:
    """Where a pydantic validation error points, as a path and a dotted field name; pydantic's own
    'function-…' steps (validators) are not part of what the user wrote."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    return loc, ".".join(str(p) for p in loc) or "(file)"
