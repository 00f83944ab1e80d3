"""Text from a client is refused at the boundary when it cannot be real text.

A lone surrogate ("\\ud800" in JSON, or a byte that is not UTF-8 on a command line) cannot be
encoded: passed on, it fails deep inside Chroma or a JSON writer as a 500. Control characters
(NUL and the rest of C0 but tab and line breaks, DEL, C1) have no meaning in a question or a
filter and end up in logs. Both are a client's mistake: 422 over HTTP, one line on the CLI.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from assistant.errors import InvalidInput

_BAD = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def problem(value: str) -> str | None:
    """What is wrong with `value` as text, or None."""
    m = _BAD.search(value)
    if m is None:
        return None
    kind = "a lone surrogate" if "\ud800" <= m.group() <= "\udfff" else "a control character"
    return f"contains {kind} (U+{ord(m.group()):04X}) at position {m.start()}"


def clean(value: str) -> str:
    """A pydantic validator: the value, or ValueError naming the character."""
    found = problem(value)
    if found:
        raise ValueError(found)
    return value


CleanStr = Annotated[str, AfterValidator(clean)]


def _first_problem(data: Any, where: str) -> str | None:
    if isinstance(data, str):
        found = problem(data)
        return f"{where or 'value'} {found}" if found else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, (list, tuple)):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        if isinstance(key, str) and problem(key):
            return f"{where or 'body'} has a key that {problem(key)}"
        found = _first_problem(value, f"{where}.{key}" if where else str(key))
        if found:
            return found
    return None


class ApiRequest(BaseModel):
    """Base of HTTP request bodies: unknown fields refused, and every string anywhere in the body
    (nested models, lists, mapping keys) checked before the fields are validated."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: Any) -> Any:
        found = _first_problem(data, "")
        if found:
            raise ValueError(found)
        return data


def require_clean(what: str, *values: str) -> None:
    """For the core: InvalidInput when any of `values` is not clean text."""
    for value in values:
        found = problem(value or "")
        if found:
            raise InvalidInput(f"the {what} {found}")
