"""Tables and HTML for the actors chapter (``notebooks/02_actors.ipynb``).

Each function shapes the data behind one table or figure of the chapter: the registry by kind,
the document × actor matrix of automatic mentions, the surface forms each source uses for an
actor, the unresolved names, and the scores of the automatic mentions against the gold.
:func:`highlight_mentions` renders a document with its mentions marked, escaping every piece of
source text, because a document may contain HTML or MyST syntax.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from proxylens.actors import alias_core, normalise
from proxylens.report import actor_cell, doc_label, source_label

# When a surface form matches aliases of several kinds, the most marked kind describes it:
# "Abu Mahdi al-Muhandis" is both the registry name and a kunya, and the kunya says more.
KIND_PRECEDENCE = ("misspelling", "translation", "epithet", "kunya", "acronym", "transliteration", "name")
# Kinds of surface form that say something about the source: its errors and its own labels.
MARKED_KINDS = ("epithet", "misspelling", "translation")
UNMATCHED_KIND = "other"

RESOLVED_STYLE = "background:#ffe58a;padding:0 1px;border-radius:2px"
UNRESOLVED_STYLE = "background:#e3e3e3;border-bottom:2px dashed #777;padding:0 1px"



# ---------------------------------------------------------------- the registry


def seed_actor_ids(gold: pd.DataFrame) -> list[str]:
    """Actors with at least one hand-coded mention in the seeds, sorted."""
    return sorted(a for a in gold["actor_id"].unique() if a)


def registry_by_kind(actors: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Registered actors by kind: how many are registered, how many the seeds name, how many they don't.

    Index: kind, sorted by registered count (descending) then name; a final row is not added.
    """
    in_seeds = set(seed_actor_ids(gold))
    rows = []
    for kind, group in actors.groupby("kind", sort=True):
        n_seed = int(group["actor_id"].isin(in_seeds).sum())
        rows.append({"kind": kind, "registered": len(group), "in_seeds": n_seed,
                     "wider_field": len(group) - n_seed})
    out = pd.DataFrame(rows, columns=["kind", "registered", "in_seeds", "wider_field"])
    out = out.sort_values(["registered", "kind"], ascending=[False, True], kind="stable")
    return out.set_index("kind")


