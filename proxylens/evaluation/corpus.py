"""Every automatic-versus-gold score of the seeds and the unseen texts, from one extraction each.

The scoring rules live in :mod:`proxylens.evaluation.mentions`, ``timexes`` and ``claims``; this
module runs them on two corpora and turns their results into the tables the Evaluation chapter
shows (written once by ``python -m proxylens.evaluation write``, see :mod:`proxylens.evaluation.store`).

* **seeds**: the committed automatic tables in ``data/derived/`` (the seeds' extraction, which
  every chapter reads) against the curated gold (``mentions_gold``, ``timex_gold``, ``claims``);
* **unseen**: the extractor run once, in memory, over each folder of ``data/unseen/`` against the
  gold written for it before the extractor ever saw it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from proxylens.corpus import doc_label
from proxylens.evaluation import CORPORA, TASKS
from proxylens.evaluation import claims as claims_eval
from proxylens.evaluation import mentions as mentions_eval
from proxylens.evaluation import timexes as timexes_eval
from proxylens.paths import curated_dir, derived_dir, repo_root

STAGES = ("mentions", "timexes", "claims")  # the scored stages, in the order of TASKS
INT_COLUMNS = ("start", "end")


def unseen_dir(task: str) -> Path:
    """The folder of unseen test texts for one stage (``mentions``, ``timexes`` or ``claims``)."""
    return repo_root() / "data" / "unseen" / task


# ---------------------------------------------------------------- one extraction per corpus

# The extractor's tables the evaluation reads: the three scored stages, and the units and unit
# bounds the timeline evaluation checks.
EXTRACTED_TABLES = {"mentions": "mentions.csv", "timexes": "timexes.csv", "claims": "claims.csv",
                    "units": "units.csv", "unit_bounds": "unit_bounds.csv"}


@dataclass
class Extraction:
    """One corpus as the extractor read it: rows of :data:`EXTRACTED_TABLES` (with the columns and
    value types of the CSV files ``proxylens extract`` writes, offsets as int) and the texts."""

    tables: dict[str, list[dict]]
    texts: dict[str, str]


def _as_csv_row(row: dict) -> dict:
    """A row as ``proxylens extract`` would write and the scorers read it: text, offsets as int."""
    out = {k: "" if v is None else str(v) for k, v in row.items()}
    for col in INT_COLUMNS:
        if col in out and out[col] != "":
            out[col] = int(out[col])
    return out


def extract_folder(docs_dir: Path) -> Extraction:
    """Run the whole extractor (:func:`proxylens.engine.extract`) once over a folder, in memory."""
    from proxylens.corpus import load_corpus
    from proxylens.engine import extract

    wanted = {file: name for name, file in EXTRACTED_TABLES.items()}
    tables: dict[str, list[dict]] = {name: [] for name in EXTRACTED_TABLES}
    corpus = load_corpus(docs_dir)
    texts = {document.source_id: document.text for document in corpus.documents}
    for table, row in extract(corpus):
        if table in wanted:
            tables[wanted[table]].append(_as_csv_row(row))
    return Extraction(tables, texts)


def seeds_extraction() -> Extraction:
    """The seeds' extraction: the committed tables in ``data/derived/`` (which a test keeps equal to
    a fresh ``proxylens extract seeds``) and the seed texts as stored."""
    import csv

    from proxylens.tables import seed_texts

    def read(name: str) -> list[dict]:
        with (derived_dir() / EXTRACTED_TABLES[name]).open(encoding="utf-8", newline="") as fh:
            return [_as_csv_row(row) for row in csv.DictReader(fh)]

    tables = {name: read(name) for name in EXTRACTED_TABLES}
    # Mentions and claims as their scorers' own readers give them (the same rows a scorer's command
    # line reads from the committed files).
    tables["mentions"] = mentions_eval.read_rows(derived_dir() / "mentions.csv")
    tables["claims"] = claims_eval.read_csv_rows(derived_dir() / "claims.csv")
    return Extraction(tables, seed_texts())


# ---------------------------------------------------------------- scoring one corpus


@dataclass
class CorpusEvaluation:
    """Every score and error list of one corpus (``seeds`` or ``unseen``)."""

    name: str
    mention_documents: list[dict]  # mentions.per_document: one row per document and "ALL"
    mention_errors: list[dict]  # mentions.errors
    mentions: list[dict]  # the automatic mention rows scored
    mention_gold: list[dict]  # the gold mentions
    timex_end_to_end: dict  # timexes.end_to_end
    timex_values: dict  # timexes.value_summary
    timex_judged: list  # timexes.Judged, one per gold expression
    timex_rows: list[dict]  # the automatic timex rows scored
    timex_gold: list[dict]  # the gold expressions
    claim_metrics: dict  # claims.score
    claim_details: list[dict]  # claims.details
    claim_unmatched: list[dict]  # claims.unmatched
    documents: dict[str, list[str]] = field(default_factory=dict)  # stage -> source_ids scored

    @property
    def mention_all(self) -> dict:
        return self.mention_documents[-1]


def score_corpus(name: str, extractions: dict[str, Extraction], gold: dict[str, Path], nlp=None) -> CorpusEvaluation:
    """Score one corpus's extraction against gold files with the evaluation modules' own functions.

    ``extractions`` is keyed by stage (``mentions``, ``timexes``, ``claims``) because the unseen
    texts of each stage are different documents (the seeds give the same extraction for all
    three); ``gold`` gives each stage's gold CSV.
    """
    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    auto = {stage: extractions[stage].tables[stage] for stage in STAGES}
    texts = {stage: extractions[stage].texts for stage in STAGES}
    m_gold = mentions_eval.read_rows(gold["mentions"])
    t_gold = timexes_eval.read_rows(gold["timexes"])
    judged = timexes_eval.judge_gold(t_gold, texts["timexes"], nlp)
    c_gold = claims_eval.locate(claims_eval.read_csv_rows(gold["claims"]), texts["claims"])
    return CorpusEvaluation(
        name=name,
        mention_documents=mentions_eval.per_document(auto["mentions"], m_gold),
        mention_errors=mentions_eval.errors(auto["mentions"], m_gold),
        mentions=auto["mentions"],
        mention_gold=m_gold,
        timex_end_to_end=timexes_eval.end_to_end(auto["timexes"], t_gold),
        timex_values=timexes_eval.value_summary(judged),
        timex_judged=judged,
        timex_rows=auto["timexes"],
        timex_gold=t_gold,
        claim_metrics=claims_eval.score(c_gold, auto["claims"]),
        claim_details=claims_eval.details(c_gold, auto["claims"]),
        claim_unmatched=claims_eval.unmatched(c_gold, auto["claims"]),
        documents={stage: sorted(stage_texts) for stage, stage_texts in sorted(texts.items())},
    )


SEED_GOLD = {"mentions": "mentions_gold.csv", "timexes": "timex_gold.csv", "claims": "claims.csv"}
UNSEEN_GOLD = {"mentions": "mentions_gold.csv", "timexes": "timex_gold.csv", "claims": "claims_gold.csv"}


def seed_gold() -> dict[str, Path]:
    return {stage: curated_dir() / file for stage, file in SEED_GOLD.items()}


def unseen_gold() -> dict[str, Path]:
    return {stage: unseen_dir(stage) / file for stage, file in UNSEEN_GOLD.items()}


# ---------------------------------------------------------------- the summary table


def _ratio(k: int, n: int) -> float:
    return round(k / n, 3) if n else float("nan")


def _claim_counts(ev: CorpusEvaluation) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of each claim metric, counted from the per-claim details."""
    m, d = ev.claim_metrics, ev.claim_details
    found = [x for x in d if x["found"]]
    found_attr = [x for x in found if x["gold_attribution"] != "author_voice"]
    return {
        "attributed_recall": (m["attributed_found"], m["attributed_gold"]),
        "claimant_recall": (m["claimant_right"], m["attributed_gold"]),
        "attribution_accuracy": (sum(x["attribution_ok"] for x in found), len(found)),
        "evidence_accuracy": (sum(x["gold_evidence"] == x["auto_evidence"] for x in found_attr), len(found_attr)),
        "author_recall": (m["author_found"], m["author_gold"]),
        "precision_estimate": (m["auto_claims"] - m["auto_unmatched"], m["auto_claims"]),
    }


