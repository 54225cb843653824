"""Every automatic-versus-gold score in one place, for the evaluation chapter.

Thin wrappers over :mod:`proxylens.evaluation` (``mentions``, ``timexes``, ``claims``): the
scoring rules live there; this module only runs them on two corpora and shapes their results
into the tables and figures the chapter shows.

* **seeds**: the committed automatic tables in ``data/derived/`` (what the book reads)
  against the curated gold (``mentions_gold``, ``timex_gold``, ``claims``);
* **unseen**: the extractor run, in memory, over each folder of ``data/unseen/`` against the
  gold written for it before the extractor ever saw it.

The benchmark written by ``scripts/benchmark.py`` (``data/derived/benchmark.csv``) is read
here too, with the budgets of DESIGN.md that it is checked against.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from proxylens.evaluation import claims as claims_eval
from proxylens.evaluation import mentions as mentions_eval
from proxylens.evaluation import timexes as timexes_eval
from proxylens.paths import curated_dir, derived_dir, repo_root, seeds_dir
from proxylens.report import doc_label, source_label

CORPORA = ("seeds", "unseen")
TASKS = ("actors", "timexes", "claims")
TASK_TITLES = {"actors": "actor mentions", "timexes": "temporal expressions", "claims": "claims"}
STAGE_TABLES = {"mentions": "mentions.csv", "timexes": "timexes.csv", "claims": "claims.csv"}
INT_COLUMNS = ("start", "end")


def unseen_dir(task: str) -> Path:
    """The folder of unseen test texts for one stage (``mentions``, ``timexes`` or ``claims``)."""
    return repo_root() / "data" / "unseen" / task



# ---------------------------------------------------------------- running the extractor


def _as_csv_row(row: dict) -> dict:
    """A row as ``proxylens extract`` would write and the scorers read it: text, offsets as int."""
    out = {k: "" if v is None else str(v) for k, v in row.items()}
    for col in INT_COLUMNS:
        if col in out:
            out[col] = int(out[col])
    return out


def extract_folder(docs_dir: Path, nlp=None) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Run the whole extractor over a folder in memory.

    Returns ``({"mentions": rows, "timexes": rows, "claims": rows}, {source_id: text})``; rows
    have the columns and value types of the files ``proxylens extract`` writes.
    """
    from proxylens.corpus import load_corpus
    from proxylens.engine import extract

    wanted = {file: stem for stem, file in STAGE_TABLES.items()}
    tables: dict[str, list[dict]] = {stem: [] for stem in STAGE_TABLES}
    corpus = load_corpus(docs_dir)
    texts = {document.source_id: document.text for document in corpus.documents}
    for table, row in extract(corpus):
        if table in wanted:
            tables[wanted[table]].append(_as_csv_row(row))
    return tables, texts


def derived_stage_tables() -> dict[str, list[dict]]:
    """The committed automatic tables of the seeds, read as the scorers read them."""
    return {
        "mentions": mentions_eval.read_rows(derived_dir() / "mentions.csv"),
        "timexes": timexes_eval.read_rows(derived_dir() / "timexes.csv"),
        "claims": claims_eval.read_csv_rows(derived_dir() / "claims.csv"),
    }


# ---------------------------------------------------------------- scoring one corpus


@dataclass
class CorpusEvaluation:
    """Every score and error list of one corpus (``seeds`` or ``unseen``)."""

    name: str
    mention_documents: list[dict]  # mentions.per_document: one row per document and "ALL"
    mention_errors: list[dict]  # mentions.errors
    mentions: list[dict]  # the automatic mention rows scored
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


