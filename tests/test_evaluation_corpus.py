"""The evaluation of the seeds and the unseen texts (proxylens.evaluation.corpus), the chapter's
shaping of it (proxylens.report.evaluation), and the budgets and benchmark script's pure functions.

The summary table must carry the same numbers as the evaluation modules' own scorers applied to the
committed seed tables. The evaluation is computed once per session (the ``evaluation`` fixture).
No test here times anything.
"""

import csv
import hashlib
import importlib.util
import math
import sys

import pandas as pd
import pytest

from proxylens import report, tables
from proxylens.corpus import load_corpus
from proxylens.evaluation import CORPORA, budgets
from proxylens.evaluation import claims as claims_eval
from proxylens.evaluation import corpus as ev
from proxylens.evaluation import dev as dev_eval
from proxylens.evaluation import mentions as mentions_eval
from proxylens.evaluation import timexes as timexes_eval
from proxylens.paths import curated_dir, derived_dir, repo_root
from proxylens.report import evaluation as rev

TOL = 6e-4  # the modules round rates to 3 or 4 places, the summary to 3


@pytest.fixture(scope="module")
def seeds(evaluation):
    return evaluation.sources["seeds"]


@pytest.fixture(scope="module")
def unseen(evaluation):
    return evaluation.sources["unseen"]


@pytest.fixture(scope="module")
def summary(seeds, unseen):
    return ev.summary_table(seeds, unseen)


def row(summary, task, metric):
    found = summary[(summary["task"] == task) & (summary["metric"] == metric)]
    assert len(found) == 1, (task, metric)
    return found.iloc[0]


def counts(r, corpus):
    k, n = r[f"{corpus}_count"].split("/")
    return int(k), int(n)


# ---------------------------------------------------------------- the summary table


def test_summary_shape(summary):
    assert list(summary.columns) == ["task", "metric", "seeds", "unseen", "seeds_count", "unseen_count"]
    assert list(summary["task"].unique()) == ["actors", "timexes", "claims"]
    assert summary.groupby("task", sort=False).size().to_dict() == {"actors": 3, "timexes": 6, "claims": 6}
    assert not summary.duplicated(["task", "metric"]).any()


def test_summary_rates_are_their_counts(summary):
    for _, r in summary.iterrows():
        for corpus in CORPORA:
            k, n = counts(r, corpus)
            assert 0 <= k <= n and n > 0, (r["metric"], corpus)
            assert r[corpus] == round(k / n, 3)


def test_mentions_match_the_module_on_the_seeds(summary):
    result = mentions_eval.evaluate(derived_dir() / "mentions.csv", curated_dir() / "mentions_gold.csv")
    overall = result["documents"][-1]
    assert overall["source_id"] == "ALL"
    for metric, key in (("mention precision", "precision"), ("mention recall", "recall"), ("mention F1", "f1")):
        assert abs(row(summary, "actors", metric)["seeds"] - overall[key]) < TOL
    assert counts(row(summary, "actors", "mention precision"), "seeds") == (overall["tp"], overall["tp"] + overall["fp"])
    assert counts(row(summary, "actors", "mention recall"), "seeds") == (overall["tp"], overall["tp"] + overall["fn"])


