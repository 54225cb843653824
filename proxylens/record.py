"""Checks on the record behind the curated tables: who published each reference and what kind of
document it is, whether a claim's corroboration rests only on its own publisher, how the two claim
verdicts combine, and what a rewritten seed changed in the text it was taken from.

References are free text (``'Issuer, Title, YYYY[-MM[-DD]], URL'``, several joined with ``' | '``);
this module finds their URLs and classifies each by its host with ``data/curated/publishers.csv``
(``host, publisher, kind, note``), or, for a URL whose host publishes several kinds of page (a mirror
of other outlets' articles, a blog reposting a think tank), by ``data/curated/reference_overrides.csv``
(``url, publisher, kind, note``), which wins over the host row.

Kinds (:data:`KINDS`): ``primary`` (a government release, court filing, Federal Register notice, the
speaker's own statement, on the issuer's own site), ``secondary`` (a wire, newspaper, broadcaster or
think-tank report), ``tertiary`` (an encyclopaedia, an aggregator, or a mirror or repost of another
publisher's page, whatever the kind of the original). ``publisher`` names whose text the page carries:
for a repost or mirror it is the original publisher, so that a repost of the Long War Journal still
counts as the Long War Journal when corroboration is weighed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from proxylens.paths import curated_dir, repo_root

KINDS = ("primary", "secondary", "tertiary")
# The lookup tables themselves hold URLs and hosts, not references.
LOOKUP_TABLES = ("publishers", "reference_overrides")
ATTRIBUTION_VERDICTS = ("confirmed", "author's own", "unverified", "misattributed", "distorted")
CONTENT_VERDICTS = ("corroborated", "contested", "unverified", "contradicted")
_URL = re.compile(r"https?://[^\s|\"'<>]+")
_TRAILING = ".,;:"


class UnclassifiedURL(KeyError):
    """A URL whose host is in neither publishers.csv nor reference_overrides.csv."""


def urls_in(text: str) -> list[str]:
    """The URLs in a cell of free text, in order, without trailing punctuation.

    A closing parenthesis ends a URL only when the URL has no matching opening one, so a
    Wikipedia title such as ``Badr_Organization_(militia)`` survives.

    >>> urls_in("Reuters, T, 2009-07-02, https://www.reuters.com/a | CNN, U, 2017, http://cnn.com/b.")
    ['https://www.reuters.com/a', 'http://cnn.com/b']
    >>> urls_in("(see https://en.wikipedia.org/wiki/X_(y))")
    ['https://en.wikipedia.org/wiki/X_(y)']
    """
    out = []
    for m in _URL.finditer(text or ""):
        url = m.group(0)
        while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
            url = url[:-1]
        out.append(url)
    return out


def host_of(url: str) -> str:
    """The URL's host, lowercased, without a leading ``www.``.

    >>> host_of("https://WWW.Reuters.com/article/x")
    'reuters.com'
    """
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _indexed(path: Path, key: str) -> pd.DataFrame:
    """A lookup table as text, indexed by ``key``; a repeated key is an error naming the file and row."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    repeated = df[df[key].duplicated()]
    if len(repeated):
        i = repeated.index[0]
        raise ValueError(f"{path.name} row {i + 2}: {key} {df.loc[i, key]!r} is listed twice")
    return df.set_index(key)


def load_publishers(path: Path | None = None) -> pd.DataFrame:
    """``publishers.csv`` as text, indexed by host."""
    return _indexed(path or curated_dir() / "publishers.csv", "host")


def load_overrides(path: Path | None = None) -> pd.DataFrame:
    """``reference_overrides.csv`` as text, indexed by URL."""
    return _indexed(path or curated_dir() / "reference_overrides.csv", "url")


def classify_url(url: str, publishers: pd.DataFrame | None = None,
                 overrides: pd.DataFrame | None = None) -> tuple[str, str]:
    """``(publisher, kind)`` of a reference URL.

    An exact row of ``overrides`` wins; otherwise the host's row of ``publishers``, trying the
    host and then each parent domain (``gandhara.rferl.org``, then ``rferl.org``). Raises
    :class:`UnclassifiedURL` when neither table knows it.

    >>> pubs = pd.DataFrame([{"host": "rferl.org", "publisher": "RFE/RL", "kind": "secondary", "note": ""}]).set_index("host")
    >>> over = pd.DataFrame([{"url": "https://rferl.org/m", "publisher": "X", "kind": "tertiary", "note": ""}]).set_index("url")
    >>> classify_url("https://gandhara.rferl.org/a", pubs, over), classify_url("https://rferl.org/m", pubs, over)
    (('RFE/RL', 'secondary'), ('X', 'tertiary'))
    """
    publishers = load_publishers() if publishers is None else publishers
    overrides = load_overrides() if overrides is None else overrides
    if url in overrides.index:
        row = overrides.loc[url]
        return row["publisher"], row["kind"]
    labels = host_of(url).split(".")
    for i in range(len(labels) - 1):
        host = ".".join(labels[i:])
        if host in publishers.index:
            row = publishers.loc[host]
            return row["publisher"], row["kind"]
    raise UnclassifiedURL(f"no publisher for {url!r} (host {host_of(url)!r}): add it to publishers.csv")


