"""Scores on the development set of real news (``data/dev/``): ours and three peers, one scorer.

The development set is a frozen folder of real published articles (``data/dev/*.txt`` with a
``sources.csv``) annotated by hand before any extractor run: ``gold/mentions.csv`` (every actor
mention, with an ``entity_id`` shared across articles), ``gold/timexes.csv`` (every dated
expression, with its EDTF value and precision) and ``gold/claims.csv`` (every attributed
statement, with its claimant). The same scorer judges every system.

**Systems.**

* ``ours``: ``proxylens extract``'s stages, run in memory over the folder.
* ``spacy_ner``: spaCy's NER alone, the same model the extractor uses, over the same lines:
  entities of the person, organisation, place and nationality types
  (:data:`PEER_NER_LABELS`), a leading "the" and a possessive "'s" cut off, clustered by exact
  normalised string (:func:`peer_cluster`) across the whole set.
* ``dateparser``: ``dateparser.parse`` of each gold expression's own words, relative to the
  article's publication date (:func:`proxylens.evaluation.timexes.dateparser_value`). It is
  handed the gold spans, so it is scored on values only: an advantage, not a handicap.
* ``textacy``: ``textacy.extract.triples.direct_quotations`` over each article; the claimant is
  the speaker span mapped to the gold mention it overlaps (that mention's entity), as a reader
  with the gold mentions would map it.

**Metrics** (each with its numerator and denominator):

* *mention precision / recall*: predicted mentions overlapping a gold mention / all predicted;
  gold mentions overlapped by a predicted one / all gold (detection, identity ignored);
* *mentions with an identity*: gold mentions overlapped by a predicted mention with a
  non-empty ``cluster_id`` / all gold mentions;
* *pairwise cluster F1*: over the gold mentions that a predicted mention overlaps, every pair
  of them across the whole set is "same" in the gold when the two share an ``entity_id`` and
  "same" in the prediction when they share a ``cluster_id`` (an empty one is a cluster of one);
  precision, recall and F1 of the predicted "same" pairs against the gold ones. Ids need not be
  spelled alike: only which mentions go together counts;
* *dated expressions right*: gold expressions with a non-empty value whose overlapping
  predicted expression has exactly that value (so exactly that precision) / all such gold
  expressions; *lenient*: the predicted value projected to the gold precision matches
  (:func:`proxylens.evaluation.timexes.value_matches`);
* *claimant right*: gold statements matched by an automatic claim
  (:func:`proxylens.evaluation.claims.best_match`) whose claimant is the gold one / all gold
  statements. Gold ``anonymous`` means no named claimant. An unregistered claimant
  (``new:...``) is compared through the mentions: it stands for the gold entity most of its
  cluster's mentions overlap (:func:`cluster_to_gold`), so no system is judged on how it spells
  a new id; likewise a registry id for an actor the gold could only call ``new:...`` (added to
  the registry after the gold was frozen).

Usage: ``python -m proxylens.evaluation.dev [--dev DIR] [--errors N]`` prints the score table
and the first N errors of each kind.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from proxylens.evaluation import claims as claims_eval
from proxylens.evaluation.timexes import dateparser_value, value_matches

if TYPE_CHECKING:
    import pandas as pd

PEER_NER_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
SYSTEMS = ("ours", "spacy_ner", "dateparser", "textacy")
# Which peer is compared with ours on which measure.
PEER_OF = {"mentions": "spacy_ner", "timexes": "dateparser", "claims": "textacy"}
ANONYMOUS = "anonymous"


def dev_dir() -> Path:
    from proxylens.paths import repo_root

    return repo_root() / "data" / "dev"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "") for k, v in row.items() if k} for row in csv.DictReader(fh)]


@dataclass
class DevSet:
    """The development set: texts, publication dates and the three gold tables."""

    folder: Path
    texts: dict[str, str]
    published: dict[str, str]
    mentions: list[dict]
    timexes: list[dict]
    claims: list[dict]


def load_dev(folder: Path | None = None) -> DevSet:
    """Read the folder's texts (as the extractor reads them), ``sources.csv`` and ``gold/*.csv``."""
    from proxylens.corpus import load_corpus

    folder = Path(folder or dev_dir())
    corpus = load_corpus(folder)
    texts = {d.source_id: d.text for d in corpus.documents}
    published = {d.source_id: d.published for d in corpus.documents}
    gold = folder / "gold"
    return DevSet(folder, texts, published, _read(gold / "mentions.csv"), _read(gold / "timexes.csv"),
                  _read(gold / "claims.csv"))