def test_timexes_and_claims_match_the_modules_on_the_seeds(summary):
    pred = timexes_eval.read_rows(derived_dir() / "timexes.csv")
    e2e = timexes_eval.end_to_end(pred, timexes_eval.read_rows(curated_dir() / "timex_gold.csv"))
    det = e2e["detection"]
    assert counts(row(summary, "timexes", "detection precision"), "seeds") == (det["tp"], det["pred"])
    assert counts(row(summary, "timexes", "detection recall"), "seeds") == (det["tp"], det["gold"])
    assert abs(row(summary, "timexes", "detection F1")["seeds"] - det["f1"]) < TOL
    values = e2e["values_of_matched"]
    assert counts(row(summary, "timexes", "value right, end to end"), "seeds") == (values["correct"], values["n"])
    gold = claims_eval.locate(claims_eval.read_csv_rows(curated_dir() / "claims.csv"), tables.seed_texts())
    metrics = claims_eval.score(gold, claims_eval.read_csv_rows(derived_dir() / "claims.csv"))
    pairs = {
        "attributed claims found": "attributed_recall", "claimant right": "claimant_recall",
        "attribution type right": "attribution_accuracy", "evidence type right": "evidence_accuracy",
        "author-voice claims found": "author_recall", "automatic claims matching gold": "precision_estimate",
    }
    for metric, key in pairs.items():
        assert abs(row(summary, "claims", metric)["seeds"] - metrics[key]) < TOL, metric
    assert counts(row(summary, "claims", "claimant right"), "seeds") == (metrics["claimant_right"],
                                                                        metrics["attributed_gold"])


def test_gold_sizes(seeds, unseen, summary):
    sizes = ev.gold_sizes(seeds, unseen).set_index(["task", "corpus"])
    assert sizes.loc[("actors", "seeds"), "documents"] == 4
    assert sizes.loc[("timexes", "unseen"), "documents"] == len(list(ev.unseen_dir("timexes").glob("*.txt")))
    assert sizes.loc[("timexes", "seeds"), "gold_items"] == counts(row(summary, "timexes", "detection recall"), "seeds")[1]
    with (curated_dir() / "claims.csv").open(encoding="utf-8") as fh:
        assert sizes.loc[("claims", "seeds"), "gold_items"] == sum(1 for _ in csv.DictReader(fh))


# ---------------------------------------------------------------- the data behind the figure


def test_figure_data_is_the_summary(summary):
    data = ev.figure_data(summary)
    assert len(data) == 2 * len(summary)
    for _, r in data.iterrows():
        assert r["value"] == row(summary, r["task"], r["metric"])[r["corpus"]]
        if r["metric"].endswith("F1"):
            assert math.isnan(r["low"]) and math.isnan(r["high"])
        else:
            assert 0 <= r["low"] <= r["value"] <= r["high"] <= 1


def test_wilson_interval():
    assert ev.wilson(9, 10) == (0.596, 0.982)
    low, high = ev.wilson(24, 24)
    assert high == 1.0 and 0.8 < low < 1
    assert all(math.isnan(x) for x in ev.wilson(0, 0))


def test_score_keys(summary):
    keys = ev.score_keys(summary)
    r = row(summary, "claims", "claimant right")
    assert keys["claims_claimant_right_unseen"] == r["unseen"]
    assert (keys["claims_claimant_right_unseen_k"], keys["claims_claimant_right_unseen_n"]) == counts(r, "unseen")
    assert len(keys) == 3 * 2 * len(summary)


# ---------------------------------------------------------------- error analysis


def test_error_counts_agree_with_the_scores(seeds, unseen, summary):
    errors = ev.error_tables(seeds, unseen)
    table = ev.error_counts(errors).set_index(["task", "category"])
    for corpus, evaluation in (("seeds", seeds), ("unseen", unseen)):
        m = evaluation.claim_metrics
        assert table.loc[("claims", "wrong claimant"), corpus] == m["attributed_found"] - m["claimant_right"]
        assert table.loc[("claims", "not found"), corpus] == (m["gold_claims"] - m["gold_unlocated"]
                                                            - m["attributed_found"] - m["author_found"])
        assert table.loc[("claims", "no gold claim"), corpus] == m["auto_unmatched"]
        det = evaluation.timex_end_to_end["detection"]
        right, matched = counts(row(summary, "timexes", "value right, end to end"), corpus)
        timex_errors = table.loc["timexes", corpus].sum()
        assert timex_errors == (matched - right) + (det["gold"] - det["tp"]) + (det["pred"] - det["tp"])
        assert table.loc["actors", corpus].sum() == len(evaluation.mention_errors)


