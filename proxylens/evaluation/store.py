"""The evaluation computed once and stored as data, for the Evaluation chapter to read.

:func:`compute` extracts each corpus once (the seeds' extraction is the committed tables in
``data/derived/``; each folder of ``data/unseen/`` and the development set ``data/dev/`` are run
through the engine in memory) and scores every task from that one result: actor mentions,
temporal expressions, the curated events' dates, claims, and the development set against its
peers. It returns every table the chapter shows and every number its prose cites.

:func:`write` stores them in a folder (``data/derived/evaluation/`` by ``make data``): one CSV per
table (:data:`TABLES`) and ``values.json`` (the numbers and phrases, by name). The files are
deterministic: rows in the order the scorers give them, floats as Python's shortest round-trip
form, booleans as ``true``/``false``, UTF-8 with LF line ends, keys sorted. Two runs write the same
bytes. :func:`read_table` and :func:`read_values` read them back with their types, which
``data/datapackage.json`` records (:func:`resources` writes those descriptions).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from proxylens.paths import derived_dir

# table name -> (title, description, index columns the reader restores)
TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "gold_sizes": ("Evaluation: what each score rests on",
                   "Documents and hand-coded gold items per task (actors, timexes, claims) and corpus (seeds, unseen).", ()),
    "scores": ("Evaluation: every automatic-versus-gold score",
               ("One row per task and metric: the share right on the seeds and on the unseen texts (3 places), with its "
               "counts as right/all (F1 counts are 2·TP over predicted plus gold)."), ()),
    "score_intervals": ("Evaluation: scores with 95 % Wilson intervals",
                        ("The bars of the seeds-versus-unseen figure, long form: each score with the Wilson interval of "
                        "its share (none for F1, which is not a share)."), ()),
    "error_counts": ("Evaluation: errors by task and category",
                     "How many errors of each category each task shows on each corpus.", ()),
    "errors_actors": ("Evaluation: actor mention errors",
                      "Every mention error on the seeds and the unseen texts, with its category.", ()),
    "errors_timexes": ("Evaluation: temporal expression errors",
                       "Every error of the automatic timex table as it stands (its own anchors), in document order.", ()),
    "errors_claims": ("Evaluation: claim errors",
                      ("Every claim error: one row per gold claim and problem, plus automatic claims overlapping no "
                      "gold claim."), ()),
    "normaliser_errors": ("Evaluation: normaliser errors with gold anchors",
                          ("Gold expressions the normaliser gets wrong even with the gold's own anchor, with dateparser's "
                          "value."), ()),
    "timex_by_type": ("Evaluation: normaliser and dateparser by kind of expression",
                      "Values right with the gold's anchors by kind of gold expression, both corpora pooled.", ()),
    "unresolved_names": ("Evaluation: names the extractor kept without an actor (unseen texts)",
                         "Unresolved names of the unseen texts, grouped by text and NER label, with a hint.", ()),
    "dev_scores": ("Evaluation: development-set scores",
                   ("One row per measure on the development set of real news: ours beside the peer run on the same "
                   "articles, each with its counts."), ()),
    "dev_error_counts": ("Evaluation: development-set errors by kind",
                         "How many errors of each kind our extractor makes on the development set.", ()),
    "dev_missed": ("Evaluation: development-set mentions missed",
                   "Gold actor mentions of the development set no automatic mention overlaps.", ()),
    "dev_split_or_merged": ("Evaluation: development-set actors split or merged",
                            "Gold actors whose mentions the extractor put under more than one id.", ()),
    "dev_wrong_value": ("Evaluation: development-set dates with a wrong value",
                        "Gold dated expressions whose overlapping automatic expression has another value.", ()),
    "dev_wrong_claimant": ("Evaluation: development-set statements with a wrong claimant",
                           "Gold attributed statements found with a wrong claimant, or none.", ()),
    "timeline_thresholds": ("Evaluation: anchored-expression accuracy against the threshold",
                            ("Each anchored-expression accuracy of the timeline stage and whether it meets the 90 % "
                            "acceptance threshold."), ("measure",)),
    "timeline_event_scores": ("Evaluation: the curated events' date words",
                              ("Strict and lenient accuracy of the normaliser and of dateparser on the curated events' "
                              "date words."), ("expressions",)),
    "timeline_event_scores_by_rule": ("Evaluation: the events' date words by normaliser rule",
                                      ("Per normaliser rule, over the anchored event words: how many each system got "
                                      "right, strict and lenient."), ("rule",)),
    "timeline_event_judgements": ("Evaluation: each anchored event expression",
                                  ("Each anchored date expression of the curated events with both systems' values and "
                                  "verdicts."), ()),
    "timeline_gold_scores": ("Evaluation: timex gold scores, seeds and unseen",
                             ("Detection and normalisation against the hand-made timex gold, seeds and unseen texts "
                             "side by side."), ("measure",)),
    "timeline_gold_by_type": ("Evaluation: seed timex gold by type",
                              ("Per gold expression type on the seeds: how many, and how many each system normalised "
                              "right with the gold's anchors."), ("type",)),
    "timeline_normaliser_errors": ("Evaluation: where the normaliser and the gold disagree",
                                   "One line per gold expression the normaliser gets wrong with the gold's anchor.", ()),
    "claims_summary": ("Evaluation: claims found with the right claimant",
                       "The headline claim measures of the seeds and the unseen texts as 'right of n (share)'.",
                       ("measure",)),
    "claimant_misses": ("Evaluation: attributed claims missed or with a wrong claimant",
                        "Attributed gold claims not found, or found with the wrong claimant, on each corpus.", ()),
}
VALUES_FILE = "values.json"
# Tables with words quoted from the texts scored, and what the licence says of them.
QUOTING = ("errors_actors", "errors_timexes", "errors_claims", "normaliser_errors", "unresolved_names",
           "dev_missed", "dev_split_or_merged", "dev_wrong_value", "dev_wrong_claimant", "timeline_event_judgements",
           "timeline_normaliser_errors", "claimant_misses")
RIGHTS = ("Text columns quote the texts scored: the seeds and the development set's articles are third-party "
          "copyrighted texts included for research and criticism and not licensed for reuse (seeds/sources.csv and "
          "data/dev/sources.csv, column redistribution); the unseen test texts were written for Proxy Lens. "
          "CC-BY-4.0 covers the scores and the coding, not the quoted words.")
# Which of the development set's error lists are stored (the chapter lists these; the others are counted).
DEV_ERROR_TABLES = ("missed", "split_or_merged", "wrong_value", "wrong_claimant")

# Column descriptions, shared by every table that has the column (a table's own wins).
COLUMNS: dict[str, str] = {
    "task": "Extraction task: actors, timexes or claims.",
    "corpus": "Which test set: seeds (in-sample) or unseen (texts written for the test).",
    "documents": "Documents of the corpus the task is scored on (in unresolved_names: the documents the name is in).",
    "gold_items": "Hand-coded gold items the score rests on.",
    "items_are": "What the gold items are.",
    "metric": "What is measured.",
    "seeds": "On the seeds.",
    "unseen": "On the unseen texts.",
    "seeds_count": "Counts behind the seed score: right/all.",
    "unseen_count": "Counts behind the unseen score: right/all.",
    "value": "The share right, 3 places.",
    "low": "Lower end of the 95 % Wilson interval (empty for F1).",
    "high": "Upper end of the 95 % Wilson interval (empty for F1).",
    "category": "Kind of error.",
    "doc": "The document (its short label).",
    "text": "The words at issue.",
    "gold_actor": "Actor id of the gold mention.",
    "auto_actor": "Actor id of the overlapping automatic mention.",
    "auto_text": "Text of the overlapping automatic mention.",
    "gold": "What the gold says on the point at issue.",
    "ours": "What our extractor gives.",
    "auto": "What the automatic claim says on the point at issue.",
    "anchor": "The anchor date the value was resolved from.",
    "dateparser": "dateparser's value (or verdict), given the same words and anchor.",
    "expression_type": "Kind of gold expression.",
    "n": "How many items.",
    "normaliser_right": "Values the normaliser got right with the gold's anchor.",
    "dateparser_right": "Values dateparser got right with the gold's anchor.",
    "advantage": "normaliser_right minus dateparser_right.",
    "name": "The name as the text has it.",
    "ner_label": "The statistical model's label for it.",
    "mentions": "How many mentions.",
    "candidate_id": "The id the extractor gave the unregistered actor.",
    "hint": "candidate (for the registry) or place.",
    "ours_k": "Items our extractor got right.",
    "ours_n": "Items our extractor is scored on.",
    "peer": "The peer tool run on the same articles.",
    "peer_value": "The peer's share right, 3 places.",
    "peer_k": "Items the peer got right.",
    "peer_n": "Items the peer is scored on.",
    "kind": "Kind of error.",
    "errors": "How many errors of that kind.",
    "source_id": "The development-set article.",
    "start": "Start offset of the gold span in the article.",
    "end": "End offset (exclusive) of the gold span.",
    "entity_id": "The gold entity.",
    "entity_kind": "Kind of the gold entity.",
    "note": "The annotator's note.",
    "clusters": "The automatic ids the gold entity's mentions were given.",
    "precision": "Precision of the gold value (day, month, year, interval).",
    "anchor_basis": "Where the gold anchor comes from.",
    "expr_type": "Kind of gold expression.",
    "predicted_text": "Text of the overlapping automatic expression.",
    "predicted": "Our value (or claimant).",
    "rule": "The normaliser rule that resolved the expression.",
    "quote": "The gold statement.",
    "claimant_text": "The words our extractor took as the claimant.",
    "measure": "What is measured.",
    "correct": "Items right.",
    "accuracy": "correct / n, 3 places.",
    "meets": "Whether the accuracy meets the 90 % threshold.",
    "expressions": "Which date words: the anchored ones, or all.",
    "ours strict": "Normaliser right, strict: right/all = share.",
    "ours lenient": "Normaliser right, lenient (its value contains the event's date).",
    "dateparser strict": "dateparser right, strict.",
    "dateparser lenient": "dateparser right, lenient.",
    "words": "The event's date words.",
    "event date": "The event's date.",
    "strict": "Whether the normaliser's value is right, strict.",
    "lenient": "Whether the normaliser's value is right, lenient.",
    "type": "Kind of gold expression.",
    "error": "The gold expression (document:offset and words), the gold and our value, and the rule.",
    "claim": "The gold claim's id.",
    "gold claimant": "The gold claimant.",
    "found": "Whether an automatic claim overlaps it.",
    "automatic claimant": "The matching automatic claim's claimant.",
}
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "timeline_event_scores_by_rule": {
        "ours strict": "Normaliser right, strict.", "ours lenient": "Normaliser right, lenient.",
        "dateparser strict": "dateparser right, strict.", "dateparser lenient": "dateparser right, lenient."},
    "timeline_event_judgements": {"ours": "The normaliser's value.", "dateparser strict": "Whether dateparser is right, strict."},
    "timeline_gold_by_type": {"ours": "Normaliser right with the gold's anchor.",
                              "dateparser": "dateparser right with the gold's anchor."},
    "timeline_gold_scores": {"seeds": "On the seeds.", "unseen": "On the unseen texts."},
    "timeline_normaliser_errors": {"corpus": "Which test set: seeds or unseen."},
    "claims_summary": {"seeds": "On the seeds: right of n (share).", "unseen": "On the unseen texts: right of n (share)."},
    "dev_wrong_claimant": {"gold": "The gold claimant's entity ids.", "predicted": "Our claimant, mapped to the gold entities."},
    "dev_wrong_value": {"value": "The gold value.", "predicted": "Our value.", "note": "The annotator's note."},
    "timex_by_type": {"n": "Gold expressions of this kind."},
    "error_counts": {"seeds": "Errors on the seeds.", "unseen": "Errors on the unseen texts."},
    "dev_scores": {"ours": "Our share right, 3 places."},
    "normaliser_errors": {"dateparser": "dateparser's value with the same words and anchor."},
}


@dataclass
class Evaluation:
    """Everything the Evaluation chapter shows: ``tables`` by name (:data:`TABLES`) and ``values``."""

    tables: dict[str, pd.DataFrame]
    values: dict[str, float | int | str]
    # What the tables were made from (not stored): "seeds" and "unseen" (corpus.CorpusEvaluation),
    # "timeline" (timeline.Evaluation), "dev" (dev.DevEvaluation).
    sources: dict = field(default_factory=dict)


# ---------------------------------------------------------------- computing


def compute(nlp=None) -> Evaluation:
    """Extract each corpus once and score every task from that extraction."""
    from proxylens.evaluation import claims as claims_eval
    from proxylens.evaluation import corpus as cc
    from proxylens.evaluation import dev
    from proxylens.evaluation import timeline as tl
    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    seeds_run = cc.seeds_extraction()
    unseen_runs = {stage: cc.extract_folder(cc.unseen_dir(stage)) for stage in cc.STAGES}
    seeds = cc.score_corpus("seeds", dict.fromkeys(cc.STAGES, seeds_run), cc.seed_gold(), nlp)
    unseen = cc.score_corpus("unseen", unseen_runs, cc.unseen_gold(), nlp)
    summary = cc.summary_table(seeds, unseen)
    errors = cc.error_tables(seeds, unseen)

    timeline = tl.run_evaluation(seeds_run, unseen_runs["timexes"], nlp,
                                 judged={"seeds": seeds.timex_judged, "unseen": unseen.timex_judged})
    checks = tl.threshold_checks(timeline)
    event_scores = tl.event_scores(timeline.events)

    claim_results = {ev.name: claims_eval.result_frames(ev.claim_metrics, ev.claim_details, ev.claim_unmatched)
                     for ev in (seeds, unseen)}

    dev_run = dev.evaluate_dev(nlp=nlp)
    dev_scores = dev.score_table(dev_run)
    dev_errors = dev_run.errors["ours"]

    tables = {
        "gold_sizes": cc.gold_sizes(seeds, unseen),
        "scores": summary,
        "score_intervals": cc.figure_data(summary),
        "error_counts": cc.error_counts(errors),
        "errors_actors": errors["actors"],
        "errors_timexes": errors["timexes"],
        "errors_claims": errors["claims"],
        "normaliser_errors": pd.concat([cc.normaliser_errors(seeds), cc.normaliser_errors(unseen)], ignore_index=True),
        "timex_by_type": cc.timex_by_type(seeds, unseen),
        "unresolved_names": cc.unresolved_by_ner_label(unseen.mentions),
        "dev_scores": dev_scores,
        "dev_error_counts": pd.DataFrame({"kind": list(dev_errors), "errors": [len(v) for v in dev_errors.values()]}),
        **{f"dev_{kind}": pd.DataFrame(dev_errors[kind]) for kind in DEV_ERROR_TABLES},
        "timeline_thresholds": checks,
        "timeline_event_scores": event_scores,
        "timeline_event_scores_by_rule": tl.event_scores_by_rule(timeline.events),
        "timeline_event_judgements": tl.event_judgements(timeline.events),
        "timeline_gold_scores": tl.gold_scores(timeline.seeds, timeline.unseen).rename_axis("measure"),
        "timeline_gold_by_type": tl.gold_by_type(timeline.seeds),
        "timeline_normaliser_errors": pd.DataFrame(
            [{"corpus": name, "error": line} for name, res in (("seeds", timeline.seeds), ("unseen", timeline.unseen))
             if res is not None for line in res["errors"]], columns=["corpus", "error"]),
        "claims_summary": claims_eval.evaluation_summary(claim_results).rename_axis("measure"),
        "claimant_misses": pd.concat(
            [claims_eval.claimant_misses(r["details"]).assign(corpus=name) for name, r in claim_results.items()],
            ignore_index=True)[["corpus", "claim", "gold claimant", "found", "automatic claimant", "quote"]],
    }
    values = _values(summary, errors, unseen, checks, event_scores, claim_results, dev_scores)
    return Evaluation(tables, values, {"seeds": seeds, "unseen": unseen, "timeline": timeline, "dev": dev_run})


def _values(summary, errors, unseen, checks, event_scores, claim_results, dev_scores) -> dict:
    """Every number and phrase the chapter's prose cites, by the name it is glued under."""
    from proxylens.evaluation import claims as claims_eval
    from proxylens.evaluation import corpus as cc
    from proxylens.evaluation import dev

    values: dict = dict(cc.score_keys(summary))
    values["claimant_one_error_points"] = round(100 / values["claims_claimant_right_unseen_n"], 1)
    for key, value in {**dev.dev_overview(dev.dev_sources()), **dev.dev_glue_values(dev_scores)}.items():
        values[key if key.startswith("dev_") else f"dev_{key}"] = value
    values["dev_peer_phrase"] = dev.dev_peer_phrase(dev_scores)
    timex_seeds = errors["timexes"][errors["timexes"]["corpus"] == "seeds"]
    values["timex_seed_errors"] = len(timex_seeds)
    values["timex_seed_undated"] = int((timex_seeds["category"] == "no anchor").sum())
    values["unseen_unknown_found"] = int(unseen.mention_all["unknown_found"])
    values["unseen_unknown_gold"] = int(unseen.mention_all["unknown_gold"])
    verdict = {True: "meets", False: "does not meet"}
    for key, measure in [("ev_strict", "events, anchored words, strict"),
                         ("ev_lenient", "events, anchored words, lenient"),
                         ("gold_anchored", "seed gold, anchored, gold anchors"),
                         ("unseen_anchored", "unseen gold, anchored, gold anchors")]:
        row = checks.loc[measure]
        values[key] = f"{row['correct']}/{row['n']} = {row['accuracy']:.1%}"
        values[key + "_verdict"] = verdict[bool(row["meets"])]
    values["dp_strict"] = event_scores.loc["anchored", "dateparser strict"]
    for name, result in claim_results.items():
        counts = claims_eval.evaluation_counts(result).loc["found with the right claimant"]
        values[f"{name}_claimant_right"] = int(counts["right"])
        values[f"{name}_attributed"] = int(counts["of"])
        values[f"{name}_claimant_share"] = f"{counts['share']:.1%}"
        values[f"{name}_meets"] = "meets" if counts["share"] >= 0.8 else "falls short of"
        values[f"{name}_se"] = f"{100 * (counts['share'] * (1 - counts['share']) / counts['of']) ** 0.5:.0f}"
    return {k: _plain(v) for k, v in values.items()}


