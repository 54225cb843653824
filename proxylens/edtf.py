"""A small, strict reader for the EDTF subset the project uses.

Values are ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an interval ``A/B`` of two of those, where
either end may be open (``..``): ``2020-01-03/..`` is "on or after 3 January 2020".
:func:`parse_edtf` returns the earliest and latest calendar day the value allows, so values of
different precision can be compared and bounded without inventing a day or a month: how many
days a value leaves open (:func:`resolution_days`), whether one value is finer than the anchor
it was read from (:func:`too_precise`), how two values of one event relate
(:func:`date_relation`) and whether a value lies within a bound (:func:`bound_contains`).
"""

from __future__ import annotations

import calendar
import math
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


def resolution_days(value: str) -> float:
    """How many days an EDTF value leaves open: 1 for a day, 28 for a month, 365 for a year.

    A month and a year count their shortest length, so that "last month" (a month) is never
    finer than a month anchor; an interval counts its days; an open interval is infinite.

    >>> resolution_days("2018-07"), resolution_days("2018-09-27/2018-10-03")
    (28, 7)
    """
    edtf = parse_edtf(value)
    if edtf.precision == "interval":
        if edtf.earliest == date.min or edtf.latest == date.max:
            return math.inf
        return (edtf.latest - edtf.earliest).days + 1
    return {"day": 1, "month": 28, "year": 365}[edtf.precision]


def too_precise(value: str, anchor: str) -> bool:
    """True when a value resolved from ``anchor`` is finer than the anchor allows (see :func:`resolution_days`)."""
    return bool(value and anchor) and resolution_days(value) < resolution_days(anchor)


def date_relation(value: str, record: str) -> str:
    """How a source's date relates to the public record's date of the same event.

    ``same``; ``record refines`` (the record lies within the source's date); ``record coarser``
    (the source's date lies within the record's); ``overlap``; ``conflict`` (no day in common);
    ``no record`` when the record date is empty.

    >>> date_relation("2018-07", "2018-07-10"), date_relation("2017-06-07", "2017-06-06")
    ('record refines', 'conflict')
    """
    if not record:
        return "no record"
    a, b = parse_edtf(value), parse_edtf(record)
    if (a.earliest, a.latest) == (b.earliest, b.latest):
        return "same"
    if a.earliest <= b.earliest and b.latest <= a.latest:
        return "record refines"
    if b.earliest <= a.earliest and a.latest <= b.latest:
        return "record coarser"
    if a.latest < b.earliest or b.latest < a.earliest:
        return "conflict"
    return "overlap"


def bound_contains(earliest: str, latest: str, value: str) -> bool:
    """True when every day of ``value`` lies within the bound ``[earliest, latest]`` (an empty end is open)."""
    v = parse_edtf(value)
    low = parse_edtf(earliest).earliest if earliest else date.min
    high = parse_edtf(latest).latest if latest else date.max
    return low <= v.earliest and v.latest <= high