def test_error_categories_on_the_seeds(seeds, unseen):
    errors = ev.error_tables(seeds, unseen)
    seed_timexes = errors["timexes"][errors["timexes"]["corpus"] == "seeds"]
    # the teaser page (001) has no unit dates: its relative expressions have no anchor
    assert set(seed_timexes.loc[seed_timexes["category"] == "no anchor", "doc"]) == {"001"}
    assert set(errors["claims"]["category"]) <= {"not found", "wrong claimant", "wrong attribution",
                                                  "wrong evidence", "no gold claim"}


def test_timex_category():
    assert ev.timex_category("2018-07", "") == "value, gold has none"
    assert ev.timex_category("", "2019-04-15", "2019-04-08", anaphoric=True) == "anaphoric"
    assert ev.timex_category("", "2019-04-08", "") == "no anchor"
    assert ev.timex_category("", "2019-04-08", "2019-04") == "no value"
    assert ev.timex_category("2018-06-17/2018-06-24", "2018-06-17") == "too wide"
    assert ev.timex_category("2018-06-10", "2018-06-17") == "wrong value"


def _tiny_evaluation(mention_errors=(), claim_details=(), claim_unmatched=()):
    return ev.CorpusEvaluation(
        name="seeds", mention_documents=[{}], mention_errors=list(mention_errors), mentions=[], mention_gold=[],
        timex_end_to_end={"spurious": []}, timex_values={}, timex_judged=[], timex_rows=[], timex_gold=[],
        claim_metrics={}, claim_details=list(claim_details), claim_unmatched=list(claim_unmatched),
    )


def test_mention_error_categories():
    base = {"source_id": "000_x", "gold_actor": "", "auto_actor": "", "auto_text": "", "method": ""}
    errs = [
        {**base, "start": 0, "end": 8, "kind": "false_negative", "text": "al-Qaeda", "gold_actor": "al-qaeda",
         "auto_actor": "aqi", "auto_text": "al-Qaeda in Iraq"},
        {**base, "start": 0, "end": 16, "kind": "false_positive", "text": "al-Qaeda in Iraq", "auto_actor": "aqi"},
        {**base, "start": 30, "end": 36, "kind": "false_negative", "text": "Tehran", "gold_actor": "iran"},
        {**base, "start": 40, "end": 45, "kind": "false_negative", "text": "Smith", "gold_actor": "smith",
         "auto_text": "Smith"},
        {**base, "start": 50, "end": 55, "kind": "false_positive", "text": "Gulfs", "auto_actor": "gcc"},
        {**base, "start": 60, "end": 64, "kind": "wrong_actor", "text": "Badr", "gold_actor": "b", "auto_actor": "c"},
    ]
    table = ev.mention_errors(_tiny_evaluation(errs), gold_spans=[("000_x", 0, 8), ("000_x", 30, 36)])
    assert list(table["category"]) == ["span differs", "span differs", "missed", "found, not resolved",
                                       "spurious", "wrong actor"]
    assert list(table["doc"].unique()) == ["000"]


def test_claim_error_rows_and_narrow_view():
    detail = {"claim_id": "c1", "source_id": "uc01_x", "start": 0, "end": 10, "gold_attribution": "indirect",
              "gold_claimant": "a", "found": True, "auto_start": 0, "auto_end": 10, "auto_attribution": "indirect",
              "auto_claimant": "", "auto_basis": "", "claimant_ok": False, "attribution_ok": True,
              "gold_evidence": "official_statement", "auto_evidence": "official_statement", "quote": "x" * 200}
    missing = {**detail, "claim_id": "c2", "found": False, "claimant_ok": False, "attribution_ok": False,
               "auto_attribution": "", "auto_evidence": "", "quote": "short"}
    extra = {"source_id": "uc01_x", "attribution": "author_voice", "claimant_id": "", "text": "Headline"}
    table = ev.claim_errors(_tiny_evaluation(claim_details=[detail, missing], claim_unmatched=[extra]))
    assert list(table["category"]) == ["wrong claimant", "not found", "no gold claim"]
    assert table.loc[0, "auto"] == "(none)" and len(table.loc[0, "text"]) == 90
    narrow = rev.gold_versus_auto(table)
    assert list(narrow["gold / auto"]) == ["a / (none)", "indirect / –", "– / author_voice"]