def _plain(value):
    """A numpy or pandas scalar as the Python value it holds (so JSON and glue see int, float, str)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


# ---------------------------------------------------------------- the stored form


def field_type(dtype) -> str:
    """The Table Schema type of a column: boolean, integer, number or string."""
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


def _cell(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        return "" if value is None or math.isnan(value) else repr(float(value))
    if kind == "integer":
        return str(int(value))
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def table_flat(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the index :data:`TABLES` names for it made columns (the form stored)."""
    index = TABLES[name][2]
    if index:
        if list(table.index.names) != list(index):
            raise ValueError(f"{name}: index {list(table.index.names)} is not {list(index)}")
        return table.reset_index()
    return table.reset_index(drop=True)


def table_csv(name: str, table: pd.DataFrame) -> str:
    """The CSV text of one stored table (LF line ends; every cell quoted only where CSV needs it)."""
    flat = table_flat(name, table)
    kinds = [field_type(flat[c].dtype) for c in flat.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(c) for c in flat.columns])
    for row in flat.itertuples(index=False):
        writer.writerow([_cell(v, k) for v, k in zip(row, kinds)])
    return out.getvalue()


def values_json(values: dict) -> str:
    return json.dumps(values, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failed run leaves no half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(folder: str | Path, evaluation: Evaluation | None = None) -> list[Path]:
    """Compute the evaluation (unless given) and store it in ``folder``; returns the files written."""
    evaluation = evaluation or compute()
    missing = sorted(set(TABLES) - set(evaluation.tables))
    if missing:
        raise ValueError(f"evaluation tables missing: {missing}")
    texts = {f"{name}.csv": table_csv(name, evaluation.tables[name]) for name in TABLES}
    texts[VALUES_FILE] = values_json(evaluation.values)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file, text in sorted(texts.items()):
        _write_text(folder / file, text)
        written.append(folder / file)
    return written


# ---------------------------------------------------------------- reading


def evaluation_dir() -> Path:
    """Where ``make data`` stores the evaluation: ``data/derived/evaluation/``."""
    return derived_dir() / "evaluation"


def resource_name(table: str) -> str:
    return "derived-evaluation-" + table.replace("_", "-")


def _field_types(table: str) -> dict[str, str]:
    from proxylens.datapackage import load_descriptor, resources

    for resource in resources(load_descriptor()):
        if resource["name"] == resource_name(table):
            return {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    raise KeyError(f"data/datapackage.json: no resource {resource_name(table)!r}")


def read_table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """A stored evaluation table with its column types (from ``data/datapackage.json``) and, for
    the tables :data:`TABLES` gives one, its index."""
    path = Path(folder or evaluation_dir()) / f"{name}.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    types = _field_types(name)
    out = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        kind = types.get(column, "string")
        cells = raw[column]
        if kind == "boolean":
            out[column] = cells.map({"true": True, "false": False}).astype(bool)
        elif kind == "integer":
            out[column] = cells.astype("int64")
        elif kind == "number":
            out[column] = [float(c) if c else math.nan for c in cells]
        else:
            out[column] = cells.astype("str")
    index = TABLES[name][2]
    return out.set_index(list(index)) if index else out


def read_values(folder: str | Path | None = None) -> dict[str, float | int | str]:
    """The stored numbers and phrases of the chapter's prose, by name."""
    path = Path(folder or evaluation_dir()) / VALUES_FILE
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the data package


def resources(evaluation: Evaluation, root: str = "data/derived/evaluation") -> list[dict]:
    """The ``data/datapackage.json`` resources describing the stored tables of ``evaluation``."""
    out = []
    for name, (title, description, _) in TABLES.items():
        flat = table_flat(name, evaluation.tables[name])
        own = TABLE_COLUMNS.get(name, {})
        fields = [{"name": str(c), "type": field_type(flat[c].dtype), "description": own.get(c) or COLUMNS[c]}
                  for c in flat.columns]
        out.append({
            "name": resource_name(name), "path": f"{root}/{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "title": title,
            "description": description, "x_group": "derived",
            "x_written_by": "python -m proxylens.evaluation write data/derived/evaluation (make data)",
            "x_read_by": ["07_evaluation"],
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n", "quoteChar": '"'},
            "schema": {"fields": fields, "missingValues": [""]},
            **({"x_rights": RIGHTS} if name in QUOTING else {}),
        })
    out.append({
        "name": resource_name("values"), "path": f"{root}/{VALUES_FILE}", "profile": "data-resource",
        "format": "json", "mediatype": "application/json", "encoding": "utf-8",
        "title": "Evaluation: the numbers and phrases of the chapter's prose",
        "description": ("Every score, count and verdict the Evaluation chapter's text cites, by the name it is glued "
                        "under (e.g. claims_claimant_right_unseen, its _k and _n counts, dev_claimant_right, ev_strict): "
                        "one JSON object, keys sorted."),
        "x_group": "derived",
        "x_written_by": "python -m proxylens.evaluation write data/derived/evaluation (make data)",
        "x_read_by": ["07_evaluation"],
    })
    return out


def describe(evaluation: Evaluation, descriptor: dict) -> dict:
    """``descriptor`` (``data/datapackage.json``) with its evaluation resources replaced by
    :func:`resources` of ``evaluation``, placed after the other derived tables."""
    ours = resources(evaluation)
    names = {r["name"] for r in ours}
    kept = [r for r in descriptor["resources"] if r["name"] not in names]
    last_derived = max((i for i, r in enumerate(kept) if r.get("x_group") == "derived"), default=len(kept) - 1)
    return {**descriptor, "resources": kept[:last_derived + 1] + ours + kept[last_derived + 1:]}