# ---------------------------------------------------------------- running the systems


def run_ours(folder: Path) -> tuple[dict[str, list[dict]], list[dict]]:
    """One extraction of ``folder`` (:func:`proxylens.engine.parsed_documents`, then every stage):
    our mention, timex and claim rows as ``proxylens extract`` writes them, and the spaCy NER peer's
    mention rows read from the same parse (:func:`spacy_ner_rows`)."""
    from proxylens.engine import parsed_documents
    from proxylens.pipeline import extract_rows

    wanted = {"mentions.csv": "mentions", "timexes.csv": "timexes", "claims.csv": "claims"}
    out: dict[str, list[dict]] = {v: [] for v in wanted.values()}
    peer: list[dict] = []
    for parsed in parsed_documents(folder):
        peer += spacy_ner_rows(parsed.document.source_id, parsed.document.text,
                               [(block.start, block.doc) for block in parsed.blocks])
        for table, row in extract_rows(parsed):
            if table in wanted:
                out[wanted[table]].append({k: "" if v is None else str(v) for k, v in row.items()})
    return out, sorted(peer, key=lambda r: r["source_id"])


_LEAD = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"[’']s$")


def peer_cluster(text: str) -> str:
    """The spaCy peer's cluster key: the string lower-cased, white space collapsed, with no leading
    "the" or trailing "'s" ("The Houthis" and "Houthis" are one cluster; "Houthi" is another)."""
    return " ".join(_POSSESSIVE.sub("", _LEAD.sub("", text.strip())).lower().split())


def spacy_ner_rows(source_id: str, text: str, docs: list[tuple[int, object]]) -> list[dict]:
    """The spaCy NER peer's mention rows for one text, from spaCy docs of its lines (``(offset of
    the line, doc)``): entities of :data:`PEER_NER_LABELS`, with a string cluster id."""
    rows = []
    for s, doc in docs:
        for ent in doc.ents:
            if ent.label_ not in PEER_NER_LABELS:
                continue
            lead = _LEAD.match(ent.text)
            start = s + ent.start_char + (lead.end() if lead else 0)
            end = s + ent.end_char
            poss = _POSSESSIVE.search(text[start:end])
            if poss:
                end = start + poss.start()
            if end > start:
                rows.append({"source_id": source_id, "start": str(start), "end": str(end), "text": text[start:end],
                             "cluster_id": "ner:" + peer_cluster(text[start:end]), "method": f"ner:{ent.label_}"})
    return rows


def run_dateparser(dev: DevSet) -> list[dict]:
    """dateparser's value for each gold expression's words, relative to the article's date."""
    rows = []
    for g in dev.timexes:
        rows.append({"source_id": g["source_id"], "start": g["start"], "end": g["end"], "text": g["text"],
                     "value": dateparser_value(g["text"], dev.published.get(g["source_id"], ""))})
    return rows


def run_textacy(dev: DevSet, nlp=None) -> list[dict]:
    """textacy's direct quotations as claim rows; the claimant is the gold entity of the mention
    the speaker overlaps (empty when the speaker overlaps none)."""
    from textacy.extract import triples

    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    by_doc = defaultdict(list)
    for g in dev.mentions:
        by_doc[g["source_id"]].append(g)
    from proxylens.corpus import blocks

    rows = []
    for sid in sorted(dev.texts):
        text = dev.texts[sid]
        # textacy refuses a text with an odd number of quotation marks; then it gets each paragraph
        # alone, and a paragraph it refuses gives nothing.
        pieces = [(0, nlp(text))]
        try:
            found = [(0, t) for t in triples.direct_quotations(pieces[0][1])]
        except ValueError:
            found = []
            for s, e in blocks(text):
                try:
                    found += [(s, t) for t in triples.direct_quotations(nlp(text[s:e]))]
                except ValueError:
                    continue
        for offset, triple in found:
            content, speaker = triple.content, triple.speaker
            if not speaker:
                continue
            s_start = offset + min(t.idx for t in speaker)
            s_end = offset + max(t.idx + len(t) for t in speaker)
            entity = next((g["entity_id"] for g in by_doc[sid]
                           if int(g["start"]) < s_end and s_start < int(g["end"])), "")
            rows.append({"source_id": sid, "start": str(offset + content.start_char),
                         "end": str(offset + content.end_char), "text": content.text, "claimant_id": entity,
                         "claimant_text": text[s_start:s_end], "attribution": "direct_quote",
                         "cue": " ".join(t.text for t in triple.cue)})
    return rows