def test_examples_takes_the_first_of_each_category():
    table = pd.DataFrame({"corpus": ["seeds"] * 4 + ["unseen"], "category": ["a", "a", "a", "b", "a"],
                          "text": ["1", "2", "3", "4", "5"]})
    out = rev.examples(table, per_category=2)
    assert list(out["text"]) == ["1", "2", "5", "4"]


def test_timex_by_type_pools_both_sets(seeds, unseen, summary):
    table = ev.timex_by_type(seeds, unseen)
    n_gold = sum(counts(row(summary, "timexes", "value right, gold anchors"), c)[1] for c in CORPORA)
    right = sum(counts(row(summary, "timexes", "value right, gold anchors"), c)[0] for c in CORPORA)
    assert table["n"].sum() == n_gold and table["normaliser_right"].sum() == right
    assert list(table["advantage"]) == sorted(table["advantage"], reverse=True)


def test_unresolved_by_ner_label():
    rows = [
        {"source_id": "unseen_01_a", "text": "Brian Nelson", "actor_id": "", "method": "ner:PERSON", "candidate_id": ""},
        {"source_id": "unseen_02_b", "text": "Brian Nelson", "actor_id": "", "method": "ner:PERSON", "candidate_id": ""},
        {"source_id": "unseen_02_b", "text": "Beirut", "actor_id": "", "method": "ner:GPE", "candidate_id": ""},
        {"source_id": "unseen_02_b", "text": "Iran", "actor_id": "iran", "method": "alias:name", "candidate_id": ""},
    ]
    table = ev.unresolved_by_ner_label(rows)
    assert list(table["name"]) == ["Beirut", "Brian Nelson"]
    assert list(table["hint"]) == ["place", "candidate"]
    assert table.loc[1, "mentions"] == 2 and table.loc[1, "documents"] == "unseen_01, unseen_02"


def test_doc_label():
    from proxylens.report import doc_label

    assert [doc_label(s) for s in ("000_03e243f846fa81a4", "uc02_mukhtar", "unseen_01_aah", "readme")] == [
        "000", "uc02", "unseen_01", "readme"]


# ---------------------------------------------------------------- the benchmark


@pytest.fixture(scope="module")
def bench_script():
    path = repo_root() / "scripts" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("proxylens_benchmark_script", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _tiny_corpus(folder):
    folder.mkdir()
    texts = {"a.txt": "Kataib Hezbollah said on Tuesday it would respond.\n", "b.txt": "The IRGC was listed."}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    with (folder / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "published", "doc_kind", "sha256"])
        for name, text in texts.items():
            w.writerow([name, "2020-01-03", "article", hashlib.sha256(text.encode()).hexdigest()])
    return texts


def test_scaled_corpus_has_distinct_files(bench_script, tmp_path):
    texts = _tiny_corpus(tmp_path / "docs")
    files = bench_script.build_scaled_corpus(tmp_path / "docs", tmp_path / "x3", 3)
    assert len(files) == 6 and files == sorted(files)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert len(digests) == 6
    assert (tmp_path / "x3" / "a__000.txt").read_text(encoding="utf-8") == texts["a.txt"]
    assert (tmp_path / "x3" / "b__002.txt").read_text(encoding="utf-8").endswith(
        bench_script.copy_line("b", 2) + "\n")
    corpus = load_corpus(tmp_path / "x3")  # the loader's duplicate and manifest checks pass
    assert len(corpus.documents) == 6 and not corpus.notices
    assert {d.published for d in corpus.documents} == {"2020-01-03"}
    with pytest.raises(ValueError):
        bench_script.build_scaled_corpus(tmp_path / "docs", tmp_path / "x0", 0)