def metric_rows(ev: CorpusEvaluation) -> list[dict]:
    """The headline scores of one corpus: task, metric, value (rounded to 3 places), k, n."""
    rows = []

    def add(task, metric, k, n):
        rows.append({"task": task, "metric": metric, "value": _ratio(k, n), "k": int(k), "n": int(n)})

    a = ev.mention_all
    add("actors", "mention precision", a["tp"], a["tp"] + a["fp"])
    add("actors", "mention recall", a["tp"], a["tp"] + a["fn"])
    add("actors", "mention F1", 2 * a["tp"], 2 * a["tp"] + a["fp"] + a["fn"])
    det = ev.timex_end_to_end["detection"]
    add("timexes", "detection precision", det["tp"], det["pred"])
    add("timexes", "detection recall", det["tp"], det["gold"])
    add("timexes", "detection F1", 2 * det["tp"], det["pred"] + det["gold"])
    e2e = ev.timex_end_to_end["values_of_matched"]
    add("timexes", "value right, end to end", e2e["correct"], e2e["n"])
    norm = ev.timex_values["all"]
    add("timexes", "value right, gold anchors", norm["ours"]["correct"], norm["ours"]["n"])
    add("timexes", "dateparser baseline, gold anchors", norm["baseline"]["correct"], norm["baseline"]["n"])
    labels = {
        "attributed_recall": "attributed claims found",
        "claimant_recall": "claimant right",
        "attribution_accuracy": "attribution type right",
        "evidence_accuracy": "evidence type right",
        "author_recall": "author-voice claims found",
        "precision_estimate": "automatic claims matching gold",
    }
    for key, (k, n) in _claim_counts(ev).items():
        add("claims", labels[key], k, n)
    return rows