# ---------------------------------------------------------------- scoring


def _span(row: dict) -> tuple[int, int]:
    return int(row["start"]), int(row["end"])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["source_id"]].append(r)
    return out


def best_overlap(gold: dict, pred: list[dict], need=None) -> dict | None:
    """The predicted row (of the same document, passing ``need``) sharing most characters with ``gold``."""
    g = _span(gold)
    best, most = None, 0
    for p in pred:
        if need is not None and not need(p):
            continue
        shared = _overlap(g, _span(p))
        if shared > most:
            best, most = p, shared
    return best


@dataclass
class Score:
    metric: str
    system: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float:
        return round(self.numerator / self.denominator, 3) if self.denominator else float("nan")


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_counts(assignments: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(pairs same in both, pairs same in prediction, pairs same in gold) for (gold id, predicted id) items."""
    both = sum(_pairs(n) for n in Counter(assignments).values())
    pred = sum(_pairs(n) for n in Counter(p for _, p in assignments).values())
    gold = sum(_pairs(n) for n in Counter(g for g, _ in assignments).values())
    return both, pred, gold


def score_mentions(system: str, pred: list[dict], gold: list[dict]) -> tuple[list[Score], dict[str, list[dict]]]:
    """Detection precision/recall, identity recall and pairwise cluster F1 (see the module docstring)."""
    pred_by, gold_by = _by_doc(pred), _by_doc(gold)
    found = identified = 0
    assignments: list[tuple[str, str]] = []
    missed, unidentified = [], []
    for i, g in enumerate(gold):
        cands = pred_by.get(g["source_id"], [])
        hit = best_overlap(g, cands)
        if hit is None:
            missed.append(g)
            continue
        found += 1
        with_id = best_overlap(g, cands, need=lambda p: bool(p.get("cluster_id")))
        if with_id is not None:
            identified += 1
            assignments.append((g["entity_id"], with_id["cluster_id"]))
        else:
            unidentified.append({**g, "predicted": hit["text"]})
            assignments.append((g["entity_id"], f"(none #{i})"))
    spurious = [p for p in pred if not any(_overlap(_span(p), _span(g)) for g in gold_by.get(p["source_id"], []))]
    both, same_pred, same_gold = pairwise_counts(assignments)
    scores = [
        Score("mention precision", system, len(pred) - len(spurious), len(pred)),
        Score("mention recall", system, found, len(gold)),
        Score("mentions with an identity", system, identified, len(gold)),
        Score("cluster pair precision", system, both, same_pred),
        Score("cluster pair recall", system, both, same_gold),
        Score("pairwise cluster F1", system, 2 * both, same_pred + same_gold),
    ]
    return scores, {"missed": missed, "no_identity": unidentified, "spurious": spurious,
                    "split_or_merged": cluster_errors(assignments, gold)}


def cluster_errors(assignments: list[tuple[str, str]], gold: list[dict]) -> list[dict]:
    """Gold entities whose mentions the prediction splits over several clusters, with those clusters."""
    by_entity: dict[str, Counter] = defaultdict(Counter)
    for g, p in assignments:
        by_entity[g][p] += 1
    return [{"entity_id": e, "clusters": "; ".join(f"{p} x{n}" for p, n in sorted(c.items()))}
            for e, c in sorted(by_entity.items()) if len(c) > 1]


def score_timexes(system: str, pred: list[dict], gold: list[dict]) -> tuple[list[Score], dict[str, list[dict]]]:
    """Dated expressions right (exact value, so exact precision), and a lenient projection."""
    pred_by = _by_doc(pred)
    dated = [g for g in gold if g.get("value")]
    exact = lenient = 0
    wrong = []
    for g in dated:
        hit = best_overlap(g, pred_by.get(g["source_id"], []))
        value = hit.get("value", "") if hit else ""
        if value == g["value"]:
            exact += 1
        else:
            wrong.append({**g, "predicted_text": hit["text"] if hit else "", "predicted": value,
                          "rule": hit.get("rule", "") if hit else "(missed)"})
        lenient += bool(value) and value_matches(value, g["value"])
    return [Score("dated expressions right", system, exact, len(dated)),
            Score("dated expressions right, lenient", system, lenient, len(dated))], {"wrong_value": wrong}


def cluster_to_gold(pred_mentions: list[dict], gold_mentions: list[dict]) -> dict[str, str]:
    """For each predicted cluster that stands for an actor the gold names with a ``new:`` id, that id.

    A predicted ``new:`` cluster stands for the gold entity most of its mentions overlap; so does a
    registry id whose mentions mostly overlap a gold ``new:`` entity (an actor added to the registry
    after the gold was written: the gold could only give it a ``new:`` id). Registry ids the gold
    also uses are left as they are.
    """
    gold_by = _by_doc(gold_mentions)
    votes: dict[str, Counter] = defaultdict(Counter)
    for p in pred_mentions:
        cid = p.get("cluster_id", "")
        if not cid:
            continue
        hit = best_overlap(p, gold_by.get(p["source_id"], []))
        if hit is not None:
            votes[cid][hit["entity_id"]] += 1
    out = {}
    for cid, c in votes.items():
        best = min(c, key=lambda e: (-c[e], e))
        if cid.startswith("new:") or (best.startswith("new:") and best != cid):
            out[cid] = best
    return out


def _gold_claims(dev: DevSet) -> list[claims_eval.GoldClaim]:
    rows = [{**r, "claimant_id": "" if r.get("claimant_id") == ANONYMOUS else r.get("claimant_id", "")}
            for r in dev.claims]
    return claims_eval.locate(rows, dev.texts)


def score_claims(system: str, pred: list[dict], dev: DevSet, mapping: dict[str, str] | None = None
                 ) -> tuple[list[Score], dict[str, list[dict]]]:
    """Attributed statements found, and found with the right claimant (see the module docstring)."""
    mapping = mapping or {}
    gold = [g for g in _gold_claims(dev) if g.attribution != "author_voice"]
    attributed = [p for p in pred if p.get("attribution") != "author_voice"]
    found = right = 0
    wrong = []
    for g in gold:
        match = claims_eval.best_match(g, attributed)
        if match is None:
            wrong.append({"source_id": g.source_id, "quote": g.quote, "gold": ";".join(sorted(g.claimant_ids)),
                          "predicted": "(not found)", "claimant_text": ""})
            continue
        found += 1
        ids = [mapping.get(i, i) for i in claims_eval.ids_of(match.get("claimant_id", ""))]
        mapped = {**match, "claimant_id": ";".join(ids)}
        if claims_eval.right_claimant(g, mapped):
            right += 1
        else:
            wrong.append({"source_id": g.source_id, "quote": g.quote, "gold": ";".join(sorted(g.claimant_ids)),
                          "predicted": mapped["claimant_id"] or "(none)",
                          "claimant_text": match.get("claimant_text", "")})
    return [Score("attributed statements found", system, found, len(gold)),
            Score("claimant right", system, right, len(gold))], {"wrong_claimant": wrong}


@dataclass
class DevEvaluation:
    """Every score (one per system and metric) and the error lists of each system."""

    scores: list[Score]
    errors: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # system -> kind -> rows
    documents: int = 0

    def table(self) -> list[dict]:
        """One row per metric, ours and the peer side by side:
        ``metric, ours, ours_k, ours_n, peer, peer_value, peer_k, peer_n`` (value = k / n, 3 places)."""
        rows = []
        for metric in dict.fromkeys(s.metric for s in self.scores):
            ours = next(s for s in self.scores if s.metric == metric and s.system == "ours")
            peer = next((s for s in self.scores if s.metric == metric and s.system != "ours"), None)
            rows.append({
                "metric": metric, "ours": ours.value, "ours_k": ours.numerator, "ours_n": ours.denominator,
                "peer": peer.system if peer else "", "peer_value": peer.value if peer else float("nan"),
                "peer_k": peer.numerator if peer else 0, "peer_n": peer.denominator if peer else 0,
            })
        return rows


def evaluate_dev(folder: Path | None = None, nlp=None) -> DevEvaluation:
    """Run ours and the peers over the development set and score them all with the same functions.

    The set is parsed once: our stages and the spaCy NER peer read the same parse. textacy, the
    quotation peer, parses each whole article itself, as it is meant to be used."""
    from proxylens.nlp import load_nlp

    nlp = nlp or load_nlp()
    dev = load_dev(folder)
    ours, spacy_peer = run_ours(dev.folder)
    scores: list[Score] = []
    errors: dict[str, dict[str, list[dict]]] = {s: {} for s in SYSTEMS}
    for system, rows in (("ours", ours["mentions"]), ("spacy_ner", spacy_peer)):
        s, e = score_mentions(system, rows, dev.mentions)
        scores += s
        errors[system].update(e)
    for system, rows in (("ours", ours["timexes"]), ("dateparser", run_dateparser(dev))):
        s, e = score_timexes(system, rows, dev.timexes)
        scores += s
        errors[system].update(e)
    mapping = cluster_to_gold(ours["mentions"], dev.mentions)
    for system, rows, m in (("ours", ours["claims"], mapping), ("textacy", run_textacy(dev, nlp), None)):
        s, e = score_claims(system, rows, dev, m)
        scores += s
        errors[system].update(e)
    return DevEvaluation(scores, errors, len(dev.texts))


def score_table(ev: DevEvaluation):
    """The score table as a pandas DataFrame (see :meth:`DevEvaluation.table`)."""
    import pandas as pd

    return pd.DataFrame(ev.table())


# ---------------------------------------------------------------- values for the chapter's prose


def dev_sources():
    """The development set's manifest: one row per article (outlet, kind, date, topic words)."""
    import pandas as pd

    return pd.read_csv(dev_dir() / "sources.csv", dtype=str, keep_default_na=False)


def dev_overview(sources: pd.DataFrame) -> dict[str, int]:
    """Counts that describe the development set: articles, outlets, kinds of outlet, years spanned."""
    years = sources["published"].str[:4].astype(int)
    return {"articles": len(sources), "outlets": sources["outlet"].nunique(),
            "outlet_kinds": sources["outlet_kind"].nunique(), "first_year": int(years.min()),
            "last_year": int(years.max())}


def dev_glue_values(scores: pd.DataFrame) -> dict[str, float | int]:
    """Named values of the development-set scores for the chapter's prose: ``dev_<measure>`` (ours),
    ``dev_<measure>_peer``, ``dev_<measure>_k`` and ``dev_<measure>_n``."""
    out: dict[str, float | int] = {}
    for r in scores.itertuples(index=False):
        key = "dev_" + re.sub(r"[^a-z0-9]+", "_", r.metric.lower()).strip("_")
        out[key], out[key + "_peer"] = float(r.ours), float(r.peer_value)
        out[key + "_k"], out[key + "_n"] = int(r.ours_k), int(r.ours_n)
    out["dev_all_better"] = int(all(scores["ours"] > scores["peer_value"]))
    return out


def dev_peer_phrase(scores: pd.DataFrame) -> str:
    """Whether our extractor beats the plain peer on every measure, as a phrase for the prose."""
    losses = scores[scores["ours"] <= scores["peer_value"]]
    if losses.empty:
        return "better than each plain peer on every measure"
    return f"but not better than the plain peer on {len(losses)} measure(s): " + ", ".join(losses["metric"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxylens.evaluation.dev", description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=None, help="development set folder (default data/dev)")
    parser.add_argument("--errors", type=int, default=0, help="print the first N errors of each kind for ours")
    args = parser.parse_args(argv)
    ev = evaluate_dev(args.dev)
    print(f"development set: {ev.documents} documents")
    print(f"{'metric':36} {'ours':>6} {'count':>10}   {'peer':10} {'value':>6} {'count':>10}")
    for r in ev.table():
        ours, peer = f"{r['ours_k']}/{r['ours_n']}", f"{r['peer_k']}/{r['peer_n']}"
        print(f"{r['metric']:36} {r['ours']:6.3f} {ours:>11}   {r['peer']:10} {r['peer_value']:6.3f} {peer:>11}")
    if args.errors:
        for kind, rows in ev.errors["ours"].items():
            print(f"\n== ours: {kind} ({len(rows)})")
            for r in rows[:args.errors]:
                print("  " + " | ".join(f"{k}={v}" for k, v in r.items() if k not in ("note", "row")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