def test_benchmark_csv_round_trip(bench_script, tmp_path):
    results = [bench_script.Result("book_seconds", 41.237, "s", "make book, exit 0"),
               bench_script.Result("make_test_seconds", 130.0, "s", "a, b"),
               bench_script.Result("scale_1x_documents", 4, "docs", ""),
               bench_script.Result("scale_1x_seconds", 2.5, "s", ""),
               bench_script.Result("scale_1x_peak_rss_mib", 180.25, "MiB", ""),
               bench_script.Result("scale_memory_growth", 1.01, "ratio", "")]
    path = tmp_path / "bench.csv"
    bench_script.write_csv(results, path)
    raw = path.read_bytes().decode("utf-8")
    assert raw.startswith("metric,value,unit,note\nbook_seconds,41.237,s,\"make book, exit 0\"\n")
    assert "\r" not in raw and "make_test_seconds,130,s" in raw
    bench = budgets.read_benchmark(path)
    assert list(bench.columns) == ["metric", "value", "unit", "note"] and bench["value"].dtype.kind == "f"
    table = budgets.budget_table(bench).set_index("metric")
    assert table.loc["book_seconds", "kept"] == "yes"
    assert table.loc["make_test_seconds", "kept"] == "no"
    assert table.loc["extract_to_spacy_ratio", "kept"] == "missing"
    assert table.loc["scale_memory_growth", "kept"] == "yes"
    verdicts = budgets.budget_verdicts(bench)
    assert verdicts["book_seconds"] == "within budget" and verdicts["make_test_seconds"] == "over budget"
    assert verdicts["extract_to_spacy_ratio"] == "not measured"
    assert set(budgets.budget_verdicts(None).values()) == {"not measured"}
    scaling = budgets.scaling_table(bench)
    assert scaling.to_dict("records") == [{"factor": 1, "documents": 4, "seconds": 2.5, "peak_rss_mib": 180.25}]
    text = bench_script.summary(results)
    assert "kept" in text and "MISSED" in text and "not measured" in text


def test_read_benchmark_when_never_run(tmp_path):
    assert budgets.read_benchmark(tmp_path / "absent.csv") is None


def test_run_measured_reports_exit_and_memory(bench_script):
    run = bench_script.run_measured([sys.executable, "-c", "print('first'); print('last')"], memory=True)
    assert run.returncode == 0 and run.tail == "last" and run.peak_rss_kib > 0
    failed = bench_script.run_measured([sys.executable, "-c", "raise SystemExit(3)"])
    assert failed.returncode == 3 and failed.peak_rss_kib == 0


def test_benchmark_paragraph_leaves_out_what_was_not_measured():
    bench = pd.DataFrame({"metric": ["book_seconds", "extract_to_spacy_ratio"], "value": [38.0, 1.6],
                          "unit": ["s", "ratio"], "note": ["", ""]})
    text = budgets.benchmark_paragraph(bench)
    assert "`make book` took 38 s (within budget: the limit is under 60 s)" in text
    assert "1.60 times as long" in text and "over budget" in text
    assert "`make test`, which" not in text and "nan" not in text
    # what the run did not measure is named as such, never printed as a blank value
    assert "Not measured in the committed run: make test" in text
    assert budgets.benchmark_paragraph(None).startswith("The benchmark has not been run")


def test_benchmark_paragraph_names_the_alternating_order_only_when_the_run_used_it():
    def paragraph(note):
        return budgets.benchmark_paragraph(pd.DataFrame({"metric": ["parallel_jobs2_speedup"], "value": [1.83],
                                                         "unit": ["ratio"], "note": [note]}))

    alternating = paragraph("docs/s with --jobs 2 over docs/s with --jobs 1, each from two runs in the order 1, 2, 2, 1")
    assert "1.83 times as many documents a second as one over two runs of each" in alternating
    assert "over two runs" not in paragraph("docs/s with --jobs 2 over docs/s with --jobs 1")