def score_corpus(name: str, auto: dict[str, list[dict]], texts: dict[str, dict[str, str]],
                 gold: dict[str, Path], nlp=None) -> CorpusEvaluation:
    """Score automatic rows against gold files with the evaluation modules' own functions.

    ``auto`` and ``texts`` are keyed by stage (``mentions``, ``timexes``, ``claims``) because the
    unseen texts of each stage are different documents; ``gold`` gives each stage's gold CSV.
    """
    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    m_gold = mentions_eval.read_rows(gold["mentions"])
    t_gold = timexes_eval.read_rows(gold["timexes"])
    judged = timexes_eval.judge_gold(t_gold, texts["timexes"], nlp)
    c_gold = claims_eval.locate(claims_eval.read_csv_rows(gold["claims"]), texts["claims"])
    return CorpusEvaluation(
        name=name,
        mention_documents=mentions_eval.per_document(auto["mentions"], m_gold),
        mention_errors=mentions_eval.errors(auto["mentions"], m_gold),
        mentions=auto["mentions"],
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


def evaluate_seeds(nlp=None) -> CorpusEvaluation:
    """The committed seed tables (``data/derived/``) against the curated gold."""
    texts = {p.stem: p.open(encoding="utf-8", newline="").read() for p in sorted(seeds_dir().glob("*.txt"))}
    gold = {"mentions": curated_dir() / "mentions_gold.csv", "timexes": curated_dir() / "timex_gold.csv",
            "claims": curated_dir() / "claims.csv"}
    return score_corpus("seeds", derived_stage_tables(), dict.fromkeys(STAGE_TABLES, texts), gold, nlp)


def evaluate_unseen(nlp=None) -> CorpusEvaluation:
    """The extractor run over each folder of ``data/unseen/`` against that folder's gold."""
    auto, texts = {}, {}
    for stage in STAGE_TABLES:
        tables, stage_texts = extract_folder(unseen_dir(stage), nlp)
        auto[stage], texts[stage] = tables[stage], stage_texts
    gold = {"mentions": unseen_dir("mentions") / "mentions_gold.csv",
            "timexes": unseen_dir("timexes") / "timex_gold.csv",
            "claims": unseen_dir("claims") / "claims_gold.csv"}
    return score_corpus("unseen", auto, texts, gold, nlp)


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
    for task, stage in zip(TASKS, STAGE_TABLES):
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


def gold_versus_auto(errors: pd.DataFrame) -> pd.DataFrame:
    """An error table with its ``gold`` and ``auto`` columns shown as one narrow ``gold / auto`` column."""
    both = errors["gold"].replace("", "–") + " / " + errors["auto"].replace("", "–")
    return errors.drop(columns=["gold", "auto"]).assign(**{"gold / auto": both})


def error_tables(seeds: CorpusEvaluation, unseen: CorpusEvaluation) -> dict[str, pd.DataFrame]:
    """``{task: error table}`` over both corpora (seeds first)."""
    spans = {}
    for ev, path in ((seeds, curated_dir() / "mentions_gold.csv"),
                     (unseen, unseen_dir("mentions") / "mentions_gold.csv")):
        spans[ev.name] = [(r["source_id"], r["start"], r["end"]) for r in mentions_eval.read_rows(path)]
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


def examples(errors: pd.DataFrame, per_category: int = 2) -> pd.DataFrame:
    """The first ``per_category`` errors of each category in each corpus, in table order."""
    return errors.groupby(["category", "corpus"], sort=True).head(per_category).sort_values(
        ["category", "corpus"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- growing the registry

PLACE_LABELS = ("GPE", "LOC", "FAC")


def unresolved_names(mentions: list[dict]) -> pd.DataFrame:
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


# ---------------------------------------------------------------- the benchmark

# The project's budgets for a two-core machine, as (metric, comparison, limit, what it means).
# "Memory flat as the corpus grows" is read as: peak memory at the largest corpus of the scaling run
# (1,000 times the seeds in a full run) within 1.1 times peak memory at 1 time.
BUDGETS = (
    ("book_seconds", "<", 60.0, "make book from a clean _build, venv ready"),
    ("make_test_seconds", "<", 60.0, "make test: tests and nbval beside the book build, then the browser tests"),
    ("extract_to_spacy_ratio", "<=", 1.5, "proxylens extract time over spaCy nlp.pipe time, same texts"),
    ("parallel_jobs2_speedup", ">=", 1.8, "documents per second with --jobs 2 over --jobs 1"),
    ("scale_memory_growth", "<=", 1.1, "peak memory at the largest corpus over peak memory at 1x"),
    ("long_28mib_peak_rss_mib", "<", 1024.0, "peak memory for one 28 MiB document (MiB)"),
)


def benchmark_path() -> Path:
    return derived_dir() / "benchmark.csv"


def read_benchmark(path: Path | None = None) -> pd.DataFrame | None:
    """The benchmark table (metric, value, unit, note) with numeric values; None when it was never run."""
    path = path or benchmark_path()
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["value"] = pd.to_numeric(df["value"])
    return df


def within(value: float, comparison: str, limit: float) -> bool:
    """Whether ``value`` keeps a budget ``comparison`` (``<``, ``<=`` or ``>=``) ``limit``."""
    if comparison == ">=":
        return value >= limit
    return value < limit if comparison == "<" else value <= limit


def budget_table(bench: pd.DataFrame) -> pd.DataFrame:
    """Each budget with its measured value and whether it was kept (``missing`` when not measured)."""
    values = dict(zip(bench["metric"], bench["value"]))
    rows = []
    for metric, comparison, limit, meaning in BUDGETS:
        value = values.get(metric)
        kept = "missing" if value is None else ("yes" if within(value, comparison, limit) else "no")
        rows.append({"budget": meaning, "metric": metric, "measured": value, "limit": f"{comparison} {limit:g}",
                     "kept": kept})
    return pd.DataFrame(rows, columns=["budget", "metric", "measured", "limit", "kept"])


def budget_verdicts(bench: pd.DataFrame | None) -> dict[str, str]:
    """``{metric: "within budget" | "over budget" | "not measured"}`` for every budget."""
    words = {"yes": "within budget", "no": "over budget", "missing": "not measured"}
    if bench is None:
        return {metric: words["missing"] for metric, *_ in BUDGETS}
    table = budget_table(bench)
    return {m: words[k] for m, k in zip(table["metric"], table["kept"])}


def scaling_table(bench: pd.DataFrame) -> pd.DataFrame:
    """One row per corpus size of the scaling run: factor, documents, seconds, peak memory (MiB)."""
    values = dict(zip(bench["metric"], bench["value"]))
    factors = sorted({int(m.group(1)) for m in (re.match(r"^scale_(\d+)x_", k) for k in values) if m})
    rows = [{"factor": f, "documents": int(values.get(f"scale_{f}x_documents", 0)),
             "seconds": values.get(f"scale_{f}x_seconds"), "peak_rss_mib": values.get(f"scale_{f}x_peak_rss_mib")}
            for f in factors]
    return pd.DataFrame(rows, columns=["factor", "documents", "seconds", "peak_rss_mib"])




def benchmark_paragraph(bench: pd.DataFrame | None) -> str:
    """What the committed benchmark run says, as Markdown: one clause per budget that was measured
    (a metric missing from the run is left out rather than printed as a blank), then the scaling run
    and the machine's load, which says how far the timings can be trusted."""
    if bench is None:
        return "The benchmark has not been run in this build (`make bench` writes it)."
    value = dict(zip(bench["metric"], bench["value"]))
    verdict = budget_verdicts(bench)
    words = {"<": "under", "<=": "at most", ">=": "at least"}
    limit = {metric: (words.get(comparison, comparison), bound) for metric, comparison, bound, _ in BUDGETS}
    clauses = {
        "book_seconds": lambda v: f"`make book` took {v:.0f} s",
        "make_test_seconds": lambda v: (f"`make test`, which runs the tests beside the book build and then the "
                                        f"browser test, took {v:.0f} s"),
        "extract_to_spacy_ratio": lambda v: f"the extractor took {v:.2f} times as long as spaCy's own `nlp.pipe`",
        "parallel_jobs2_speedup": lambda v: f"two processes extracted {v:.2f} times as many documents a second as one",
    }
    unit = {"book_seconds": " s", "make_test_seconds": " s", "extract_to_spacy_ratio": " times",
            "parallel_jobs2_speedup": " times"}
    parts = [f"{text(value[m])} ({verdict[m]}: the limit is {limit[m][0]} {limit[m][1]:g}{unit[m]})"
             for m, text in clauses.items() if m in value]
    paragraphs = ["In the committed run, " + "; ".join(parts) + "."] if parts else []
    largest = max((int(m.group(1)) for m in (re.match(r"^scale_(\d+)x_documents$", k) for k in value) if m),
                  default=None)
    if "scale_memory_growth" in value and largest is not None:
        paragraphs.append(
            f"Across the scaling run, up to {value[f'scale_{largest}x_documents']:.0f} documents, peak memory at the "
            f"largest corpus was {value['scale_memory_growth']:.2f} times that at the smallest "
            f"({verdict['scale_memory_growth']}): documents are read lazily and each one's rows are written before "
            f"the next is parsed, so beyond the language model only the documents in flight take memory.")
    if "parallel_outputs_identical" in value:
        same = "the same bytes" if value["parallel_outputs_identical"] == 1 else "different bytes"
        paragraphs.append(f"With one process, two processes and a two-worker Dask cluster the extractor wrote {same}.")
    measured = [m for m, *_ in BUDGETS if m not in value]
    if measured:
        paragraphs.append("Not measured in the committed run: " + "; ".join(
            meaning for m, _, _, meaning in BUDGETS if m in measured) + ".")
    if {"load_average_start", "load_average_end", "cpu_count"} <= set(value):
        paragraphs.append(
            f"The run began with a 1-minute load average of {value['load_average_start']:.1f} on "
            f"{value['cpu_count']:.0f} cores and ended at {value['load_average_end']:.1f}. A load above the number "
            f"of cores means other work competed for the processor, and the timings are then upper bounds rather "
            f"than what the machine can do alone.")
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------- readers' names in evaluation tables


def _id_names() -> dict[str, str]:
    """Registry actor ids and curated claim ids -> the names readers see (an actor's name; a claim as
    its document's label and number)."""
    from proxylens import tables

    names = dict(zip(tables.curated("actors")["actor_id"], tables.curated("actors")["name"]))
    claims = tables.curated("claims")
    for claim_id, source_id in zip(claims["claim_id"], claims["source_id"]):
        number = int(claim_id.rsplit("-", 1)[1])
        names[claim_id] = f"{source_label(source_id)}, claim {number}"
    return names


_ID_TOKEN = re.compile(r"(?:new:)?[a-z0-9]+(?:-[a-z0-9]+)+")


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every registry actor id and curated claim id in its cells replaced by the name a
    reader knows ("qassem-soleimani" -> "Qassem Soleimani", "c002-17" -> "Iran News Update 2019,
    claim 17"), also inside lists such as "ansar-allah x18; new:yemeni-armed-forces x1". An id of a
    new, unregistered actor (``new:…``) stays as it is, the extractor's own name for it, unless the
    registry has since taken the actor in under the same id: then it is named like any other."""
    names = _id_names()

    def name(match: re.Match) -> str:
        token = match.group(0)
        return names.get(token.removeprefix("new:"), token)

    def swap(value):
        return _ID_TOKEN.sub(name, value) if isinstance(value, str) else value

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(swap)
    if out.index.dtype == object:
        out.index = out.index.map(swap)
    return out


# ---------------------------------------------------------------- the development set of real news


def dev_dir() -> Path:
    return repo_root() / "data" / "dev"


DEV_PEERS = {"spacy_ner": "spaCy NER alone", "dateparser": "dateparser", "textacy": "textacy quotations"}


def dev_sources() -> pd.DataFrame:
    """The development set's manifest: one row per article (outlet, kind, date, topic words)."""
    return pd.read_csv(dev_dir() / "sources.csv", dtype=str, keep_default_na=False)


def dev_overview(sources: pd.DataFrame) -> dict[str, int]:
    """Counts that describe the development set: articles, outlets, kinds of outlet, years spanned."""
    years = sources["published"].str[:4].astype(int)
    return {"articles": len(sources), "outlets": sources["outlet"].nunique(),
            "outlet_kinds": sources["outlet_kind"].nunique(), "first_year": int(years.min()),
            "last_year": int(years.max())}


def dev_score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The development-set scores for readers: one row per measure, ours beside the plain peer run
    on the same articles, each with its count, and whether ours is the better."""
    rows = []
    for r in scores.itertuples(index=False):
        # An F1 score is a harmonic mean, not a share of items: its counts would read as nonsense.
        f1 = "F1" in r.metric
        rows.append({
            "measure": r.metric,
            "Proxy Lens": f"{r.ours:.3f}",
            "Proxy Lens (right/all)": "" if f1 else f"{r.ours_k}/{r.ours_n}",
            "peer": DEV_PEERS.get(r.peer, r.peer),
            "peer score": f"{r.peer_value:.3f}",
            "peer (right/all)": "" if f1 else f"{r.peer_k}/{r.peer_n}",
            "better": "Proxy Lens" if r.ours > r.peer_value else ("tie" if r.ours == r.peer_value else "peer"),
        })
    return pd.DataFrame(rows).set_index("measure")


def dev_glue_values(scores: pd.DataFrame) -> dict[str, float | int]:
    """Named values of the development-set scores for the chapter's prose: ``dev_<measure>`` (ours),
    ``dev_<measure>_peer``, ``dev_<measure>_k`` and ``dev_<measure>_n``."""
    out: dict[str, float | int] = {}
    for r in scores.itertuples(index=False):
        key = "dev_" + slug(r.metric)
        out[key], out[key + "_peer"] = float(r.ours), float(r.peer_value)
        out[key + "_k"], out[key + "_n"] = int(r.ours_k), int(r.ours_n)
    out["dev_all_better"] = int(all(scores["ours"] > scores["peer_value"]))
    return out


DEV_ERROR_KINDS = {
    "missed": "gold mention not found",
    "no_identity": "found without an identity",
    "spurious": "found, not an actor in the gold",
    "split_or_merged": "one actor under several ids",
    "wrong_value": "dated expression with a wrong value",
    "wrong_claimant": "statement with a wrong or no claimant",
}


def dev_error_counts(errors: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How many errors of each kind the development set shows."""
    rows = [{"kind of error": DEV_ERROR_KINDS.get(k, k), "count": len(v)} for k, v in errors.items()]
    return pd.DataFrame(rows).set_index("kind of error")


# The project's targets for real news (issue acceptance): measure -> least acceptable share.
DEV_TARGETS = {"mentions with an identity": 0.90, "pairwise cluster F1": 0.90, "dated expressions right": 0.85,
               "claimant right": 0.80}


def dev_targets_markdown(scores: pd.DataFrame, targets: dict[str, float] = DEV_TARGETS) -> str:
    """One Markdown bullet per target measure: our score (with its count, except for an F1), whether it
    meets the target, and the peer's score."""
    lines = []
    for metric, target in targets.items():
        row = scores[scores["metric"] == metric].iloc[0]
        verdict = "meets" if row["ours"] >= target else "falls short of"
        counts = "" if "F1" in metric else f" ({row['ours_k']} of {row['ours_n']})"
        lines.append(f"- **{metric}**: {row['ours']:.1%}{counts}, which {verdict} the project's target of "
                     f"{target:.0%}; the peer gets {row['peer_value']:.1%}.")
    return "Against the targets the project set for real news:\n\n" + "\n".join(lines)


def dev_peer_phrase(scores: pd.DataFrame) -> str:
    """Whether our extractor beats the plain peer on every measure, as a phrase for the prose."""
    losses = scores[scores["ours"] <= scores["peer_value"]]
    if losses.empty:
        return "better than each plain peer on every measure"
    return f"but not better than the plain peer on {len(losses)} measure(s): " + ", ".join(losses["metric"])