def summary_table(seeds: CorpusEvaluation, unseen: CorpusEvaluation) -> pd.DataFrame:
    """One row per task and metric: the score on the seeds and on the unseen texts, with counts.

    ``seeds`` and ``unseen`` are rates rounded to 3 places; ``seeds_count`` and ``unseen_count``
    say what they are a share of ("k/n"). F1 counts are 2·TP over predicted plus gold.
    """
    left = pd.DataFrame(metric_rows(seeds))
    right = pd.DataFrame(metric_rows(unseen))
    out = left[["task", "metric"]].copy()
    for name, df in (("seeds", left), ("unseen", right)):
        out[name] = df["value"].to_numpy()
        out[f"{name}_count"] = [f"{k}/{n}" for k, n in zip(df["k"], df["n"])]
    return out[["task", "metric", "seeds", "unseen", "seeds_count", "unseen_count"]]


def slug(text: str) -> str:
    """A glue-friendly key part: lowercase letters and digits joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def score_keys(summary: pd.DataFrame) -> dict[str, float | int]:
    """Every number of the summary under a stable name, for myst-nb ``glue``.

    ``<task>_<metric>_<corpus>`` is the rate; ``..._k`` and ``..._n`` are its counts, e.g.
    ``claims_claimant_right_unseen``, ``claims_claimant_right_unseen_n``.
    """
    out: dict[str, float | int] = {}
    for _, r in summary.iterrows():
        for corpus in CORPORA:
            key = f"{r['task']}_{slug(r['metric'])}_{corpus}"
            k, n = (int(x) for x in r[f"{corpus}_count"].split("/"))
            out[key], out[f"{key}_k"], out[f"{key}_n"] = float(r[corpus]), k, n
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of the share ``k / n``, rounded to 3 places.

    With a few dozen items a single error moves a share by several points; the interval says
    how far. NaNs when ``n`` is 0.

    >>> wilson(9, 10)
    (0.596, 0.982)
    """
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)


