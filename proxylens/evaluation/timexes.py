"""Scoring the timeline stage against hand-made gold, with dateparser as the baseline.

Three checks, each computed here from the files, never typed in:

1. **Seed gold** (``data/curated/timex_gold.csv``): *detection* of the extractor's
   ``timexes.csv`` rows (a predicted span matches a gold span when they overlap; one to one)
   and *value accuracy*. Value accuracy is measured twice: end to end (the extractor's own
   anchors, from ``seeds/sources.csv``: teasers have none) and normaliser only, where every gold
   expression is normalised in its line with the gold's own anchor, so that the normaliser is
   judged apart from the dating of units. The baseline, ``dateparser.parse``, gets the same
   expression text and the same anchor (``RELATIVE_BASE`` = the anchor's latest day,
   ``PREFER_DATES_FROM`` past).
2. **Curated events** (``data/curated/events.csv``): the anchored date expressions of the
   events (``date_basis`` relative, or explicit with a month or weekday but no year) are
   resolved in context and compared with the event's date.
3. **Unseen texts** (``data/unseen/timexes/``): short documents whose gold was written by hand
   before the extractor was run on them; scored like (1), separately.

The comparison rule, applied to both systems alike: a value is correct when, projected to the
gold's precision, it equals the gold value (each end of an interval projected to the precision
of the gold's end). A prediction coarser than the gold cannot be projected and is wrong; a
finer one is cut down, so dateparser's invented day (``2018-07-15`` for "last month") counts as
``2018-07``. An empty gold value (a duration, a vague expression) is matched only by an empty
prediction. The *lenient* score for events also accepts a prediction that contains the event's
date (the event may be dated more finely, from the public record, than its words allow).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from proxylens.corpus import blocks, load_corpus
from proxylens.edtf import parse_edtf
from proxylens.paths import curated_dir, repo_root, seeds_dir
from proxylens.timeline import Timex, find_timexes

GOLD_COLUMNS = ["source_id", "start", "end", "text", "value", "precision", "anchor", "anchor_basis", "expr_type", "note"]
FALLBACK_BASE = date(2020, 1, 1)  # dateparser's base when no anchor is known: fixed, so scores are reproducible


def read_rows(path: Path) -> list[dict]:
    """Rows of a CSV file as dicts of strings."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def unseen_dir() -> Path:
    return repo_root() / "data" / "unseen" / "timexes"


# ---------------------------------------------------------------- comparing values


def _ends(value: str) -> tuple[str, str]:
    head, slash, tail = value.partition("/")
    return (head, tail) if slash else (value, value)


def _cut(part: str, like: str) -> str | None:
    """``part`` cut to the precision of ``like`` (both single EDTF values); None if ``part`` is coarser."""
    if part == ".." or like == "..":
        return part if part == like else None
    return part[: len(like)] if len(part) >= len(like) else None


def value_matches(pred: str, gold: str) -> bool:
    """True when ``pred`` projected to the precision of ``gold`` equals ``gold`` (see module docstring).

    >>> value_matches("2018-07-15", "2018-07"), value_matches("2018", "2018-07")
    (True, False)
    >>> value_matches("2018-09-27/2018-11-07", "2018-09-27/2018-11-07"), value_matches("", "")
    (True, True)
    """
    if not gold or not pred:
        return pred == gold
    (g1, g2), (p1, p2) = _ends(gold), _ends(pred)
    return _cut(p1, g1) == g1 and _cut(p2, g2) == g2


def value_contains(pred: str, gold: str) -> bool:
    """True when every day of ``gold`` lies within ``pred`` (both non-empty EDTF values)."""
    if not pred or not gold:
        return False
    p, g = parse_edtf(pred), parse_edtf(gold)
    return p.earliest <= g.earliest and g.latest <= p.latest


# ---------------------------------------------------------------- the two systems