# ---------------------------------------------------------------- readable ids and the development set


def test_readable_names_registry_ids_and_claims_but_keeps_new_ids():
    table = pd.DataFrame({"who": ["qassem-soleimani", "ansar-allah x18; new:yemeni-armed-forces x1",
                                  "new:zorvan-kelbarini", "new:qassem-soleimani", "plain words"]})
    out = rev.readable(table)["who"].tolist()
    assert out[0] == "Qassem Soleimani"
    assert out[1] == "Ansar Allah x18; new:yemeni-armed-forces x1"
    assert out[2] == "new:zorvan-kelbarini"  # unregistered: the extractor's own name stays
    assert out[3] == "Qassem Soleimani"  # registered since: named like any other
    assert out[4] == "plain words"


def test_readable_names_a_claim_by_its_document_and_number():
    claims = tables.curated("claims")
    claim_id, source_id = claims.iloc[0]["claim_id"], claims.iloc[0]["source_id"]
    out = rev.readable(pd.DataFrame({"c": [claim_id]}))["c"].iloc[0]
    assert out == f"{report.source_label(source_id)}, claim {int(claim_id.rsplit('-', 1)[1])}"


def _dev_scores() -> pd.DataFrame:
    return pd.DataFrame([
        {"metric": "claimant right", "ours": 0.8, "ours_k": 8, "ours_n": 10, "peer": "textacy",
         "peer_value": 0.1, "peer_k": 1, "peer_n": 10},
        {"metric": "pairwise cluster F1", "ours": 0.9, "ours_k": 18, "ours_n": 20, "peer": "spacy_ner",
         "peer_value": 0.95, "peer_k": 19, "peer_n": 20},
    ])


def test_dev_score_table_names_peers_says_which_is_better_and_hides_f1_counts():
    table = rev.dev_score_table(_dev_scores())
    assert table.loc["claimant right", "peer"] == "textacy quotations"
    assert table.loc["claimant right", "better"] == "Proxy Lens"
    assert table.loc["pairwise cluster F1", "better"] == "peer"
    assert table.loc["pairwise cluster F1", "Proxy Lens (right/all)"] == ""
    assert table.loc["claimant right", "Proxy Lens (right/all)"] == "8/10"


def test_dev_glue_values_flag_a_peer_that_wins():
    values = dev_eval.dev_glue_values(_dev_scores())
    assert values["dev_claimant_right"] == 0.8 and values["dev_claimant_right_n"] == 10
    assert values["dev_all_better"] == 0


def test_dev_overview_counts_the_manifest():
    sources = pd.DataFrame({"published": ["2002-08-29", "2024-01"], "outlet": ["A", "B"],
                            "outlet_kind": ["wire", "wire"]})
    assert dev_eval.dev_overview(sources) == {"articles": 2, "outlets": 2, "outlet_kinds": 1,
                                        "first_year": 2002, "last_year": 2024}


def test_dev_targets_markdown_says_meets_or_falls_short_and_hides_f1_counts():
    text = rev.dev_targets_markdown(_dev_scores(), {"claimant right": 0.9, "pairwise cluster F1": 0.85})
    assert "**claimant right**: 80.0% (8 of 10), which falls short of the project's target of 90%" in text
    assert "**pairwise cluster F1**: 90.0%, which meets" in text


def test_dev_peer_phrase_names_the_measures_a_peer_wins():
    assert dev_eval.dev_peer_phrase(_dev_scores()) == "but not better than the plain peer on 1 measure(s): pairwise cluster F1"
    assert dev_eval.dev_peer_phrase(_dev_scores().iloc[:1]) == "better than each plain peer on every measure"
