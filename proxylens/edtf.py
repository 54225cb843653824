"""A small, strict reader for the EDTF subset the project uses.

Values are ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an interval ``A/B`` of two of those, where
either end may be open (``..``): ``2020-01-03/..`` is "on or after 3 January 2020".
:func:`parse_edtf` returns the earliest and latest calendar day the value allows, so values of
different precision can be compared and bounded without inventing a day or a month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_SINGLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

PRECISIONS = ("day", "month", "year", "interval")


@dataclass(frozen=True)
class EDTF:
    value: str
    earliest: date
    latest: date
    precision: str  # day | month | year | interval


def _single(text: str) -> EDTF:
    m = _SINGLE.match(text)
    if not m:
        raise ValueError(f"not an EDTF date: {text!r}")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    year = int(y)
    if mo is None:
        return EDTF(text, date(year, 1, 1), date(year, 12, 31), "year")
    month = int(mo)
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range in {text!r}")
    last = calendar.monthrange(year, month)[1]
    if d is None:
        return EDTF(text, date(year, month, 1), date(year, month, last), "month")
    day = int(d)
    if not 1 <= day <= last:
        raise ValueError(f"day out of range in {text!r}")
    return EDTF(text, date(year, month, day), date(year, month, day), "day")


def parse_edtf(text: str) -> EDTF:
    """Parse ``text`` into its earliest/latest days and precision; raise ``ValueError`` if malformed.

    >>> parse_edtf("2018-07").latest.isoformat()
    '2018-07-31'
    >>> parse_edtf("2018-09-27/2018-11-07").precision
    'interval'
    """
    text = (text or "").strip()
    if "/" in text:
        a, _, b = text.partition("/")
        if a == b == "..":
            raise ValueError(f"interval open at both ends: {text!r}")
        earliest = date.min if a == ".." else _single(a).earliest
        latest = date.max if b == ".." else _single(b).latest
        if latest < earliest:
            raise ValueError(f"interval ends before it starts: {text!r}")
        return EDTF(text, earliest, latest, "interval")
    return _single(text)


def precision_of(text: str) -> str:
    """The precision word of an EDTF value (``day``, ``month``, ``year`` or ``interval``)."""
    return parse_edtf(text).precision