def _quote_column(name: str) -> bool:
    """Columns that quote a seed or another text: a URL inside the quoted words is not a reference."""
    return name == "quote" or name.endswith("_quote") or name == "original_excerpt"


def reference_urls(root: Path | None = None) -> pd.DataFrame:
    """Every URL in the curated tables and the seed manifest, one row per occurrence.

    Scans every text column of ``data/curated/*.csv`` (except the lookup tables
    :data:`LOOKUP_TABLES`) and ``seeds/sources.csv``, leaving out the columns that quote a seed (``quote``, ``*_quote``) or another text (``original_excerpt``).
    Columns: ``table`` (file name without ``.csv``), ``row`` (1-based data row), ``row_id``
    (the first column's value), ``column``, ``url``.
    """
    root = root or repo_root()
    files = [p for p in sorted((root / "data" / "curated").glob("*.csv")) if p.stem not in LOOKUP_TABLES]
    files.append(root / "seeds" / "sources.csv")
    rows = []
    for path in files:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        first = df.columns[0]
        for i, rec in enumerate(df.to_dict("records"), start=1):
            for col, value in rec.items():
                if _quote_column(col):
                    continue
                for url in urls_in(value):
                    rows.append({"table": path.stem, "row": i, "row_id": rec[first], "column": col, "url": url})
    return pd.DataFrame(rows, columns=["table", "row", "row_id", "column", "url"])


