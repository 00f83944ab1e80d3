"""Calendar months as YYYY-MM strings: ranges and shifts (the scorecard's and the history's unit)."""

from __future__ import annotations

import re

from assistant.errors import InvalidInput

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def check_months(**months: str | None) -> None:
    """InvalidInput naming the first option that is given but is not a YYYY-MM month."""
    for name, month in months.items():
        if month is not None and not re.fullmatch(MONTH_PATTERN, month):
            raise InvalidInput(f"--{name.rstrip('_')} {month!r} is not a month: use YYYY-MM, e.g. 2025-07")


def shift_month(month: str, by: int) -> str:
    """'2025-11' shifted by 3 -> '2026-02'."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (inclusive); [] when `last` is earlier."""
    count = (int(last[:4]) * 12 + int(last[5:7])) - (int(first[:4]) * 12 + int(first[5:7])) + 1
    return [shift_month(first, i) for i in range(max(0, count))]