def figure_data(summary: pd.DataFrame) -> pd.DataFrame:
    """The bars of the seeds-versus-unseen figure, long form: task, metric, corpus, value, low, high.

    ``low`` and ``high`` are the Wilson interval of the share (see :func:`wilson`); F1 is not a
    share of items, so its rows have none (NaN).
    """
    rows = []
    for _, r in summary.iterrows():
        for corpus in CORPORA:
            k, n = (int(x) for x in r[f"{corpus}_count"].split("/"))
            low, high = (float("nan"), float("nan")) if r["metric"].endswith("F1") else wilson(k, n)
            rows.append({"task": r["task"], "metric": r["metric"], "corpus": corpus, "value": r[corpus],
                         "low": low, "high": high})
    return pd.DataFrame(rows, columns=["task", "metric", "corpus", "value", "low", "high"])


def gold_sizes(seeds: CorpusEvaluation, unseen: CorpusEvaluation) -> pd.DataFrame:
    """What each score rests on: documents and gold items per task and corpus."""
    rows = []
    for task, stage in zip(TASKS, STAGES):
        for ev in (seeds, unseen):
            if task == "actors":
                a = ev.mention_all
                items, what = a["tp"] + a["fn"] + a["unknown_gold"], "names of actors"
            elif task == "timexes":
                items, what = ev.timex_end_to_end["detection"]["gold"], "temporal expressions"
            else:
                items, what = ev.claim_metrics["gold_claims"], "claims"
            rows.append({"task": task, "corpus": ev.name, "documents": len(ev.documents[stage]),
                         "gold_items": int(items), "items_are": what})
    return pd.DataFrame(rows, columns=["task", "corpus", "documents", "gold_items", "items_are"])