def base_day(anchor: str) -> date | None:
    """The anchor's latest closed day (its earliest when the end is open); None when there is no anchor."""
    if not anchor:
        return None
    head, _, tail = anchor.partition("/")
    if tail and tail != "..":
        return parse_edtf(tail).latest
    if not tail:
        return parse_edtf(head).latest
    return parse_edtf(head).earliest if head != ".." else None


def dateparser_value(text: str, anchor: str) -> str:
    """The baseline: ``dateparser.parse(text)`` relative to the anchor's latest day, as ``YYYY-MM-DD`` or ""."""
    import dateparser

    base = base_day(anchor) or FALLBACK_BASE
    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    # English only: the texts are English, and language detection over every locale costs ~15x the time
    # without changing any result on the gold expressions.
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else ""


def line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The block (non-empty line) of ``text`` that holds ``[start, end)``."""
    for s, e in blocks(text):
        if s <= start and end <= e:
            return s, e
    raise ValueError(f"span {start}-{end} is not inside one line")


def normalise_in_context(text: str, start: int, end: int, anchor: str, nlp=None) -> Timex | None:
    """The extractor's expression at ``[start, end)`` of ``text`` when its line is read with ``anchor``.

    The line is parsed (with ``nlp`` when given) and searched; the expression overlapping the
    span most is returned, with offsets on ``text``; None when nothing overlaps (a miss).
    """
    s, e = line_of(text, start, end)
    line = text[s:e]
    found = find_timexes(line, anchor, nlp(line) if nlp is not None else None)
    best, best_overlap = None, 0
    for t in found:
        overlap = min(t.end + s, end) - max(t.start + s, start)
        if overlap > best_overlap:
            best, best_overlap = t, overlap
    if best is None:
        return None
    return Timex(best.start + s, best.end + s, best.text, best.value, best.precision, best.rule, best.expr_type,
                 best.anchor, best.mod, best.duration, best.reason)


# ---------------------------------------------------------------- detection


def match_spans(pred: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(pred index, gold index)`` of overlapping spans in the same source, largest overlap first."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p["source_id"] != g["source_id"]:
                continue
            overlap = min(int(p["end"]), int(g["end"])) - max(int(p["start"]), int(g["start"]))
            if overlap > 0:
                pairs.append((-overlap, i, j))
    used_p, used_g, out = set(), set(), []
    for _, i, j in sorted(pairs):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return sorted(out)


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 (rounded to 3 places) from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def detection_scores(pred: list[dict], gold: list[dict]) -> dict:
    """Span-overlap detection scores of predicted rows against gold rows."""
    return prf(len(match_spans(pred, gold)), len(pred), len(gold))


# ---------------------------------------------------------------- scoring values


@dataclass
class Judged:
    """One gold expression, what each system made of it, and whether that is right."""

    source_id: str
    start: int
    end: int
    text: str
    gold: str
    anchor: str
    gold_type: str
    ours: str
    our_rule: str
    baseline: str
    ours_correct: bool
    baseline_correct: bool
    ours_lenient: bool = False
    baseline_lenient: bool = False


def accuracy(items: list[Judged], key: str = "ours_correct") -> dict:
    """``{"n", "correct", "accuracy"}`` over ``items`` for the boolean attribute ``key``."""
    n = len(items)
    k = sum(bool(getattr(i, key)) for i in items)
    return {"n": n, "correct": k, "accuracy": round(k / n, 3) if n else 0.0}


def by_group(items: list[Judged], attr: str) -> dict[str, dict]:
    """Accuracy of both systems per value of ``attr`` (e.g. the gold's ``gold_type``), sorted by name."""
    out = {}
    for name in sorted({getattr(i, attr) for i in items}):
        group = [i for i in items if getattr(i, attr) == name]
        out[name] = {"n": len(group), "ours": accuracy(group)["correct"], "baseline": accuracy(group, "baseline_correct")["correct"]}
    return out


def judge_gold(gold: list[dict], texts: dict[str, str], nlp=None) -> list[Judged]:
    """Normalise every gold expression in context with the gold's anchor, by both systems."""
    out = []
    for g in gold:
        start, end = int(g["start"]), int(g["end"])
        t = normalise_in_context(texts[g["source_id"]], start, end, g["anchor"], nlp)
        ours = t.value if t else ""
        base = dateparser_value(g["text"], g["anchor"])
        out.append(Judged(
            g["source_id"], start, end, g["text"], g["value"], g["anchor"], g["expr_type"], ours,
            t.rule if t else "(missed)", base,
            ours_correct=t is not None and value_matches(ours, g["value"]),
            baseline_correct=value_matches(base, g["value"]),
        ))
    return out


def value_summary(items: list[Judged]) -> dict:
    """Accuracy of both systems over all, anchored, and anchored-with-a-value expressions, and by type."""
    anchored = [i for i in items if i.anchor]
    valued = [i for i in anchored if i.gold]
    return {
        "all": {"ours": accuracy(items), "baseline": accuracy(items, "baseline_correct")},
        "anchored": {"ours": accuracy(anchored), "baseline": accuracy(anchored, "baseline_correct")},
        "anchored_with_value": {"ours": accuracy(valued), "baseline": accuracy(valued, "baseline_correct")},
        "by_gold_type": by_group(items, "gold_type"),
        "by_our_rule": by_group(items, "our_rule"),
    }


# ---------------------------------------------------------------- end to end


@dataclass
class Extracted:
    """The extractor's output over a folder: timex rows, unit bounds, texts and unit spans."""

    timexes: list[dict]
    unit_dates: list[dict]
    texts: dict[str, str]
    unit_spans: dict[str, tuple[int, int]]


def extracted_from(tables: dict[str, list[dict]], texts: dict[str, str]) -> Extracted:
    """:class:`Extracted` from rows of the extractor's ``timexes``, ``unit_bounds`` and ``units``
    tables (keyed by those names), e.g. an extraction the caller ran or the committed tables."""
    spans = {row["unit_id"]: (int(row["start"]), int(row["end"])) for row in tables["units"]}
    return Extracted(list(tables["timexes"]), list(tables["unit_bounds"]), dict(texts), spans)


def extract(docs_dir: Path) -> Extracted:
    """Run the extractor's timeline stage over every document of a folder."""
    from proxylens.engine import extract as run_extractor
    from proxylens.timeline import TABLES

    out = Extracted([], [], {}, {})
    corpus = load_corpus(docs_dir)
    out.texts.update({document.source_id: document.text for document in corpus.documents})
    for table, row in run_extractor(corpus):
        if table == "units.csv":
            out.unit_spans[row["unit_id"]] = (row["start"], row["end"])
        elif table in TABLES:
            (out.timexes if table == "timexes.csv" else out.unit_dates).append(row)
    return out


def end_to_end(pred: list[dict], gold: list[dict]) -> dict:
    """Detection scores, and value accuracy of the matched pairs with the extractor's own anchors."""
    pairs = match_spans(pred, gold)
    matched = [(pred[i], gold[j]) for i, j in pairs]
    correct = sum(value_matches(p["value"], g["value"]) for p, g in matched)
    anchored = [(p, g) for p, g in matched if g["anchor"]]
    return {
        "detection": detection_scores(pred, gold),
        "values_of_matched": {"n": len(matched), "correct": correct,
                              "accuracy": round(correct / len(matched), 3) if matched else 0.0},
        "anchored_values_of_matched": {
            "n": len(anchored), "correct": sum(value_matches(p["value"], g["value"]) for p, g in anchored),
        },
        "missed": sorted(f"{g['source_id']}:{g['start']} {g['text']!r}" for j, g in enumerate(gold)
                         if j not in {jj for _, jj in pairs}),
        "spurious": sorted(f"{p['source_id']}:{p['start']} {p['text']!r}" for i, p in enumerate(pred)
                           if i not in {ii for ii, _ in pairs}),
    }


# ---------------------------------------------------------------- curated events

_MONTH_OR_WEEKDAY = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan.", "feb.", "mar.", "apr.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec.",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)


def is_anchored_event(event: dict) -> bool:
    """An event whose date words need the publication date: relative, or a month/weekday with no year."""
    words = event.get("date_text", "").strip()
    if not words or not event.get("date"):
        return False
    if event.get("date_basis") == "relative":
        return True
    lower = words.lower()
    has_year = any(tok.isdigit() and len(tok) == 4 for tok in lower.replace("/", " ").replace(",", " ").split())
    return event.get("date_basis") == "explicit" and not has_year and any(w in lower for w in _MONTH_OR_WEEKDAY)


def locate(text: str, quote: str, words: str) -> tuple[int, int] | None:
    """Offsets of ``words`` in ``text``: inside ``quote`` if it is there, else the occurrence nearest the quote."""
    q = text.find(quote) if quote else -1
    if q >= 0:
        inside = text[q:q + len(quote)]
        i = inside.find(words)
        i = inside.lower().find(words.lower()) if i < 0 else i
        if i >= 0:
            return q + i, q + i + len(words)
    hits = [m.start() for m in re.finditer(re.escape(words.lower()), text.lower())]
    if not hits:
        return None
    i = min(hits, key=lambda h: (abs(h - max(q, 0)), h))
    return i, i + len(words)


def gold_expression(source_id: str, start: int, end: int, gold: list[dict]) -> dict | None:
    """The hand-normalised gold expression overlapping ``[start, end)``, if any."""
    for g in gold:
        if g["source_id"] == source_id and int(g["start"]) < end and start < int(g["end"]):
            return g
    return None


def event_anchor(source_id: str, start: int, end: int, gold: list[dict], published: dict[str, str]) -> tuple[str, str]:
    """The anchor for an event's words: the gold expression overlapping them, else the document's date."""
    g = gold_expression(source_id, start, end, gold)
    if g is not None:
        return g["anchor"], "timex_gold"
    return published.get(source_id, ""), "sources.csv"


def expected_value(event: dict, expression: dict | None) -> str:
    """What the event's date words should normalise to.

    When the event is dated by its own words (``explicit`` or ``relative``), that is the event's
    date. When its day comes from the public record (``external``), the words cannot give it —
    "last week" names a week, not the Friday the record knows — so the expected value is the
    hand-normalised value of the words themselves (the gold expression), and the event's date
    must lie inside it (checked by the lenient score).
    """
    if event.get("date_basis") == "external" and expression is not None:
        return expression["value"]
    return event["date"]


def judge_events(events: list[dict], texts: dict[str, str], gold: list[dict], published: dict[str, str],
                 nlp=None) -> list[Judged]:
    """Resolve the date words of every event with date words, by both systems (see :func:`is_anchored_event`).

    Words that need an anchor count as ``anchored`` whatever the event's date basis; words whose
    correct value is empty (vague words such as "recently") are ``vague``: nobody can resolve them.
    """
    out = []
    for ev in events:
        words = ev.get("date_text", "").strip()
        if not words or not ev.get("date") or ev["source_id"] not in texts:
            continue
        text = texts[ev["source_id"]]
        span = locate(text, ev.get("quote", ""), words)
        if span is None:
            continue
        expression = gold_expression(ev["source_id"], *span, gold)
        anchor, _ = event_anchor(ev["source_id"], *span, gold, published)
        expected = expected_value(ev, expression)
        needs_anchor = is_anchored_event(ev) or (
            ev.get("date_basis") == "external" and expression is not None
            and expression.get("anchor_basis") in ("document", "unit"))
        kind = "vague" if not expected else "anchored" if needs_anchor else "absolute"
        t = normalise_in_context(text, *span, anchor, nlp)
        ours = t.value if t else ""
        if t is not None and t.expr_type == "since" and "/" not in expected:
            ours = ours.partition("/")[0]  # a point event dated by "since X" is dated by X, where the period starts
        base = dateparser_value(words, anchor)
        out.append(Judged(
            ev["source_id"], span[0], span[1], words, expected, anchor,
            kind, ours, t.rule if t else "(missed)", base,
            ours_correct=value_matches(ours, expected), baseline_correct=value_matches(base, expected),
            ours_lenient=value_matches(ours, expected) or value_contains(ours, ev["date"]),
            baseline_lenient=value_matches(base, expected) or value_contains(base, ev["date"]),
        ))
    return out


def events_summary(items: list[Judged]) -> dict:
    """Strict and lenient accuracy of both systems over the anchored and over all event date words."""
    anchored = [i for i in items if i.gold_type == "anchored"]
    out = {}
    for name, group in (("anchored", anchored), ("all_with_date_words", items)):
        out[name] = {
            "ours_strict": accuracy(group), "baseline_strict": accuracy(group, "baseline_correct"),
            "ours_lenient": accuracy(group, "ours_lenient"), "baseline_lenient": accuracy(group, "baseline_lenient"),
        }
    return out


# ---------------------------------------------------------------- unit bounds against curated unit dates


def judge_unit_bounds(curated: list[dict], ex: Extracted) -> dict:
    """Do the extractor's unit bounds contain the curated dates of the units (found by ``unit_quote``)?

    A bound is consistent when its earliest day is no later than the curated earliest day and its
    latest day no earlier than the curated latest day (an open end always is). Also counts how
    many units are bounded at both ends, and how many curated units could not be located.
    """
    bounds = {b["unit_id"]: b for b in ex.unit_dates}
    consistent, both_ends, located, wrong = 0, 0, 0, []
    for row in curated:
        text = ex.texts.get(row["source_id"], "")
        at = text.find(row["unit_quote"]) if row.get("unit_quote") else -1
        unit = next((u for u, (s, e) in ex.unit_spans.items() if u.startswith(row["source_id"] + "#") and s <= at < e), None)
        if at < 0 or unit is None or unit not in bounds or not row.get("published"):
            continue
        located += 1
        b, gold = bounds[unit], parse_edtf(row["published"])
        ok_low = not b["earliest"] or parse_edtf(b["earliest"]).earliest <= gold.earliest
        ok_high = not b["latest"] or gold.latest <= parse_edtf(b["latest"]).latest
        consistent += ok_low and ok_high
        both_ends += bool(b["earliest"] and b["latest"])
        if not (ok_low and ok_high):
            wrong.append(f"{unit} bound {b['earliest'] or '..'}/{b['latest'] or '..'} vs curated {row['published']}")
    return {"curated": len(curated), "located": located, "consistent": consistent, "bounded_both_ends": both_ends,
            "inconsistent": wrong}


# ---------------------------------------------------------------- putting it together


def _published(docs_dir: Path) -> dict[str, str]:
    path = docs_dir / "sources.csv"
    if not path.exists():
        return {}
    return {Path(r["file"]).stem: r.get("published", "") for r in read_rows(path)}


def evaluate(docs_dir: Path, gold_path: Path, events_path: Path | None = None, unit_dates_path: Path | None = None) -> dict:
    """Every score for one folder of documents and its gold (and, optionally, curated events)."""
    events = read_rows(events_path) if events_path is not None and events_path.exists() else None
    unit_dates = read_rows(unit_dates_path) if unit_dates_path is not None and unit_dates_path.exists() else None
    return score_extracted(extract(docs_dir), read_rows(gold_path), events=events, published=_published(docs_dir),
                           unit_dates=unit_dates)


def score_extracted(ex: Extracted, gold: list[dict], judged: list[Judged] | None = None,
                    events: list[dict] | None = None, published: dict[str, str] | None = None,
                    unit_dates: list[dict] | None = None, nlp=None) -> dict:
    """Every score of one extraction against its gold expressions (and, optionally, curated events
    dated against ``published`` and curated unit dates). ``judged`` is :func:`judge_gold` of the
    same gold and texts, when the caller has it already. With events, ``event_judged`` holds the
    judged event words."""
    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    pred, texts = ex.timexes, ex.texts
    judged = judged if judged is not None else judge_gold(gold, texts, nlp)
    result = {
        "end_to_end": end_to_end(pred, gold),
        "normaliser_with_gold_anchors": value_summary(judged),
        "errors": [f"{j.source_id}:{j.start} {j.text!r} gold={j.gold!r} ours={j.ours!r} ({j.our_rule})"
                   for j in judged if not j.ours_correct],
    }
    if events is not None:
        ev = judge_events(events, texts, gold, published or {}, nlp)
        result["events"] = events_summary(ev)
        result["event_judged"] = ev
        result["event_errors"] = [
            f"{j.source_id}:{j.start} {j.text!r} date={j.gold!r} ours={j.ours!r} ({j.our_rule}) baseline={j.baseline!r}"
            for j in ev if j.gold_type == "anchored" and not j.ours_correct]
    if unit_dates is not None:
        result["unit_bounds"] = judge_unit_bounds(unit_dates, ex)
    return result


def evaluate_seeds() -> dict:
    """Scores on the four seeds against ``timex_gold.csv`` and ``events.csv``."""
    return evaluate(seeds_dir(), curated_dir() / "timex_gold.csv", curated_dir() / "events.csv",
                    curated_dir() / "unit_dates.csv")


def evaluate_unseen() -> dict:
    """Scores on the unseen texts against their own hand-made gold."""
    return evaluate(unseen_dir(), unseen_dir() / "timex_gold.csv")


def _fmt(acc: dict) -> str:
    return f"{acc['correct']}/{acc['n']} = {acc['accuracy']:.3f}"


def report(result: dict, title: str) -> str:
    """A short plain-text report of :func:`evaluate`'s result."""
    e2e, norm = result["end_to_end"], result["normaliser_with_gold_anchors"]
    d = e2e["detection"]
    lines = [
        f"== {title}",
        (f"detection (span overlap): P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f} "
         f"(tp {d['tp']}, predicted {d['pred']}, gold {d['gold']})"),
        f"end-to-end values of matched expressions (extractor's own anchors): {_fmt(e2e['values_of_matched'])}",
    ]
    for name in ("all", "anchored", "anchored_with_value"):
        lines.append(f"normaliser, gold anchors, {name}: ours {_fmt(norm[name]['ours'])}; "
                     f"dateparser {_fmt(norm[name]['baseline'])}")
    lines.append("by gold expr_type (n / ours / dateparser): " + "; ".join(
        f"{k} {v['n']}/{v['ours']}/{v['baseline']}" for k, v in norm["by_gold_type"].items()))
    if "events" in result:
        for name, s in result["events"].items():
            lines.append(f"events, {name}: ours strict {_fmt(s['ours_strict'])}, lenient {_fmt(s['ours_lenient'])}; "
                         f"dateparser strict {_fmt(s['baseline_strict'])}, lenient {_fmt(s['baseline_lenient'])}")
    if "unit_bounds" in result:
        u = result["unit_bounds"]
        lines.append(f"unit bounds vs curated unit dates: {u['consistent']}/{u['located']} consistent "
                     f"({u['bounded_both_ends']} bounded at both ends; {u['curated']} curated rows)")
        lines += [f"  inconsistent: {x}" for x in u["inconsistent"]]
    lines += ["missed: " + "; ".join(e2e["missed"]), "spurious: " + "; ".join(e2e["spurious"])]
    lines += ["normaliser errors:"] + [f"  {x}" for x in result["errors"]]
    lines += ["event errors:"] + [f"  {x}" for x in result.get("event_errors", [])]
    return "\n".join(lines)


def main() -> None:
    """Print the seed and unseen reports (``python -m proxylens.evaluation.timexes``)."""
    print(report(evaluate_seeds(), "seeds"))
    if (unseen_dir() / "timex_gold.csv").exists():
        print(report(evaluate_unseen(), "unseen"))


if __name__ == "__main__":
    main()