def classify_references(refs: pd.DataFrame, publishers: pd.DataFrame | None = None,
                        overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """``refs`` (as from :func:`reference_urls`) with ``publisher`` and ``kind`` columns added.

    Unknown URLs get ``""`` in both (use :func:`unclassified` to list them).
    """
    publishers = load_publishers() if publishers is None else publishers
    overrides = load_overrides() if overrides is None else overrides
    out = refs.copy()
    classified = []
    for url in out["url"]:
        try:
            classified.append(classify_url(url, publishers, overrides))
        except UnclassifiedURL:
            classified.append(("", ""))
    out["publisher"] = [p for p, _ in classified]
    out["kind"] = [k for _, k in classified]
    return out


def unclassified(classified: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`classify_references` output that have no kind or no publisher."""
    return classified[(classified["kind"] == "") | (classified["publisher"] == "")]


def references_by_kind(classified: pd.DataFrame, distinct: bool = True) -> pd.DataFrame:
    """Counts of references by table and kind (columns :data:`KINDS` plus ``total``).

    With ``distinct=True`` (the default) a URL cited several times in one table counts once
    there; the last row, ``all tables``, counts each distinct URL once overall.
    """
    df = classified.drop_duplicates(["table", "url"]) if distinct else classified
    tab = pd.crosstab(df["table"], df["kind"]).reindex(columns=list(KINDS), fill_value=0)
    overall = (classified.drop_duplicates("url") if distinct else classified)["kind"].value_counts()
    tab.loc["all tables"] = [int(overall.get(k, 0)) for k in KINDS]
    tab["total"] = tab[list(KINDS)].sum(axis=1)
    tab.index.name = "table"
    return tab.astype(int)


def top_publishers(classified: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` publishers cited by most distinct URLs: ``publisher, kind, urls`` (ties by name)."""
    df = classified.drop_duplicates("url")
    counts = df.groupby(["publisher", "kind"]).size().rename("urls").reset_index()
    return counts.sort_values(["urls", "publisher"], ascending=[False, True], kind="stable").head(n).reset_index(drop=True)


# ---------------------------------------------------------------- claims


def seed_publishers(sources: pd.DataFrame, publishers: pd.DataFrame | None = None,
                    overrides: pd.DataFrame | None = None) -> dict[str, str]:
    """``{source_id: publisher}`` for the seeds, classifying each seed's own ``url``."""
    return {r["source_id"]: classify_url(r["url"], publishers, overrides)[0] for r in sources.to_dict("records")}


def self_corroborated(rows: pd.DataFrame, sources: pd.DataFrame, publishers: pd.DataFrame | None = None,
                      overrides: pd.DataFrame | None = None, column: str = "content_verdict",
                      value: str = "corroborated") -> pd.DataFrame:
    """Rows rated corroborated whose references all come from their own seed's publisher.

    Works on claims (``column="content_verdict"``, the default) and on relations
    (``column="status"``). A row whose ``column`` is ``value`` is listed when every URL of its
    ``reference`` is published by the publisher of its ``source_id`` (a repost counts as its
    original publisher), or when it cites no URL at all (nothing independent supports it). Rows
    without a seed are skipped. Returns the offending rows with a ``reference_publishers`` column.
    """
    own = seed_publishers(sources, publishers, overrides)
    bad = []
    for rec in rows[rows[column] == value].to_dict("records"):
        if not rec.get("source_id"):
            continue
        pubs = {classify_url(u, publishers, overrides)[0] for u in urls_in(rec["reference"])}
        if not pubs or pubs <= {own.get(rec["source_id"])}:
            bad.append({**rec, "reference_publishers": "; ".join(sorted(pubs))})
    return pd.DataFrame(bad, columns=[*rows.columns, "reference_publishers"])


def verdict_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict: ``verdict_type`` (attribution, content), ``verdict``, ``claims``, in vocabulary order."""
    rows = [{"verdict_type": "attribution", "verdict": v, "claims": int((claims["attribution_verdict"] == v).sum())}
            for v in ATTRIBUTION_VERDICTS]
    rows += [{"verdict_type": "content", "verdict": v, "claims": int((claims["content_verdict"] == v).sum())}
             for v in CONTENT_VERDICTS]
    return pd.DataFrame(rows)


def verdict_crosstab(claims: pd.DataFrame) -> pd.DataFrame:
    """Attribution verdict (rows) by content verdict (columns), every vocabulary value shown, with totals.

    >>> c = pd.DataFrame({"attribution_verdict": ["confirmed", "author's own"],
    ...                   "content_verdict": ["contradicted", "corroborated"]})
    >>> int(verdict_crosstab(c).loc["confirmed", "contradicted"]), int(verdict_crosstab(c).loc["total", "total"])
    (1, 2)
    """
    tab = pd.crosstab(pd.Categorical(claims["attribution_verdict"], categories=ATTRIBUTION_VERDICTS),
                      pd.Categorical(claims["content_verdict"], categories=CONTENT_VERDICTS), dropna=False)
    tab.index, tab.columns = list(ATTRIBUTION_VERDICTS), list(CONTENT_VERDICTS)
    tab["total"] = tab.sum(axis=1)
    tab.loc["total"] = tab.sum(axis=0)
    tab.index.name, tab.columns.name = "attribution_verdict", "content_verdict"
    return tab.astype(int)


# What a divergence between the two verdicts means, for the claims chapter.
DIVERGENCES = {
    "said, but false": (("confirmed",), ("contradicted",)),
    "said, but disputed": (("confirmed",), ("contested",)),
    "misattributed or distorted, but true": (("misattributed", "distorted"), ("corroborated",)),
    "misattributed or distorted, and disputed or false": (("misattributed", "distorted"), ("contested", "contradicted")),
}


def verdict_divergences(claims: pd.DataFrame) -> pd.DataFrame:
    """Attributed claims whose two verdicts point different ways (see :data:`DIVERGENCES`).

    Returns ``divergence, claim_id, source_id, claimant_id, attribution_verdict, content_verdict, quote``,
    in the order of :data:`DIVERGENCES`, then by ``claim_id``.
    """
    cols = ["divergence", "claim_id", "source_id", "claimant_id", "attribution_verdict", "content_verdict", "quote"]
    rows = []
    for name, (attr, content) in DIVERGENCES.items():
        hit = claims[claims["attribution_verdict"].isin(attr) & claims["content_verdict"].isin(content)]
        for rec in hit.sort_values("claim_id", kind="stable").to_dict("records"):
            rows.append({"divergence": name, **{c: rec[c] for c in cols[1:]}})
    return pd.DataFrame(rows, columns=cols)


def divergence_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """How many claims fall in each divergence of :data:`DIVERGENCES` (zeros shown)."""
    found = verdict_divergences(claims)["divergence"].value_counts()
    return pd.DataFrame([{"divergence": k, "claims": int(found.get(k, 0))} for k in DIVERGENCES])


# ---------------------------------------------------------------- text reuse


def text_reuse_summary(reuse: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``text_reuse.csv`` per ``change`` type (``change, rows``), most frequent first."""
    counts = reuse["change"].value_counts()
    df = pd.DataFrame({"change": counts.index, "rows": counts.values.astype(int)})
    return df.sort_values(["rows", "change"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- labels and loaded language


def label_membership(label_members: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The groups each umbrella label covers, with names: ``label, group, group_kind, basis, quote``.

    Sorted by label, then group name.
    """
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    kinds = dict(zip(actors["actor_id"], actors["kind"], strict=True))
    rows = [{"label": names.get(r["label_id"], r["label_id"]), "group": names.get(r["actor_id"], r["actor_id"]),
             "group_kind": kinds.get(r["actor_id"], ""), "basis": r["basis"], "quote": r["quote"]}
            for r in label_members.to_dict("records")]
    df = pd.DataFrame(rows, columns=["label", "group", "group_kind", "basis", "quote"])
    return df.sort_values(["label", "group"], kind="stable").reset_index(drop=True)


def terms_by_register(terms: pd.DataFrame) -> pd.DataFrame:
    """Loaded terms per register (``pejorative``, ``contested_standard``): ``register, terms, examples``.

    ``examples`` lists up to five terms of the register, in table order.

    >>> t = pd.DataFrame({"term": ["puppet", "militia", "cleanse"], "register": ["pejorative", "contested_standard", "pejorative"]})
    >>> terms_by_register(t)["terms"].tolist()
    [2, 1]
    """
    rows = []
    for reg in ("pejorative", "contested_standard"):
        hit = terms[terms["register"] == reg]["term"].tolist()
        rows.append({"register": reg, "terms": len(hit), "examples": ", ".join(hit[:5])})
    return pd.DataFrame(rows)
