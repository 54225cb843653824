"""Stage 3: temporal expressions, normalised to EDTF and anchored to their unit's publication date.

:func:`find_timexes` finds the temporal expressions of one piece of text with a registry of
regular expressions (offsets stay exact on the stored text, Arabic comma and all) and checks
the doubtful ones against spaCy's tags: "May" the modal verb and "March" the verb are not
months, a number followed by a plural noun ("2000 troops") is not a year. The NER's DATE and
TIME entities that no rule explains are kept as unnormalised rows, so nothing is silently lost.

Conventions (what a value means):

* A value has the precision the text supports: ``2017`` for "in 2017", ``2018-07`` for
  "last month" in a July-or-later text, never a made-up day. Explicit ranges ("May 15-17",
  "Sept. 27 to Nov. 7") are EDTF intervals ``A/B``.
* A relative expression is computed from the *anchor*: the publication date of its unit
  (``Unit.published``). When the anchor is coarser than a day (a month, a year, an interval),
  the expression is computed from its earliest and its latest day and the value covers both:
  "today" in a text dated ``2018-08`` is ``2018-08``; "yesterday" is
  ``2018-07-31/2018-08-30``. No day is guessed.
* A month (and day) without a year ("May 19", "In March") takes the anchor's year, or the
  year before when that would fall after the anchor: news reports the past. The rule id says
  which (``month_day_anchor_year`` / ``month_day_previous_year``). When the anchor is too
  coarse to decide ("April 8" in a text dated only ``2019-04``) the value spans both readings
  (``2018-04-08/2019-04-08``) and ``reason`` says so; an open-ended anchor gives no value.
* "on Sunday" is the most recent Sunday on or before the anchor; "last Sunday" the most recent
  one strictly before it. "Last November" is the most recent November strictly before the
  anchor's month. "last week" is the calendar week (Monday to Sunday) before the anchor's;
  "last weekend" the most recent Saturday and Sunday that ended before the anchor day.
* "N years ago" has the precision of its unit: the anchor's year minus N ("a year ago" in
  2019 is ``2018``); "nearly"/"about" go into ``mod`` (TimeML: LESS_THAN, APPROX, ...).
* "early/mid/late" keep the value of what they qualify ("late 2017" is ``2017``) and put
  START/MID/END into ``mod``, as TimeML does: the text does not say which months.
* Anaphoric expressions ("the previous day", "two days later", "a week earlier", "that year",
  "later the same year") count from the last dated expression before them in the article (rule
  ``anaphoric_<unit>_event``, ``anchor`` = that date), or from the publication date when there is
  none (``anaphoric_<unit>_document``); a look back ("the previous day") does not become the
  anchor of what follows. "N units later" counts N units (a day keeps its day); "the following
  month" names the calendar unit. An anniversary has no value without its event's date.
* A weekday in any position ("said Tuesday", "Tuesday's attack") is the most recent such day;
  in a future clause ("will meet on Monday") the next one on or after the anchor.
* A day of the anchor's own month ("March 26" in a text of March 2024) takes the anchor's year.
* "since X" is the period from X to the anchor: "since 1979" in a text dated ``2019-05`` is
  ``1979/2019-05`` (``expr_type`` ``since``; each end keeps its own precision).
* "the past three months" is the interval from the anchor minus three months to the anchor
  (TimeML's anchored duration), not the three calendar months before the anchor's month.
* "recently", "now", "current", "earlier" (TimeML's PAST_REF / PRESENT_REF) are kept as vague
  expressions with an empty value: "before the anchor" bounds a date but is not one.
* Durations ("five years", "a six-week period") have no calendar value: value empty,
  precision ``duration``, the ISO 8601 length in ``duration`` (``P5Y``, ``P6W``).
* Vague expressions ("recently", "for a while now") get an empty value and precision
  ``unknown``, with a ``reason``.
* When the anchor is unknown (a teaser whose own date the page does not give, a file missing
  from ``sources.csv``) an expression that needs it gets an empty value and a ``reason``
  saying so; the unit's date bounds (:func:`unit_bounds`) go into ``bound``, never into value.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from proxylens.edtf import EDTF, parse_edtf

TABLES = {
    "timexes.csv": [
        "source_id", "start", "end", "text", "value", "precision", "anchor", "rule",
        "unit_id", "expr_type", "reason", "mod", "duration", "bound",
    ],
    "unit_bounds.csv": ["source_id", "unit_id", "earliest", "latest", "basis"],
}

# ---------------------------------------------------------------- lexicons

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a couple of": 2, "a dozen": 12, "half a dozen": 6,
}
# TimeML's MOD values for the words that qualify an expression.
MODS = {
    "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN", "just under": "LESS_THAN",
    "about": "APPROX", "around": "APPROX", "some": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
    "over": "MORE_THAN", "more than": "MORE_THAN", "just over": "MORE_THAN",
    "early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
    "late": "END", "end": "END",
}
# Words that make a NER DATE/TIME entity worth keeping when no rule explains it.
TEMPORAL_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted({k for k in MONTHS if len(k) > 3} | {k for k in WEEKDAYS if len(k) > 4}))
    + r"|day|days|week|weeks|weekend|month|months|year|years|decade|decades|century|centuries"
    + r"|ago|today|tonight|yesterday|tomorrow|morning|afternoon|evening|night|era|season|quarter"
    + r"|spring|summer|autumn|winter|\d{4}s?)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- pattern pieces

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_MON = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}\.?)"  # only ever used next to a day or a year
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WD_SEP = r"\s*[,\u060c]?\s*"  # "Wednesday, 5 July" and "Wednesday، 05 July" (Arabic comma)
_CLOCK = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
_NUM = (
    r"(?:\d+|a couple of|half a dozen|a dozen|a few|several|many|an?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_UNIT = r"(?:hour|day|week|month|year|decade|century|centurie)"
_END = r"(?![\w])"
_STAMP = re.compile(r"^\s*(?:last\s+(?:modified|updated)|published|posted|updated)(?:\s+on)?\s*:\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- the expression record


@dataclass(frozen=True)
class Timex:
    """One temporal expression: span ``[start, end)`` in the text it was found in, and its value."""

    start: int
    end: int
    text: str
    value: str
    precision: str  # day | month | year | interval | duration | unknown
    rule: str
    expr_type: str  # date | range | since | period | duration | vague
    anchor: str = ""  # the EDTF anchor the value was computed from ("" when none was needed or known)
    mod: str = ""  # TimeML MOD: START, MID, END, APPROX, LESS_THAN, MORE_THAN, or a season
    duration: str = ""  # ISO 8601 duration for durations
    reason: str = ""  # why the value is empty or qualified
    anaphor: str = ""  # for an expression counted from a narrated date: "<unit>:<shift>" until resolved


@dataclass(frozen=True)
class _Context:
    text: str
    anchor: EDTF | None
    anchor_reason: str  # why the anchor is unknown, when it is
    doc: object | None  # spaCy Doc of ``text``, or None


# ---------------------------------------------------------------- calendar helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), _month_end(year, month)


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def range_to_edtf(first: date, last: date) -> tuple[str, str]:
    """The tightest EDTF value (and its precision) for the days ``first`` to ``last``.

    >>> range_to_edtf(date(2018, 7, 1), date(2018, 7, 31))
    ('2018-07', 'month')
    >>> range_to_edtf(date(2018, 7, 31), date(2018, 8, 30))
    ('2018-07-31/2018-08-30', 'interval')
    """
    if first == last:
        return first.isoformat(), "day"
    whole_months = first.day == 1 and last == _month_end(last.year, last.month)
    if whole_months and first.month == 1 and last.month == 12:
        value = f"{first.year}" if first.year == last.year else f"{first.year}/{last.year}"
        return value, "year" if first.year == last.year else "interval"
    if whole_months:
        a, b = f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"
        return (a, "month") if a == b else (f"{a}/{b}", "interval")
    return f"{first.isoformat()}/{last.isoformat()}", "interval"


def _over_anchor(anchor: EDTF, resolve: Callable[[date], tuple[date, date]]) -> tuple[date, date, bool]:
    """Apply ``resolve`` to the anchor's earliest and latest day; return the span covering both.

    The third item is true when the two readings differ (the anchor is too coarse to decide).
    """
    early, late = resolve(anchor.earliest), resolve(anchor.latest)
    return early[0], late[1], early != late


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _most_recent(month: int, day: int, on_or_before: date) -> date:
    """The latest date with this month and day on or before ``on_or_before`` (29 Feb looks back to a leap year)."""
    year = on_or_before.year
    for _ in range(9):
        if _valid_day(year, month, day) and date(year, month, day) <= on_or_before:
            return date(year, month, day)
        year -= 1
    raise ValueError(f"no {month}-{day} before {on_or_before}")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _word(text: str) -> str:
    return re.sub(r"[.\s]+", " ", text.lower()).strip()


def _month_number(text: str) -> int:
    return MONTHS[_word(text).rstrip(".")]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def _number(text: str) -> int | None:
    """The value of a number word or digits; None for vague quantities ("several")."""
    word = _word(text)
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


# ---------------------------------------------------------------- spaCy checks


def _token_at(ctx: _Context, offset: int):
    if ctx.doc is None:
        return None
    for token in ctx.doc:
        if token.idx <= offset < token.idx + max(len(token.text), 1):
            return token
    return None


def _month_is_verb(ctx: _Context, offset: int) -> bool:
    """True when the capitalised month name at ``offset`` is tagged as a verb ("May" the modal, "March" the verb)."""
    token = _token_at(ctx, offset)
    return token is not None and (token.tag_ == "MD" or token.pos_ in ("VERB", "AUX"))


_TEMPORAL_PREP = {"in", "since", "by", "until", "till", "during", "from", "through", "before", "after", "of",
                  "between", "to", "and", "around", "circa", "early", "late", "mid", "the"}


_NUMBERING_NOUNS = {"resolution", "no", "number", "article", "section", "paragraph", "chapter", "page", "flight",
                    "room", "route", "highway", "unit", "code", "item", "case"}


def _number_not_year(ctx: _Context, start: int, end: int) -> bool:
    """True when a four-digit number is a count, not a year ("2000 troops", "$1979", "1500 fighters")."""
    token = _token_at(ctx, start)
    if token is None:
        return False
    if token.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
        return True
    prev = token.nbor(-1) if token.i > 0 else None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if prev is not None and prev.lower_.rstrip(".") in _NUMBERING_NOUNS:
        return True  # "Resolution 1973", "Flight 2019": a label, not a year
    after_prep = prev is not None and prev.lower_ in _TEMPORAL_PREP
    return not after_prep and nxt is not None and nxt.tag_ == "NNS"


# ---------------------------------------------------------------- rules

_Handler = Callable[[re.Match, _Context], "Timex | None"]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern
    handler: _Handler


def _t(m: re.Match, ctx: _Context, value: str, precision: str, rule: str, expr_type: str = "date",
       group: int | str = 0, **extra) -> Timex:
    start, end = m.span(group)
    return Timex(start, end, ctx.text[start:end], value, precision, rule, expr_type, **extra)


def _unknown(m: re.Match, ctx: _Context, rule: str, expr_type: str = "date", group: int | str = 0,
             **extra) -> Timex:
    """An expression that needs the anchor, when the anchor is unknown: empty value, reason given."""
    extra.pop("reason", None)
    return _t(m, ctx, "", "unknown", rule, expr_type, group, reason=ctx.anchor_reason or "anchor unknown", **extra)


def _is_open(anchor: EDTF) -> bool:
    return anchor.value.startswith("../") or anchor.value.endswith("/..")


def _anchored(m, ctx, resolve, rule, expr_type="date", group=0, **extra) -> Timex:
    """Value of a relative expression: ``resolve`` applied over the anchor (see :func:`_over_anchor`)."""
    if ctx.anchor is None:
        return _unknown(m, ctx, rule, expr_type, group, **extra)
    if _is_open(ctx.anchor):
        extra.pop("reason", None)
        return _t(m, ctx, "", "unknown", rule, expr_type, group, anchor=ctx.anchor.value,
                  reason=f"anchor {ctx.anchor.value} is open-ended: no value covers every reading", **extra)
    first, last, split = _over_anchor(ctx.anchor, resolve)
    value, precision = range_to_edtf(first, last)
    reason = extra.pop("reason", "")
    if split and ctx.anchor.precision != "day":
        reason = reason or f"anchor {ctx.anchor.value} is coarser than a day: the value covers every reading"
    return _t(m, ctx, value, precision, rule, expr_type, group, anchor=ctx.anchor.value, reason=reason, **extra)


def _named_year_rule(ctx: _Context, base: str, resolve) -> str:
    """``base_anchor_year`` or ``base_previous_year``: whether the latest reading moved back a year."""
    if ctx.anchor is None:
        return base
    moved = resolve(ctx.anchor.latest)[1].year < ctx.anchor.latest.year
    return f"{base}_previous_year" if moved else f"{base}_anchor_year"


def _weekday_check(m: re.Match, value: date) -> str:
    wd = m.groupdict().get("wd")
    if wd and WEEKDAYS[_word(wd).rstrip(".")] != value.weekday():
        return f"the text's weekday ({wd.strip()}) does not match {value.isoformat()}"
    return ""


# -- explicit, absolute


def _explicit_day(m, ctx):
    year, month, day = int(m["y"]), _month_number(m["m"]), _day_number(m["d"])
    if not _valid_day(year, month, day) or _month_is_verb(ctx, m.start("m")):
        return None
    value = date(year, month, day)
    stamp = _STAMP.match(ctx.text[: m.start()])
    rule = "page_stamp" if stamp else "explicit_day"
    return _t(m, ctx, value.isoformat(), "day", rule, reason=_weekday_check(m, value))


def _iso_day(m, ctx):
    year, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
    if not _valid_day(year, month, day):
        return None
    rule = "page_stamp" if _STAMP.match(ctx.text[: m.start()]) else "iso_date"
    return _t(m, ctx, date(year, month, day).isoformat(), "day", rule)


def _numeric_date(m, ctx):
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    year = year + 2000 if year < 100 else year
    if a > 12 and _valid_day(year, b, a):
        return _t(m, ctx, date(year, b, a).isoformat(), "day", "numeric_date")
    if b > 12 and _valid_day(year, a, b):
        return _t(m, ctx, date(year, a, b).isoformat(), "day", "numeric_date")
    if _valid_day(year, a, b) or _valid_day(year, b, a):
        return _t(m, ctx, "", "unknown", "numeric_date", reason="day/month order ambiguous")
    return None


def _named_date(m, ctx):
    # 9/11 names a day: 11 September 2001. It is never a fraction or a score in this domain.
    return _t(m, ctx, "2001-09-11", "day", "numeric_911")


def _month_year(m, ctx):
    if _month_is_verb(ctx, m.start("m")) or _number_not_year(ctx, m.start("y"), m.end("y")):
        return None  # "in May, 2000 troops": the number counts troops
    return _t(m, ctx, f"{int(m['y'])}-{_month_number(m['m']):02d}", "month", "explicit_month")


def _year(m, ctx):
    if _number_not_year(ctx, m.start(), m.end()):
        return None
    return _t(m, ctx, m["y"], "year", "year")


def _between_and(m: re.Match, ctx: _Context) -> bool:
    """"X and Y" is a range only after "between"."""
    return _word(m["conj"]) != "and" or bool(re.search(r"\bbetween\s+$", ctx.text[: m.start()], re.IGNORECASE))


def _range_years(m, ctx):
    if not _between_and(m, ctx):
        return None
    y1, y2 = int(m["y1"]), m["y2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    if y2 <= y1:
        return None
    return _t(m, ctx, f"{y1}/{y2}", "interval", "range_years", "range")


def _decade(m, ctx):
    start = int(m["dec"])
    return _t(m, ctx, f"{start}/{start + 9}", "interval", "decade", mod=_mod_of(m["part"]))


def _mod_of(words: str | None) -> str:
    """The TimeML MOD of qualifying words ("early", "the end of", "mid-"), or ""."""
    for word in re.split(r"[\s-]+", _word(words or "")):
        if word in MODS:
            return MODS[word]
    return ""


def _part_of_year(m, ctx):
    return _t(m, ctx, m["y"], "year", "part_of_year", mod=_mod_of(m["part"]))


def _season(m, ctx):
    return _t(m, ctx, m["y"], "year", "season", mod=m["season"].upper())


# -- explicit with the year taken from the anchor


def _month_day(m, ctx):
    if _month_is_verb(ctx, m.start("m")):
        return None
    month, day = _month_number(m["m"]), _day_number(m["d"])
    if not _valid_day(2000, month, day):  # 2000 is a leap year: accepts 29 February
        return None
    if m["y"]:
        year = int(m["y"])
        if not _valid_day(year, month, day):
            return None
        return _t(m, ctx, date(year, month, day).isoformat(), "day", "explicit_day",
                  reason=_weekday_check(m, date(year, month, day)))
    if m.re is RULES_BY_NAME["day_month"].pattern:  # "7th June", "the 7th of June", "5 July"
        base = "ordinal_day_month" if m["of"] is not None or m["d"][-1].isalpha() else "day_month"
    else:
        base = "month_day"  # "May 19", "June 7th"

    def resolve(anchor_day: date) -> tuple[date, date]:
        d = _most_recent(month, day, anchor_day)
        return d, d

    anchor = ctx.anchor
    if anchor is not None and anchor.precision == "month" and anchor.earliest.month == month:
        # "March 26" in a text of March 2024: news of its own month, not of the year before.
        value = date(anchor.earliest.year, month, day)
        if _valid_day(value.year, month, day):
            return _t(m, ctx, value.isoformat(), "day", f"{base}_anchor_month", anchor=anchor.value,
                      reason="the anchor's own month: its year")
    return _anchored(m, ctx, resolve, _named_year_rule(ctx, base, resolve))


def _range_month_days(m, ctx):
    if _month_is_verb(ctx, m.start("m")):
        return None
    if not _between_and(m, ctx):
        return None
    month, d1, d2 = _month_number(m["m"]), _day_number(m["d1"]), _day_number(m["d2"])
    if d1 >= d2 or not _valid_day(2000, month, d2):
        return None
    if m["y"]:
        year = int(m["y"])
        if not _valid_day(year, month, d2):
            return None
        return _t(m, ctx, f"{date(year, month, d1)}/{date(year, month, d2)}", "interval", "range_explicit", "range")

    def resolve(anchor_day: date) -> tuple[date, date]:
        end = _most_recent(month, d2, anchor_day)
        return date(end.year, month, d1), end

    return _anchored(m, ctx, resolve, _named_year_rule(ctx, "range_month_days", resolve), "range")


def _range_dates(m, ctx):
    if not _between_and(m, ctx) or _month_is_verb(ctx, m.start("m1")) or _month_is_verb(ctx, m.start("m2")):
        return None
    m1, d1, m2, d2 = _month_number(m["m1"]), _day_number(m["d1"]), _month_number(m["m2"]), _day_number(m["d2"])
    if not (_valid_day(2000, m1, d1) and _valid_day(2000, m2, d2)):
        return None
    if m["y"]:
        year = int(m["y"])
        if not (_valid_day(year, m2, d2) and _valid_day(year if (m1, d1) <= (m2, d2) else year - 1, m1, d1)):
            return None
        end = date(year, m2, d2)
        start = date(year if (m1, d1) <= (m2, d2) else year - 1, m1, d1)
        return _t(m, ctx, f"{start}/{end}", "interval", "range_explicit", "range")

    def resolve(anchor_day: date) -> tuple[date, date]:
        end = _most_recent(m2, d2, anchor_day)
        return _most_recent(m1, d1, end), end

    return _anchored(m, ctx, resolve, _named_year_rule(ctx, "range_dates", resolve), "range")


def _bare_month(m, ctx):
    """A month name with no day and no year, after a word that makes it a date ("in March", "Last November")."""
    if _month_is_verb(ctx, m.start("m")):
        return None
    if not (m["prep"] or m["lead"] or m["part"]):
        return None  # a lone capitalised month name may be a name or a verb: a date needs a cue
    month = _month_number(m["m"])
    lead = _word(m["lead"] or "")
    part = _word(m["part"] or "").rstrip("-")
    mod = _mod_of(part)
    if lead in ("last", "past", "previous"):
        def resolve(d: date) -> tuple[date, date]:
            return _month_range(d.year if month < d.month else d.year - 1, month)
        rule = "last_named_month"
    elif lead in ("next", "coming"):
        def resolve(d: date) -> tuple[date, date]:
            return _month_range(d.year if month > d.month else d.year + 1, month)
        rule = "next_named_month"
    else:
        def resolve(d: date) -> tuple[date, date]:
            return _month_range(d.year if month <= d.month else d.year - 1, month)
        rule = "part_of_month" if part else _named_year_rule(ctx, "month", resolve)
    group = "span"
    return _anchored(m, ctx, resolve, rule, group=group, mod=mod)


# -- anaphoric: counted from the last dated expression before them (a narrated event)

_ANAPHOR_SHIFT = {"previous": -1, "preceding": -1, "prior": -1, "before": -1, "earlier": -1,
                  "following": 1, "next": 1, "after": 1, "later": 1, "afterwards": 1, "afterward": 1,
                  "same": 0, "that": 0}


def _anaphoric(m, ctx):
    """"the previous day", "two days later", "a week earlier", "that year", "later the same year".

    Left unresolved here (``anaphor`` = ``<unit>:<shift>:<count|calendar>``): the value is counted
    from the last dated expression before it in the document, which :func:`resolve_anaphors` knows.
    "N units later" counts N units from that date (a day keeps its day); "the following month",
    "that year" name the calendar unit.
    """
    unit = _unit_name(m["unit"])
    rel = _word(m["rel"] or m.groupdict().get("rel2") or "").split()[-1]
    shift = _ANAPHOR_SHIFT[rel]
    n = _number(m["n"]) if m.groupdict().get("n") else 1
    if n is None:
        return _t(m, ctx, "", "unknown", "anaphoric_vague", "anaphoric", reason="vague quantity: no value")
    mode = "count" if m.groupdict().get("n") else "calendar"
    return _t(m, ctx, "", "unknown", f"anaphoric_{unit}", "anaphoric", anaphor=f"{unit}:{shift * n}:{mode}",
              reason="counted from the last dated expression before it")


def _anniversary(m, ctx):
    """"the first anniversary": a date only through the event it counts from, which the words do not date."""
    return _t(m, ctx, "", "unknown", "anniversary", "anniversary",
              reason="anniversary of an event: no value without that event's date")


def _anaphor_resolver(unit: str, shift: int, mode: str) -> Callable[[date], tuple[date, date]]:
    if unit == "day":
        return lambda d: (d + timedelta(days=shift), d + timedelta(days=shift))
    if mode == "count":
        def counted(d: date) -> tuple[date, date]:
            x = _shift(d, shift, unit)
            if unit == "week":
                return x, x
            return _month_range(x.year, x.month) if unit == "month" else _year_range(x.year)
        return counted
    return _calendar_unit(unit, shift)


# What an anaphoric expression may count from: a date the text gives, not a period, duration or range.
_EVENT_TYPES = ("date", "anaphoric")


def is_event_anchor(t: Timex, shift: int = 0) -> bool:
    """Whether a later "the previous day" or "that year" can count from ``t``.

    A look back ("the previous day", "a week earlier", ``shift`` < 0) is a digression: the story
    goes on from the date before it, so it does not become the anchor of what follows.
    """
    return bool(t.value) and t.expr_type in _EVENT_TYPES and not t.anaphor and t.rule != "page_stamp" and shift >= 0


def resolve_anaphors(timexes: Sequence[Timex], event: Timex | None = None, anchor: EDTF | None = None,
                     anchor_reason: str = "") -> tuple[list[Timex], Timex | None]:
    """Give anaphoric expressions their value, in reading order; return them and the last event anchor.

    Each counts from the last dated expression before it (``event``, carried over from earlier
    text); with none, from the document's ``anchor``. The anchor goes into ``anchor`` and the
    rule says which (``..._event`` / ``..._document``); precision is never finer than the anchor allows.
    """
    out = []
    for t in timexes:
        shift = 0
        if t.anaphor:
            unit, shift, mode = t.anaphor.split(":")
            shift = int(shift)
            base, basis = (parse_edtf(event.value), "event") if event is not None else (anchor, "document")
            rule = f"{t.rule}_{basis}"
            if base is None or _is_open(base):
                why = anchor_reason or "anchor unknown"
                if base is not None:
                    why = f"anchor {base.value} is open-ended"
                t = replace(t, rule=rule, anaphor="", reason=f"{why}: no dated expression before it")
            else:
                first, last, _ = _over_anchor(base, _anaphor_resolver(unit, shift, mode))
                value, precision = range_to_edtf(first, last)
                told = f"counted from '{event.text}' ({event.value})" if event is not None else \
                    "no dated expression before it: counted from the publication date"
                t = replace(t, value=value, precision=precision, anchor=base.value, rule=rule, anaphor="", reason=told)
        if is_event_anchor(t, shift):
            event = t
        out.append(t)
    return out, event


# -- relative to the anchor


def _relative_day(m, ctx):
    words = _word(m["word"]).split()
    core = words[-1] if words[0] in ("earlier", "later") else " ".join(words)
    offset = {"yesterday": -1, "tomorrow": 1}.get(core, 0)  # today, tonight, this morning: the anchor day
    rule = {0: "relative_today", -1: "relative_yesterday", 1: "relative_tomorrow"}[offset]

    def resolve(d: date) -> tuple[date, date]:
        return d + timedelta(days=offset), d + timedelta(days=offset)

    return _anchored(m, ctx, resolve, rule)


# A clause that speaks of the future before a weekday: "will meet on Tuesday", "is due to vote Friday".
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|shall|won['’]t|is\s+(?:due|expected|scheduled|set)|are\s+(?:due|expected|scheduled|set)|plans?\s+to"
    r"|planned\s+for|scheduled\s+for)\b[^.;!?]*$", re.IGNORECASE)
# Names that hold a weekday: "Good Friday", "Bloody Sunday", "Sunday Times" (checked on the words around it).
_WEEKDAY_IN_NAME_BEFORE = re.compile(r"\b(?:Good|Black|Bloody|Ash|Holy|Palm|Easter|Super|Cyber)\s+$")


def _relative_weekday(m, ctx):
    weekday = WEEKDAYS[_word(m["wd"]).rstrip(".")]
    lead = _word(m["lead"] or "")
    if not m["wd"][:1].isupper():
        return None
    after = ctx.text[m.end("span"):m.end("span") + 20]
    if _WEEKDAY_IN_NAME_BEFORE.search(ctx.text[:m.start("span")]) or re.match(r"\s+[A-Z][a-z]", after) and not (
            m["prep"] or lead):
        return None  # part of a name ("Good Friday", "Sunday Times"), not a date
    if not lead and not (m["prep"] or "").lower() in ("since", "by", "until", "from", "before", "after"):
        # Past-tense reporting points back to the most recent such day; a future clause forward.
        clause = ctx.text[max(0, m.start() - 120):m.start()]
        if _FUTURE_CLAUSE.search(clause):
            lead = "next_or_same"
    if lead == "last":
        def resolve(d: date) -> tuple[date, date]:
            x = d - timedelta(days=(d.weekday() - weekday - 1) % 7 + 1)
            return x, x
        rule = "last_weekday"
    elif lead == "next":
        def resolve(d: date) -> tuple[date, date]:
            x = d + timedelta(days=(weekday - d.weekday() - 1) % 7 + 1)
            return x, x
        rule = "next_weekday"
    elif lead == "next_or_same":
        def resolve(d: date) -> tuple[date, date]:
            x = d + timedelta(days=(weekday - d.weekday()) % 7)
            return x, x
        rule = "future_weekday"
    else:
        def resolve(d: date) -> tuple[date, date]:
            x = d - timedelta(days=(d.weekday() - weekday) % 7)
            return x, x
        rule = "relative_weekday"
    reason = {"relative_weekday": "most recent such weekday on or before the anchor",
              "future_weekday": "future tense: the first such weekday on or after the anchor"}.get(rule, "")
    return _anchored(m, ctx, resolve, rule, group="span", reason=reason)


def _calendar_unit(unit: str, shift: int) -> Callable[[date], tuple[date, date]]:
    """The calendar week/weekend/month/year ``shift`` units from the anchor day's own."""
    if unit == "week":
        return lambda d: (_monday(d) + timedelta(weeks=shift), _monday(d) + timedelta(weeks=shift, days=6))
    if unit == "weekend":
        if shift < 0:  # the most recent Saturday-Sunday that ended before the anchor day
            def last_weekend(d: date) -> tuple[date, date]:
                sunday = d - timedelta(days=(d.weekday() - 6 - 1) % 7 + 1)
                return sunday - timedelta(days=1), sunday
            return last_weekend
        return lambda d: (_monday(d) + timedelta(days=5 + 7 * shift), _monday(d) + timedelta(days=6 + 7 * shift))
    if unit == "month":
        return lambda d: _month_range(_add_months(d, shift).year, _add_months(d, shift).month)
    if unit == "year":
        return lambda d: _year_range(d.year + shift)
    if unit == "decade":
        return lambda d: (date(d.year // 10 * 10 + 10 * shift, 1, 1), date(d.year // 10 * 10 + 10 * shift + 9, 12, 31))
    raise ValueError(unit)


def _relative_unit(m, ctx):
    """"last week", "this year", "earlier this month", "last weekend", "next month"."""
    lead, unit = _word(m["lead"]), _word(m["unit"])
    shift = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[lead.split()[-1]]
    name = {-1: "last", 0: "this", 1: "next"}[shift]
    return _anchored(m, ctx, _calendar_unit(unit, shift), f"{name}_{unit}")


def _shift(d: date, n: int, unit: str) -> date:
    if unit in ("month",):
        return _add_months(d, n)
    if unit in ("year", "decade", "century"):
        return _add_months(d, 12 * n * {"year": 1, "decade": 10, "century": 100}[unit])
    if unit == "hour":  # a day holds the hours: "the past 24 hours" reaches back one calendar day
        days = -(-abs(n) // 24)  # whole days, rounded up
        return d + timedelta(days=days if n > 0 else -days)
    return d + timedelta(days=n * {"day": 1, "week": 7}[unit])


def _unit_name(text: str) -> str:
    word = _word(text)
    return "century" if word.startswith("centur") else word.rstrip("s")


def _ago(m, ctx):
    n = _number(m["n"])
    unit = _unit_name(m["unit"])
    mod = MODS.get(_word(m["mod"] or ""), "")  # "nearly", "more than": whole phrases
    if n is None or unit == "hour":
        return _t(m, ctx, "", "unknown", "ago", "vague", reason="vague quantity: no value")

    def resolve(d: date) -> tuple[date, date]:
        x = _shift(d, -n, unit)
        if unit == "day":
            return x, x
        if unit == "week":
            return _monday(x), _monday(x) + timedelta(days=6)
        if unit == "month":
            return _month_range(x.year, x.month)
        return _year_range(x.year)

    return _anchored(m, ctx, resolve, "ago", mod=mod)


def _past_period(m, ctx):
    """"the past three months": from the anchor minus the length to the anchor."""
    unit_text = _word(m["unit"])
    unit = _unit_name(unit_text)
    lead = _word(m["lead"])
    future = lead in ("next", "coming")
    if not m["n"] and (future or lead == "previous") and not unit_text.endswith("s"):
        return None  # "the next day", "the previous year": counted from a narrated event, not the anchor
    n = _number(m["n"]) if m["n"] else (None if unit_text.endswith("s") else 1)
    rule = "next_period" if future else "past_period"
    if n is None:
        return _t(m, ctx, "", "unknown", rule, "vague", group="span", reason="vague quantity: no value")

    def resolve(d: date) -> tuple[date, date]:
        return (d, _shift(d, n, unit)) if future else (_shift(d, -n, unit), d)

    return _anchored(m, ctx, resolve, rule, "period", group="span", duration=_iso_duration(n, unit))


def _iso_duration(n: int | None, unit: str) -> str:
    if n is None:
        return ""
    if unit == "hour":
        return f"PT{n}H"
    if unit == "decade":
        return f"P{10 * n}Y"
    if unit == "century":
        return f"P{100 * n}Y"
    return f"P{n}{unit[0].upper()}"


def _duration(m, ctx):
    after = ctx.text[m.end():m.end() + 8].lower()
    if re.match(r"^[\s-]*old\b", after) or re.match(r"^\s+ago\b", after):
        return None  # an age ("29-year-old") or a past point handled by the ago rule
    n = _number(m["n"])
    unit = _unit_name(m["unit"])
    reason = "duration: no calendar value" if n is not None else "vague duration: no calendar value"
    return _t(m, ctx, "", "duration", "duration", "duration", duration=_iso_duration(n, unit), reason=reason)


_VAGUE_REASONS = {
    "present": "vague: refers to the present (TimeML PRESENT_REF), not a calendar value",
    "past": "vague: says only that it is before the anchor (TimeML PAST_REF)",
    "future": "vague: says only that it is after the anchor (TimeML FUTURE_REF)",
}
_PRESENT = re.compile(r"^(?:now|current|currently|nowadays|at present|these days)$")
_FUTURE = re.compile(r"future")


def _vague(m, ctx):
    word = _word(m.group(0))
    kind = "present" if _PRESENT.match(word) else "future" if _FUTURE.search(word) else "past"
    return _t(m, ctx, "", "unknown", "vague", "vague", reason=_VAGUE_REASONS[kind])


def _vague_word(m, ctx):
    """"now", "current", "recent", "earlier" as time words: not an adjective of order ("the earlier report")."""
    token = _token_at(ctx, m.start())
    word = _word(m["w"])
    if token is not None:
        if word == "earlier" and token.pos_ != "ADV":
            return None  # "the earlier report", "an earlier version": order, not time
        if word in ("current", "recent") and token.pos_ != "ADJ":
            return None  # "the current" of a river, "Current" as a name
    return _vague(m, ctx)


# ---------------------------------------------------------------- the registry

_I = re.IGNORECASE
RULES: list[_Rule] = [
    _Rule("explicit_day", re.compile(
        rf"(?:(?P<wd>{_WEEKDAY}){_WD_SEP})?(?<![\d])(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MON}),?\s+(?P<y>{_YEAR}){_CLOCK}{_END}"),
        _explicit_day),
    _Rule("explicit_day", re.compile(
        rf"(?:(?P<wd>{_WEEKDAY}){_WD_SEP})?(?P<m>{_MON})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR}){_CLOCK}{_END}"),
        _explicit_day),
    _Rule("iso_date", re.compile(rf"(?<![\d/-])(?P<y>{_YEAR})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d/])"), _iso_day),
    _Rule("numeric_date", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
          _numeric_date),
    _Rule("numeric_911", re.compile(r"(?<![\d/])9/11(?![\d/])"), _named_date),
    _Rule("numeric_911", re.compile(r"\b(?:Sept(?:ember|\.)?)\s+11(?:th)?(?=,?\s+(?:attacks?|terror|hijack))"), _named_date),
    _Rule("explicit_month", re.compile(rf"(?P<m>{_MON}),?\s+(?P<y>{_YEAR}){_END}"), _month_year),
    _Rule("range_dates", re.compile(
        rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY})\s*(?P<conj>to|through|until|till|and|[-–—])\s*(?P<m2>{_MON})\s+(?P<d2>{_DAY})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?(?![\d:])"), _range_dates),
    _Rule("range_month_days", re.compile(
        rf"(?P<m>{_MON})\s+(?P<d1>{_DAY})\s*(?P<conj>[-–—]|to|through|and)\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"
        rf"(?![\d:])"), _range_month_days),
    _Rule("range_month_days", re.compile(
        rf"(?<![\d.,])(?P<d1>{_DAY})\s*(?P<conj>[-–—]|to|through|and)\s*(?P<d2>{_DAY})\s+(?P<m>{_MON})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?{_END}"), _range_month_days),
    _Rule("month_day", re.compile(
        rf"(?:(?P<wd>{_WEEKDAY}){_WD_SEP})?(?P<m>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?(?![\d:/,]\d|[\d:/])"),
        _month_day),
    _Rule("day_month", re.compile(
        rf"(?:(?P<wd>{_WEEKDAY}){_WD_SEP})?(?<![\d.,])(?:the\s+)?(?P<d>{_DAY})(?P<of>\s+of)?\s+(?P<m>{_MON})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?{_END}"),
        _month_day),
    _Rule("range_years", re.compile(
        rf"(?<![\w$£€,./-])(?P<y1>{_YEAR})\s*(?P<conj>[-–—]|to|through|until|and)\s*"
        rf"(?P<y2>{_YEAR}|\d\d)(?![\w%]|[.,]\d)", _I), _range_years),
    _Rule("decade", re.compile(rf"(?:the\s+)?(?P<part>(?:early|mid|late)[\s-]+)?(?P<dec>(?:1[89]|20)\d0)['’]?s{_END}", _I),
          _decade),
    _Rule("part_of_year", re.compile(
        rf"(?P<part>early|mid-?|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of)[\s-]*(?P<y>{_YEAR}){_END}", _I),
        _part_of_year),
    _Rule("season", re.compile(rf"(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?\s+(?P<y>{_YEAR}){_END}",
                               _I), _season),
    _Rule("year", re.compile(rf"(?<![\w$£€,./])(?<!\d-)(?P<y>{_YEAR})(?![\w%]|[.,]\d|/\d|-\d)"), _year),
    _Rule("month", re.compile(
        rf"(?:\b(?P<prep>[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ff]rom|[Tt]hrough|[Bb]efore|[Aa]fter)\s+(?:the\s+)?)?"
        rf"(?P<span>(?:\b(?P<lead>[Ll]ast|[Pp]ast|[Pp]revious|[Tt]his|[Nn]ext|[Cc]oming)\s+)?"
        rf"(?P<part>(?:\b(?i:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of))[\s-]+)?"
        rf"(?P<m>{_MONTH_FULL}))(?![\w-]|\s*\d|\s+of\s+\d)"), _bare_month),
    _Rule("relative_day", re.compile(
        r"\b(?P<word>(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening)|yesterday|tomorrow)"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b", _I), _relative_day),
    _Rule("relative_weekday", re.compile(
        rf"(?:\b(?P<prep>[Oo]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Bb]efore|[Aa]fter)\s+)?"
        rf"(?P<span>(?:\b(?P<lead>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate)\s+)?(?P<wd>{_WEEKDAY})"
        rf"(?:\s+(?:morning|afternoon|evening|night))?)"
        rf"(?!\w|{_WD_SEP}(?:\d|{_MON}\s*\d))"), _relative_weekday),
    _Rule("anaphoric", re.compile(
        r"\b(?:(?:later|earlier)\s+(?:in\s+)?)?(?:the\s+(?P<rel>previous|following|next|same|prior|preceding)"
        r"|(?P<rel2>that(?:\s+same)?))\s+(?P<unit>day|week|month|year)\b", _I), _anaphoric),
    _Rule("anaphoric", re.compile(
        r"\bthe\s+(?P<unit>day|week|month|year)\s+(?P<rel>before|after|earlier|later|prior)\b"
        r"(?!\s+(?:the|a|an|his|her|its|their|this|that|these|those|[A-Z0-9]))", _I), _anaphoric),
    _Rule("anaphoric", re.compile(
        rf"\b(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+(?P<rel>later|earlier|afterwards?|before|after)\b"
        r"(?!\s+(?:the|a|an|his|her|its|their|this|that|these|those|[A-Z0-9]))", _I), _anaphoric),
    _Rule("anniversary", re.compile(
        r"\b(?:the\s+)?(?:(?:\w+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+)?"
        r"anniversary\b", _I), _anniversary),
    _Rule("relative_unit", re.compile(
        r"\b(?P<lead>(?:(?:earlier|later)\s+)?(?:last|previous|this|current|next|coming))\s+"
        r"(?P<unit>weekend|week|month|year|decade)\b", _I), _relative_unit),
    _Rule("ago", re.compile(
        rf"\b(?:(?P<mod>nearly|almost|about|around|some|roughly|approximately|more than|over|less than|just over"
        rf"|just under)\s+)?(?P<n>{_NUM})\s+(?P<unit>{_UNIT}s?)\s+ago\b", _I), _ago),
    _Rule("past_period", re.compile(
        rf"(?P<span>\b(?:the\s+)(?P<lead>past|last|previous|next|coming)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT}s?))\b",
        _I), _past_period),
    _Rule("duration", re.compile(
        rf"\b(?:an?\s+)?(?P<n>{_NUM})[\s-](?P<unit>{_UNIT}s?)(?:\s+(?:period|span|stretch|spell|window|long))?\b", _I),
        _duration),
    _Rule("duration", re.compile(r"\bfor\s+(?P<n>)(?P<unit>hours|days|weeks|months|years|decades)(?:\s+now)?\b", _I),
          _duration),
    _Rule("vague", re.compile(
        r"\b(?:recently|lately|previously|currently|nowadays|at\s+present|these\s+days|in\s+the\s+(?:past|future)"
        r"|for\s+(?:a\s+(?:long\s+)?while|some\s+time|a\s+long\s+time)(?:\s+now)?"
        r"|in\s+recent\s+(?:days|weeks|months|years))\b", _I), _vague),
    # TimeML's PRESENT_REF / PAST_REF words, checked against spaCy's tags.
    _Rule("vague_word", re.compile(r"\b(?P<w>now|current|recent|earlier)\b(?!\s+than\b)", _I), _vague_word),
]

RULES_BY_NAME = {r.name: r for r in RULES}
_SINCE = re.compile(r"\b(?:since|ever\s+since)\s+$", re.IGNORECASE)


# ---------------------------------------------------------------- finding


def _candidates(ctx: _Context) -> tuple[list[tuple[int, Timex]], list[tuple[int, int]]]:
    """Every rule's accepted matches (with the rule's rank in the registry) and the spans rules rejected."""
    found, rejected = [], []
    for rank, rule in enumerate(RULES):
        for m in rule.pattern.finditer(ctx.text):
            timex = rule.handler(m, ctx)
            if timex is not None and timex.end > timex.start:
                found.append((rank, timex))
            elif timex is None:
                rejected.append(m.span())
    return found, rejected


def _select(candidates: list[tuple[int, Timex]]) -> list[Timex]:
    """Keep the longest non-overlapping expressions; on ties, the earlier rule in the registry."""
    chosen: list[Timex] = []
    for _, t in sorted(candidates, key=lambda c: (-(c[1].end - c[1].start), c[1].start, c[0])):
        if all(t.end <= c.start or c.end <= t.start for c in chosen):
            chosen.append(t)
    return sorted(chosen, key=lambda t: (t.start, t.end))


def _latest_part(value: str) -> str:
    """The part of an EDTF value that holds its latest day: ``B`` of ``A/B``, else the value."""
    return value.rpartition("/")[2]


def _with_since(t: Timex, text: str, anchor: EDTF | None, anchor_reason: str) -> Timex:
    """Take in a preceding "since": the value becomes the period from the expression to the anchor.

    "since 1979" in a text dated ``2019-05`` is ``1979/2019-05``; each end keeps its own
    precision. Without a (closed) anchor the end is unknown, so the value is empty.
    """
    m = _SINCE.search(text, 0, t.start)
    if not m or t.expr_type in ("duration", "vague", "period"):
        return t
    since = replace(t, start=m.start(), text=text[m.start():t.end], rule=f"since_{t.rule}", expr_type="since")
    if not t.value:
        return since
    begin = t.value.partition("/")[0]
    if anchor is None or _is_open(anchor):
        why = anchor_reason or "anchor unknown"
        if anchor is not None:
            why = f"anchor {anchor.value} is open-ended"
        return replace(since, value="", precision="unknown", anchor=anchor.value if anchor else "",
                       reason=f"{why}: the period starts {begin} and runs to the unit's date")
    end = _latest_part(anchor.value)
    if parse_edtf(end).latest < parse_edtf(begin).earliest:
        return replace(since, reason="the period would end before it starts")
    if begin == end:  # "since today"
        return replace(since, anchor=anchor.value)
    return replace(since, value=f"{begin}/{end}", precision="interval", anchor=anchor.value)


def _ner_leftovers(ctx: _Context, chosen: list[Timex], rejected: list[tuple[int, int]]) -> list[Timex]:
    """DATE/TIME entities no rule explains but that name a time word: kept, unnormalised.

    An entity over words a rule saw and rejected ("March" the verb, "2000 troops") is dropped:
    the rule's check of the context overrides the statistical guess.
    """
    if ctx.doc is None:
        return []
    out = []
    for ent in ctx.doc.ents:
        if ent.label_ not in ("DATE", "TIME") or not TEMPORAL_WORDS.search(ent.text):
            continue
        start, end = ent.start_char, ent.end_char
        if any(start < c.end and c.start < end for c in chosen) or any(start < e and s < end for s, e in rejected):
            continue
        out.append(Timex(start, end, ent.text, "", "unknown", "ner_date", "date",
                         reason="found by the statistical NER; no rule normalises it"))
    return out


def find_timexes(text: str, anchor: str = "", doc=None, anchor_reason: str = "", event: Timex | None = None,
                 carry: list | None = None) -> list[Timex]:
    """Find and normalise the temporal expressions of ``text``, sorted by start.

    ``anchor`` is the EDTF publication date the relative expressions are computed from
    ("" when unknown: those expressions then get an empty value and ``anchor_reason``).
    ``doc`` is spaCy's parse of exactly ``text``; with it, verbs and counts that look like
    dates are rejected and NER dates no rule explains are kept unnormalised.

    >>> [(t.text, t.value, t.rule) for t in find_timexes("Last month, in May 2018.", "2018-08-10")]
    [('Last month', '2018-07', 'last_month'), ('May 2018', '2018-05', 'explicit_month')]
    """
    ctx = _Context(text, parse_edtf(anchor) if anchor else None, anchor_reason, doc)
    candidates, rejected = _candidates(ctx)
    chosen = [_with_since(t, text, ctx.anchor, anchor_reason) for t in _select(candidates)]
    found = sorted(chosen + _ner_leftovers(ctx, chosen, rejected), key=lambda t: (t.start, t.end))
    found, last = resolve_anaphors(found, event, ctx.anchor, anchor_reason)
    if carry is not None:
        carry[:] = [last]
    return found


# ---------------------------------------------------------------- documents and units

_ABSOLUTE_RULES = ("explicit_day", "iso_date", "numeric_date", "numeric_911", "explicit_month", "range_explicit",
                   "range_years", "decade", "part_of_year", "season", "year")


def _anchor_for(parsed, block) -> tuple[str, str]:
    """The anchor of a block's expressions and, when it is unknown, why."""
    doc = parsed.document
    if block.boilerplate == "related":
        return "", "anchor unknown: teaser of another article, whose date is not given"
    unit = next((u for u in parsed.units if u.unit_id == block.unit_id), None)
    if unit is None or unit.kind != "teaser":
        if doc.published:
            return doc.published if unit is None else unit.published or doc.published, ""
        why = "not in sources.csv" if not doc.in_manifest else "no published date in sources.csv"
        return "", f"anchor unknown: the document's publication date is not given ({why})"
    if unit.published:
        return unit.published, ""
    return "", "anchor unknown: the teaser's own date is not given"


def document_timexes(parsed) -> list[tuple[object, Timex]]:
    """``(block, timex)`` for every expression of a parsed document, offsets still block-relative."""
    out = []
    carry: list = [None]  # the last dated expression, which "the previous day" in a later block counts from
    unit_id = None
    for block in parsed.blocks:
        if block.unit_id != unit_id or block.boilerplate == "related":
            carry, unit_id = [None], block.unit_id  # narration does not run across units or into teasers
        anchor, why = _anchor_for(parsed, block)
        text = parsed.document.text[block.start:block.end]
        for t in find_timexes(text, anchor, block.doc, why, event=carry[0], carry=carry):
            out.append((block, t))
    return out


def _evidence(found: list[tuple[object, Timex]]) -> dict[str, tuple[date, str, str]]:
    """Per unit, the latest explicit absolute date it mentions: (its first day, value, basis text)."""
    out: dict[str, tuple[date, str, str]] = {}
    for block, t in found:
        if not (t.value and t.rule in _ABSOLUTE_RULES and block.unit_id):
            continue
        first = t.value.split("/")[0]
        day = parse_edtf(first).earliest
        if block.unit_id not in out or day > out[block.unit_id][0]:
            out[block.unit_id] = (day, first, f"no earlier than {first}, mentioned in {_short(block.unit_id)} ('{t.text}')")
    return out


def _short(unit_id: str) -> str:
    return "#" + unit_id.rsplit("#", 1)[-1]


def _upper_bounds(parsed, stamp: str) -> list[tuple[str, str]]:
    """Per unit, (latest, basis): the newest dated unit or page date above a teaser, or the page stamp."""
    page = _closed_part(parsed.document.published, latest=True)
    if page:
        bound = (page, f"no later than the page's date {parsed.document.published}")
    else:
        bound = (stamp, f"no later than the page stamp {stamp}") if stamp else ("", "")
    own_stamp = (stamp, f"no later than the page stamp {stamp}") if stamp else ("", "")
    out = []
    for u in parsed.units:
        out.append(bound if u.kind == "teaser" else own_stamp)
        if u.kind == "teaser" and _closed_part(u.published, latest=True):
            bound = (_closed_part(u.published, latest=True), f"no later than {_short(u.unit_id)}, dated {u.published}")
    return out


def _closed_part(value: str, latest: bool) -> str:
    """The part of an EDTF value holding its latest (or earliest) day; "" when that end is open or unknown."""
    if not value:
        return ""
    head, _, tail = value.partition("/")
    part = (tail or head) if latest else head
    return "" if part == ".." else part


def _lower_bounds(parsed, evidence: dict[str, tuple[date, str, str]]) -> list[tuple[str, str]]:
    """Per unit, (earliest, basis): the latest absolute date it, or (for a teaser) any older teaser, mentions."""
    out: list[tuple[str, str]] = []
    best: tuple[date, str, str] | None = None
    for u in reversed(parsed.units):
        own = evidence.get(u.unit_id)
        first = _closed_part(u.published, latest=False)
        if first:
            own = (parse_edtf(first).earliest, first, f"no earlier than {_short(u.unit_id)}, dated {u.published}")
        if u.kind != "teaser":
            best = None  # an article's neighbours are not ordered in time
        if own is not None and (best is None or own[0] > best[0]):
            best = own
        out.append((best[1], best[2]) if best else ("", ""))
        if u.kind != "teaser":
            best = None
    return out[::-1]


def unit_bounds(parsed, found: list[tuple[object, Timex]] | None = None) -> list[dict]:
    """What bounds each unit's own date: ``[{unit_id, earliest, latest, basis}]`` in unit order.

    A dated unit is bounded by its own date. In a teaser list (newest first) an undated teaser
    is no later than the nearest dated teaser above it, or else the page's date, and no earlier
    than the latest explicit absolute date it, or any teaser below it, mentions (a teaser
    reports what happened before it). An undated article is no earlier than the latest
    absolute date it mentions and no later than its page stamp ("Last Modified: ..."), if any.
    ``earliest``/``latest`` are EDTF values (their first/last day is the bound), "" when
    unbounded. Bounds are evidence, not dates: they never fill an expression's value.
    """
    found = document_timexes(parsed) if found is None else found
    stamps = sorted((parse_edtf(t.value).latest, t.value) for _, t in found if t.rule == "page_stamp" and t.value)
    upper = _upper_bounds(parsed, stamps[0][1] if stamps else "")
    lower = _lower_bounds(parsed, _evidence(found))
    rows = []
    for u, (late, late_basis), (early, early_basis) in zip(parsed.units, upper, lower):
        if u.published:
            rows.append({"unit_id": u.unit_id, "earliest": _closed_part(u.published, latest=False),
                         "latest": _closed_part(u.published, latest=True), "basis": "the unit's own publication date"})
            continue
        parts = [p for p in (early_basis, late_basis) if p]
        if u.kind == "teaser" and parts:
            parts.append("the teasers run newest first")
        if early and late and parse_edtf(early).earliest > parse_edtf(late).latest:
            parts.append("the bounds contradict each other")
        rows.append({"unit_id": u.unit_id, "earliest": early, "latest": late,
                     "basis": "; ".join(parts) or "no evidence bounds this unit's date"})
    return rows


def bound_interval(row: dict) -> str:
    """A unit bound as one EDTF interval, ``..`` for an open end; "" when unbounded."""
    if not row["earliest"] and not row["latest"]:
        return ""
    return f"{row['earliest'] or '..'}/{row['latest'] or '..'}"


def timex_rows(parsed) -> Iterator[tuple[str, dict]]:
    """Rows of ``timexes.csv`` (sorted by start) and ``unit_bounds.csv`` for one parsed document."""
    found = document_timexes(parsed)
    bounds = unit_bounds(parsed, found)
    by_unit = {b["unit_id"]: b for b in bounds}
    sid = parsed.document.source_id
    rows = []
    for block, t in found:
        unit_bound = by_unit.get(block.unit_id)
        needs_bound = not t.value and t.reason.startswith("anchor unknown") and unit_bound is not None
        rows.append({
            "source_id": sid, "start": block.start + t.start, "end": block.start + t.end, "text": t.text,
            "value": t.value, "precision": t.precision, "anchor": t.anchor, "rule": t.rule,
            "unit_id": block.unit_id, "expr_type": t.expr_type, "reason": t.reason, "mod": t.mod,
            "duration": t.duration, "bound": bound_interval(unit_bound) if needs_bound else "",
        })
    for row in sorted(rows, key=lambda r: (r["start"], r["end"])):
        yield "timexes.csv", row
    for b in bounds:
        yield "unit_bounds.csv", {"source_id": sid, **b}