def seed_actor_table(actors: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The actors the seeds name: name, kind, country, gold mentions, documents and description.

    Sorted by mentions (descending), then name; the long description comes last.
    """
    named = gold[gold["actor_id"] != ""]
    counts = named.groupby("actor_id").size()
    docs = named.groupby("actor_id")["source_id"].agg(lambda s: ", ".join(source_label(x) for x in sorted(set(s))))
    table = actors[actors["actor_id"].isin(counts.index)].copy()
    table["name"] = [actor_cell(a, n) for a, n in zip(table["actor_id"], table["name"])]
    table["mentions"] = table["actor_id"].map(counts).astype(int)
    table["documents"] = table["actor_id"].map(docs)
    table = table.sort_values(["mentions", "name"], ascending=[False, True], kind="stable")
    return table[["name", "kind", "country", "mentions", "documents", "description"]].reset_index(drop=True)


# ---------------------------------------------------------------- who appears where


def body_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Resolved mentions outside marked boilerplate (navigation, repeated lines, related links...)."""
    return mentions[(mentions["actor_id"] != "") & (mentions["boilerplate"] == "")]


def document_actor_matrix(mentions: pd.DataFrame, actors: pd.DataFrame, top: int = 30) -> pd.DataFrame:
    """Mention counts, one row per actor (its name) and one column per document.

    Only resolved mentions outside boilerplate count. The ``top`` actors by total are kept,
    ordered by total (descending), then by the number of documents naming them (descending),
    then by name, so ties always fall the same way.
    """
    body = body_mentions(mentions)
    docs = sorted(mentions["source_id"].unique())
    counts = pd.crosstab(body["actor_id"], body["source_id"]).reindex(columns=docs, fill_value=0)
    names = actors.set_index("actor_id")["name"]
    order = pd.DataFrame({
        "total": counts.sum(axis=1),
        "spread": (counts > 0).sum(axis=1),
        "name": [names.get(a, a) for a in counts.index],
    }, index=counts.index).sort_values(["total", "spread", "name"], ascending=[False, False, True], kind="stable")
    matrix = counts.loc[order.index[:top]]
    matrix.index = [names.get(a, a) for a in matrix.index]
    matrix.index.name = "actor"
    matrix.columns = [doc_label(c) for c in matrix.columns]
    return matrix.astype(int)


# ---------------------------------------------------------------- how sources name actors


def alias_lookup(actors: pd.DataFrame, aliases: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    """``{(actor_id, normalised form): (alias_kind, note)}`` for every registry name and alias.

    A form is normalised as the matcher normalises it (:func:`proxylens.actors.normalise`), and
    each alias also counts by its core, the words a mention spans ("the Mullah regime" ->
    "Mullah regime"). Where several aliases give the same key, :data:`KIND_PRECEDENCE` decides.
    """
    entries = [(r.actor_id, r.name, "name", "") for r in actors.itertuples()]
    entries += [(r.actor_id, r.alias, r.alias_kind, r.note) for r in aliases.itertuples()]
    names = frozenset(normalise(e[1]) for e in entries)
    rank = {k: i for i, k in enumerate(KIND_PRECEDENCE)}
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for actor_id, alias, kind, note in entries:
        core = " ".join(t.norm for t in alias_core(alias, names)[0])
        for key in sorted({normalise(alias), core} - {""}):
            old = out.get((actor_id, key))
            if old is None or rank.get(kind, len(rank)) < rank.get(old[0], len(rank)):
                out[(actor_id, key)] = (kind, note)
    return out


def form_kind(actor_id: str, text: str, lookup: dict) -> tuple[str, str]:
    """The (alias_kind, note) of a mention's surface text, or ("other", "") when no alias matches."""
    return lookup.get((actor_id, normalise(text)), (UNMATCHED_KIND, ""))


def loaded_lookup(loaded_terms: pd.DataFrame | None) -> dict[str, str]:
    """``{normalised term: category}`` from ``loaded_terms.csv`` (empty when none is given)."""
    if loaded_terms is None:
        return {}
    return {normalise(t): c for t, c in zip(loaded_terms["term"], loaded_terms["category"]) if normalise(t)}


def surface_forms(mentions: pd.DataFrame, actors: pd.DataFrame, aliases: pd.DataFrame,
                  loaded_terms: pd.DataFrame | None = None, min_forms: int = 2) -> pd.DataFrame:
    """Each surface form of each actor with at least ``min_forms`` distinct forms, counted per document.

    ``mentions`` is a mentions table (the book uses the hand-coded gold); forms are the exact
    texts. Columns: actor_id, actor (name), form, kind (alias kind), loaded (the category of
    ``loaded_terms.csv`` whose term is the same form after normalisation, else ""), one count
    column per document, total, note (the registry's note on the alias). Sorted by actor name,
    then total (descending), then form.
    """
    named = mentions[mentions["actor_id"] != ""]
    docs = sorted(mentions["source_id"].unique())
    lookup = alias_lookup(actors, aliases)
    loaded = loaded_lookup(loaded_terms)
    names = actors.set_index("actor_id")["name"]
    counts = pd.crosstab([named["actor_id"], named["text"]], named["source_id"]).reindex(columns=docs, fill_value=0)
    n_forms = counts.groupby(level=0).size()
    rows = []
    for (actor_id, form), row in counts.iterrows():
        if n_forms[actor_id] < min_forms:
            continue
        kind, note = form_kind(actor_id, form, lookup)
        rows.append({"actor_id": actor_id, "actor": names.get(actor_id, actor_id), "form": form, "kind": kind,
                     "loaded": loaded.get(normalise(form), ""),
                     **{doc_label(d): int(row[d]) for d in docs}, "total": int(row.sum()), "note": note})
    columns = ["actor_id", "actor", "form", "kind", "loaded", *[doc_label(d) for d in docs], "total", "note"]
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["actor", "total", "form"], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)


def marked_forms(forms: pd.DataFrame, kinds: Iterable[str] = MARKED_KINDS) -> pd.DataFrame:
    """The rows of :func:`surface_forms` whose kind is one of ``kinds`` (epithets, errors...) or
    that are loaded terms; sorted by kind (in the order of ``kinds``, loaded others last), actor, form."""
    kinds = tuple(kinds)
    out = forms[forms["kind"].isin(kinds) | (forms["loaded"] != "")].copy()
    out["_k"] = [kinds.index(k) if k in kinds else len(kinds) for k in out["kind"]]
    out = out.sort_values(["_k", "actor", "form"], kind="stable").drop(columns="_k")
    return out.reset_index(drop=True)


def kinds_by_document(mentions: pd.DataFrame, actors: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Mentions per document (rows) by the kind of form used (columns, in :data:`KIND_PRECEDENCE` order)."""
    named = mentions[mentions["actor_id"] != ""]
    lookup = alias_lookup(actors, aliases)
    kinds = [form_kind(a, t, lookup)[0] for a, t in zip(named["actor_id"], named["text"])]
    table = pd.crosstab(named["source_id"].map(doc_label).to_numpy(), pd.Series(kinds, dtype=str).to_numpy())
    order = [k for k in (*KIND_PRECEDENCE, UNMATCHED_KIND) if k in table.columns]
    table = table[order].astype(int)
    table.index.name, table.columns.name = "doc", "kind"
    return table


def forms_for(forms: pd.DataFrame, actor_id: str) -> pd.DataFrame:
    """The forms one actor goes by, per document (the rows of :func:`surface_forms` for it)."""
    return forms[forms["actor_id"] == actor_id].drop(columns=["actor_id", "actor"]).reset_index(drop=True)


def form_counts(forms: pd.DataFrame, actor_id: str) -> pd.DataFrame:
    """Mentions of one actor per document (rows) by surface form (columns, most used first)."""
    rows = forms_for(forms, actor_id)
    docs = [c for c in forms.columns if c not in ("actor_id", "actor", "form", "kind", "loaded", "total", "note")]
    table = rows.set_index("form")[docs].T.astype(int)
    table.index.name, table.columns.name = "doc", "form"
    return table


def group_naming(mentions: pd.DataFrame, actors: pd.DataFrame, labels: Iterable[str]) -> pd.DataFrame:
    """Per document: mentions of armed groups, how many distinct groups, and mentions of ``labels``.

    ``labels`` are actor ids of umbrella labels (such as the Baghdad Post's "IMIS") that stand for
    many groups at once. Index: document label; documents with no mention count zero.
    """
    labels = sorted(labels)
    kinds = actors.set_index("actor_id")["kind"]
    named = mentions[mentions["actor_id"] != ""]
    rows = []
    for sid in sorted(mentions["source_id"].unique()):
        doc = named[named["source_id"] == sid]
        groups = doc[doc["actor_id"].map(kinds) == "armed_group"]
        rows.append({"doc": doc_label(sid), "group_mentions": len(groups), "distinct_groups": groups["actor_id"].nunique(),
                     "umbrella_label_mentions": int(doc["actor_id"].isin(labels).sum())})
    return pd.DataFrame(rows).set_index("doc")


def mentions_in_context(mentions: pd.DataFrame, texts: dict[str, str], actor_id: str, width: int = 50) -> pd.DataFrame:
    """Every mention of ``actor_id`` with ``width`` characters either side, in document order."""
    from proxylens.corpus import in_context

    rows = []
    for r in mentions[mentions["actor_id"] == actor_id].sort_values(["source_id", "start"]).itertuples():
        left, mid, right = in_context(texts[r.source_id], int(r.start), int(r.end), width)
        rows.append({"doc": doc_label(r.source_id), "before": "…" + left, "mention": mid, "after": right + "…"})
    return pd.DataFrame(rows, columns=["doc", "before", "mention", "after"])


# ---------------------------------------------------------------- texts with mentions marked


def _mention_dicts(mentions) -> list[dict]:
    records = mentions.to_dict("records") if isinstance(mentions, pd.DataFrame) else list(mentions)
    out = []
    for m in records:
        # A DataFrame built from rows without actor_id holds NaN there: unresolved, like "".
        actor = m.get("actor_id", "")
        actor = "" if actor is None or pd.isna(actor) else str(actor)
        method = m.get("method", "")
        method = "" if method is None or pd.isna(method) else str(method)
        out.append({"start": int(m["start"]), "end": int(m["end"]), "actor_id": actor, "method": method})
    return sorted(out, key=lambda m: (m["start"], -m["end"]))


def highlight_mentions(text: str, mentions) -> str:
    """HTML of ``text`` with every mention wrapped in ``<mark title="actor_id">``.

    ``mentions`` is a DataFrame or a list of dicts with ``start``, ``end`` (offsets into
    ``text``) and ``actor_id`` (empty for an unresolved mention, which is styled differently
    and titled "unresolved"). Every piece of ``text``, inside a mark or not, and every title
    is passed through :func:`html.escape`. Mentions outside the text, empty, or overlapping an
    earlier one are skipped. Line breaks are kept (``white-space: pre-wrap``).

    >>> out = highlight_mentions("<b>Iran</b>", [{"start": 3, "end": 7, "actor_id": "iran"}])
    >>> out.split(">", 1)[1].replace(RESOLVED_STYLE, "...")
    '&lt;b&gt;<mark title="iran" style="...">Iran</mark>&lt;/b&gt;</div>'
    """
    parts = ['<div class="proxylens-text" style="white-space:pre-wrap;line-height:1.6">']
    pos = 0
    for m in _mention_dicts(mentions):
        start, end = m["start"], m["end"]
        if start < pos or end <= start or end > len(text):
            continue
        parts.append(html.escape(text[pos:start]))
        if m["actor_id"]:
            title, style = m["actor_id"], RESOLVED_STYLE
        else:
            title = "unresolved" + (f" ({m['method']})" if m["method"] else "")
            style = UNRESOLVED_STYLE
        cls = "" if m["actor_id"] else ' class="unresolved"'
        parts.append(f'<mark{cls} title="{html.escape(title)}" style="{style}">{html.escape(text[start:end])}</mark>')
        pos = end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)


def collapsed(summary: str, body_html: str) -> str:
    """A ``<details>`` element: ``summary`` (escaped) shown, ``body_html`` (already HTML) folded away."""
    return f"<details><summary>{html.escape(summary)}</summary>{body_html}</details>"


def legend() -> str:
    """A one-line HTML key to the two mark styles."""
    return (f'<p><mark style="{RESOLVED_STYLE}">resolved</mark> mention of a registry actor (hover for its id) · '
            f'<mark class="unresolved" style="{UNRESOLVED_STYLE}">unresolved</mark> name found by NER</p>')


# ---------------------------------------------------------------- unresolved names


def unresolved_names(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions with an empty actor_id grouped by text: count, methods, documents, fuzzy proposal.

    Sorted by count (descending), then text.
    """
    un = mentions[mentions["actor_id"] == ""]
    rows = []
    for text, group in un.groupby("text", sort=True):
        proposals = sorted({f"{c} ({s})" for c, s in zip(group["candidate_id"], group["candidate_score"]) if c})
        rows.append({
            "text": text, "mentions": len(group),
            "method": ", ".join(sorted(group["method"].unique())),
            "documents": ", ".join(source_label(s) for s in sorted(set(group["source_id"]))),
            "proposal": "; ".join(proposals),
        })
    out = pd.DataFrame(rows, columns=["text", "mentions", "method", "documents", "proposal"])
    return out.sort_values(["mentions", "text"], ascending=[False, True], kind="stable").reset_index(drop=True)


def fuzzy_proposals(texts: Iterable[str]) -> pd.DataFrame:
    """What the fuzzy matcher would propose for each text (actor ids and score), never a resolution."""
    from proxylens.actors import default_gazetteer

    gaz = default_gazetteer()
    rows = []
    for text in texts:
        cand, score = gaz.propose(text)
        rows.append({"text": text, "proposal": cand, "score": score})
    return pd.DataFrame(rows, columns=["text", "proposal", "score"])