def timex_by_type(seeds: CorpusEvaluation, unseen: CorpusEvaluation) -> pd.DataFrame:
    """Value accuracy of the normaliser and of dateparser by kind of expression, both corpora pooled.

    Both systems get each gold expression in its line with the gold's anchor.
    """
    pooled: dict[str, dict[str, int]] = {}
    for ev in (seeds, unseen):
        for kind, v in ev.timex_values["by_gold_type"].items():
            entry = pooled.setdefault(kind, {"n": 0, "ours": 0, "baseline": 0})
            for key in entry:
                entry[key] += v[key]
    rows = [{"expression_type": kind, "n": v["n"], "normaliser_right": v["ours"], "dateparser_right": v["baseline"]}
            for kind, v in pooled.items()]
    out = pd.DataFrame(rows, columns=["expression_type", "n", "normaliser_right", "dateparser_right"])
    out["advantage"] = out["normaliser_right"] - out["dateparser_right"]
    return out.sort_values(["advantage", "n", "expression_type"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- error analysis


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def mention_errors(ev: CorpusEvaluation, gold_spans: list[tuple[str, int, int]] | None = None) -> pd.DataFrame:
    """The mention errors of one corpus, each with a category.

    Categories: *missed* (no automatic mention touches the gold name), *span differs* (a
    longer or shorter name was found: a false negative with an overlapping resolved mention, or
    a false positive overlapping a gold name), *found, not resolved* (an overlapping mention with
    no actor), *wrong actor*, *spurious* (a resolved mention where the gold has no name),
    *unknown name missed* (a name the registry lacks, not kept as unresolved).
    """
    gold_spans = gold_spans or []
    rows = []
    for e in ev.mention_errors:
        kind = e["kind"]
        if kind == "wrong_actor":
            category = "wrong actor"
        elif kind == "unknown_missed":
            category = "unknown name missed"
        elif kind == "false_positive":
            touches = any(s == e["source_id"] and _overlaps((e["start"], e["end"]), (a, b))
                          and (a, b) != (e["start"], e["end"]) for s, a, b in gold_spans)
            category = "span differs" if touches else "spurious"
        elif e["auto_text"]:
            category = "span differs" if e["auto_actor"] else "found, not resolved"
        else:
            category = "missed"
        rows.append({"corpus": ev.name, "doc": doc_label(e["source_id"]), "category": category,
                     "text": e["text"], "gold_actor": e["gold_actor"], "auto_actor": e["auto_actor"],
                     "auto_text": e["auto_text"]})
    return pd.DataFrame(rows, columns=["corpus", "doc", "category", "text", "gold_actor", "auto_actor", "auto_text"])


def timex_category(ours: str, gold: str, anchor: str = "x", anaphoric: bool = False) -> str:
    """Why an automatic value ``ours`` is not the ``gold`` value.

    ``anchor`` is the anchor it was resolved with; ``anaphoric`` says the gold dates the
    expression from another event in the text ("two days later"), not from the publication date.
    """
    if not gold:
        return "value, gold has none"
    if anaphoric:
        return "anaphoric"
    if not anchor:
        return "no anchor"
    if not ours:
        return "no value"
    if timexes_eval.value_contains(ours, gold):
        return "too wide"
    return "wrong value"


def timex_errors(ev: CorpusEvaluation) -> pd.DataFrame:
    """Errors of the automatic timex table as it stands (its own anchors), one row each, in document order.

    Gold expressions no automatic row overlaps are *not detected*; automatic rows overlapping no
    gold one are *spurious*; matched pairs with the wrong value get :func:`timex_category`.
    """
    pairs = timexes_eval.match_spans(ev.timex_rows, ev.timex_gold)
    rows = []

    def add(category, p, g):
        where = g or p
        rows.append({"corpus": ev.name, "doc": doc_label(where["source_id"]), "start": int(where["start"]),
                     "category": category, "text": where["text"], "gold": g["value"] if g else "",
                     "ours": p["value"] if p else "", "anchor": p["anchor"] if p else ""})

    for i, j in pairs:
        p, g = ev.timex_rows[i], ev.timex_gold[j]
        if not timexes_eval.value_matches(p["value"], g["value"]):
            anaphoric = g.get("anchor_basis") == "event" or g.get("expr_type") == "anaphoric"
            add(timex_category(p["value"], g["value"], p["anchor"], anaphoric), p, g)
    matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, g in enumerate(ev.timex_gold):
        if j not in matched_g:
            add("not detected", None, g)
    for i, p in enumerate(ev.timex_rows):
        if i not in matched_p:
            add("spurious", p, None)
    out = pd.DataFrame(rows, columns=["corpus", "doc", "start", "category", "text", "gold", "ours", "anchor"])
    return out.sort_values(["doc", "start"], kind="stable").drop(columns="start").reset_index(drop=True)


def normaliser_errors(ev: CorpusEvaluation) -> pd.DataFrame:
    """Gold expressions the normaliser gets wrong even with the gold's own anchor, with dateparser's value.

    Categories as in :func:`timex_category`, and *not detected* when no expression is found.
    """
    rows = [{"corpus": ev.name, "doc": doc_label(j.source_id), "text": j.text, "anchor": j.anchor, "gold": j.gold,
             "ours": j.ours, "dateparser": j.baseline,
             "category": "not detected" if j.our_rule == "(missed)"
             else timex_category(j.ours, j.gold, j.anchor, j.gold_type == "anaphoric")}
            for j in ev.timex_judged if not j.ours_correct]
    return pd.DataFrame(rows, columns=["corpus", "doc", "category", "text", "anchor", "gold", "ours", "dateparser"])


def _claimant(value: str) -> str:
    return value or "(none)"


def claim_errors(ev: CorpusEvaluation, width: int = 90) -> pd.DataFrame:
    """Claim errors of one corpus, one row per gold claim and problem, plus unmatched automatic claims.

    Categories: *not found*, *wrong claimant* (attributed claims), *wrong attribution* (type),
    *wrong evidence* (type; attributed claims), *no gold claim* (an automatic claim overlapping
    none). ``gold`` and ``auto`` hold what each side says on the point at issue ("" where a side
    has no claim). Quotes are cut to ``width`` characters.
    """
    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = []
    for d in ev.claim_details:
        attributed = d["gold_attribution"] != "author_voice"
        problems = []
        if not d["found"]:
            problems.append(("not found", d["gold_attribution"], ""))
        else:
            if attributed and not d["claimant_ok"]:
                problems.append(("wrong claimant", _claimant(d["gold_claimant"]), _claimant(d["auto_claimant"])))
            if not d["attribution_ok"]:
                problems.append(("wrong attribution", d["gold_attribution"], d["auto_attribution"] or "(none)"))
            if attributed and d["gold_evidence"] != d["auto_evidence"]:
                problems.append(("wrong evidence", d["gold_evidence"], d["auto_evidence"] or "(none)"))
        for category, gold, auto in problems:
            rows.append({"corpus": ev.name, "doc": doc_label(d["source_id"]), "category": category,
                         "text": cut(d["quote"]), "gold": gold, "auto": auto})
    for a in ev.claim_unmatched:
        rows.append({"corpus": ev.name, "doc": doc_label(a["source_id"]), "category": "no gold claim",
                     "text": cut(a["text"]), "gold": "", "auto": a["attribution"]})
    return pd.DataFrame(rows, columns=["corpus", "doc", "category", "text", "gold", "auto"])


def error_tables(seeds: CorpusEvaluation, unseen: CorpusEvaluation) -> dict[str, pd.DataFrame]:
    """``{task: error table}`` over both corpora (seeds first)."""
    spans = {ev.name: [(r["source_id"], r["start"], r["end"]) for r in ev.mention_gold] for ev in (seeds, unseen)}
    return {
        "actors": pd.concat([mention_errors(ev, spans[ev.name]) for ev in (seeds, unseen)], ignore_index=True),
        "timexes": pd.concat([timex_errors(ev) for ev in (seeds, unseen)], ignore_index=True),
        "claims": pd.concat([claim_errors(ev) for ev in (seeds, unseen)], ignore_index=True),
    }


def error_counts(errors: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Errors by task and category, one column per corpus, most frequent first within a task."""
    rows = []
    for task in TASKS:
        table = errors[task]
        for category in sorted(table["category"].unique()):
            part = table[table["category"] == category]
            rows.append({"task": task, "category": category,
                         **{c: int((part["corpus"] == c).sum()) for c in CORPORA}})
    out = pd.DataFrame(rows, columns=["task", "category", *CORPORA])
    out["_task"] = out["task"].map({t: i for i, t in enumerate(TASKS)})
    out["_total"] = -(out["seeds"] + out["unseen"])
    out = out.sort_values(["_task", "_total", "category"], kind="stable")
    return out.drop(columns=["_task", "_total"]).reset_index(drop=True)


PLACE_LABELS = ("GPE", "LOC", "FAC")


def unresolved_by_ner_label(mentions: list[dict]) -> pd.DataFrame:
    """Names the extractor kept without an actor, grouped by text and NER label.

    ``hint`` says what each is likely to be: a ``candidate`` (person, organisation, group) for the
    registry, or a ``place``, which is an actor only where the text uses it for a government.
    """
    rows = {}
    for r in mentions:
        if r["actor_id"]:
            continue
        label = r.get("method", "").partition(":")[2] or r.get("method", "")
        key = (r["text"], label)
        entry = rows.setdefault(key, {"name": r["text"], "ner_label": label, "mentions": 0, "documents": set(),
                                      "candidate_id": r.get("candidate_id", "")})
        entry["mentions"] += 1
        entry["documents"].add(doc_label(r["source_id"]))
    out = []
    for (name, label), e in sorted(rows.items()):
        hint = "place" if label in PLACE_LABELS else "candidate"
        out.append({**e, "documents": ", ".join(sorted(e["documents"])), "hint": hint})
    return pd.DataFrame(out, columns=["name", "ner_label", "mentions", "documents", "candidate_id", "hint"])
