"""Source text is data, never markup: a news text quoting HTML, Markdown and MyST renders as text everywhere.

``tests/fixtures/hostile/hostile.txt`` is a plausible news text that quotes ``<script>``, ``<img
onerror>``, ``<b>``, Markdown and MyST syntax next to real actor names. It goes through ``proxylens
extract`` like any document, then through every way the book shows source text: the tables as
pandas HTML, the mention highlighter, quotes and mentions in context, keyword-in-context tables,
and a tiny Jupyter Book built from a notebook that stores such a table. Each rendering must
contain no element and no event handler that came from the text, and must show the quoted
snippets as literal text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from proxylens.cli import main as proxylens_main
from proxylens.paths import repo_root

FIXTURE = repo_root() / "tests" / "fixtures" / "hostile"
SOURCE_ID = "hostile"
# What the text quotes; each must reach the reader as these exact characters.
SNIPPETS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>Kata'ib Hezbollah</b>",
    "**Kata'ib Hezbollah**", "{glue:}`x`", "```{code-cell} python", "$math$", "[link](http://example.com)",
    "| table | Kata'ib Hezbollah | IRGC |",
]
PANDAS_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "div", "style"}
ALL_TABLES = ["documents.csv", "units.csv", "sentences.csv", "boilerplate.csv", "mentions.csv", "timexes.csv",
              "unit_bounds.csv", "claims.csv"]


class Rendered(HTMLParser):
    """An HTML fragment parsed into its start tags, their attributes and its visible text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self._hidden = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script") and self._hidden > 0

    def handle_data(self, data):
        if not self._hidden:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def assert_safe(markup: str, allowed: set[str], expected: list[str], what: str) -> Rendered:
    """No tag outside ``allowed``, no ``on*`` handler or script URL; every ``expected`` snippet as text."""
    page = Rendered(markup)
    assert set(page.tags) <= allowed, f"{what}: elements from the text: {sorted(set(page.tags) - allowed)}"
    handlers = [(n, v) for n, v in page.attrs if n.startswith("on") or "javascript:" in v.lower()]
    assert not handlers, f"{what}: event handlers or script URLs from the text: {handlers}"
    # Newlines in table cells may be shown as spaces; compare with white space folded.
    shown = " ".join(page.text.split())
    missing = [s for s in expected if " ".join(s.split()) not in shown]
    assert not missing, f"{what}: snippets not shown as text: {missing}"
    return page


def snippets_in(values) -> list[str]:
    """The snippets that occur whole in any of ``values``: those a rendering of them must show."""
    text = "\n".join(str(v) for v in values)
    return [s for s in SNIPPETS if s in text]


# ---------------------------------------------------------------- extraction


@pytest.fixture(scope="module")
def text() -> str:
    return (FIXTURE / "hostile.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every table ``proxylens extract`` writes for the hostile folder, read back as strings."""
    out = tmp_path_factory.mktemp("hostile_out")
    assert proxylens_main(["extract", str(FIXTURE), "--out", str(out), "--quiet"]) == 0
    return {name: pd.read_csv(out / name, dtype=str, keep_default_na=False) for name in ALL_TABLES}


def test_fixture_quotes_every_snippet_once(text):
    assert [text.count(s) for s in SNIPPETS] == [1] * len(SNIPPETS)


def test_the_corpus_accepts_it_as_text(tables):
    documents = tables["documents.csv"]
    assert list(documents["source_id"]) == [SOURCE_ID]
    assert documents.loc[0, "doc_kind"] == "article"


def test_actors_are_found_in_and_around_the_markup(tables, text):
    mentions = tables["mentions.csv"]
    assert {"qassem-soleimani", "irgc", "kataib-hezbollah"} <= set(mentions["actor_id"])
    starts = {int(s) for s in mentions.loc[mentions["actor_id"] == "kataib-hezbollah", "start"]}
    inside_b = text.index("<b>Kata'ib Hezbollah</b>") + len("<b>")
    inside_stars = text.index("**Kata'ib Hezbollah**") + len("**")
    assert {inside_b, inside_stars} <= starts
    for row in mentions.itertuples():
        assert text[int(row.start):int(row.end)] == row.text


def test_sentences_keep_the_snippets_as_stored(tables, text):
    sentences = tables["sentences.csv"]
    for row in sentences.itertuples():
        assert text[int(row.start):int(row.end)] == row.text
    assert set(SNIPPETS[:4]) <= set(snippets_in(sentences["text"]))


# ---------------------------------------------------------------- renderings


@pytest.mark.parametrize("name", ALL_TABLES)
def test_table_html_shows_text_not_markup(tables, name):
    """``to_html`` and the notebook's ``_repr_html_`` (full width, and with pandas' default truncation)."""
    df = tables[name]
    expected = snippets_in(df.to_numpy().ravel())
    assert_safe(df.to_html(), PANDAS_TAGS, expected, f"{name} to_html")
    full_width = ("display.max_colwidth", None, "display.max_rows", None, "display.max_columns", None)
    with pd.option_context(*full_width):
        assert_safe(df._repr_html_(), PANDAS_TAGS, expected, f"{name} _repr_html_ (full)")
    assert_safe(df._repr_html_(), PANDAS_TAGS, [], f"{name} _repr_html_ (truncated)")


def test_the_check_catches_markup_that_was_not_escaped(tables):
    sentences = tables["sentences.csv"]
    with pytest.raises(AssertionError, match="elements from the text"):
        assert_safe(sentences.to_html(escape=False), PANDAS_TAGS, SNIPPETS[:4], "unescaped")
    bold = sentences[sentences["text"].str.contains("<b>", regex=False)]
    with pytest.raises(AssertionError, match="not shown as text"):
        assert_safe(bold.to_html(escape=False), PANDAS_TAGS | {"b"}, [SNIPPETS[2]], "unescaped")


def test_the_tables_that_carry_text_show_every_snippet(tables):
    units = snippets_in(tables["units.csv"]["text"])
    assert units == SNIPPETS


def test_highlighted_mentions(tables, text):
    actors = pytest.importorskip("proxylens.report.actors")
    if not hasattr(actors, "highlight_mentions"):
        pytest.skip("proxylens.report.actors.highlight_mentions does not exist yet")
    for mentions in (tables["mentions.csv"], tables["mentions.csv"].to_dict("records")):
        page = assert_safe(actors.highlight_mentions(text, mentions), {"div", "mark"}, SNIPPETS, "highlight")
        assert page.tags.count("mark") == len(tables["mentions.csv"])
        assert page.text == text, "the highlighter must show the whole text, character for character"


def test_quotes_in_context(tables, text):
    from proxylens.report import quotes_in_context

    claims = tables["claims.csv"]
    quotes = pd.DataFrame({"source_id": SOURCE_ID,
                           "quote": [q for q in claims["text"] if text.count(q) == 1]})
    assert len(quotes) >= 5
    shown = quotes_in_context(quotes, {SOURCE_ID: text}, width=60)
    expected = snippets_in(shown["quote"])
    assert "<b>Kata'ib Hezbollah</b>" in expected and "<script>alert(1)</script>" in expected
    assert_safe(shown.to_html(), PANDAS_TAGS, expected, "quotes_in_context")


def test_mentions_and_keywords_in_context(tables, text):
    actors = pytest.importorskip("proxylens.report.actors")
    claims = pytest.importorskip("proxylens.report.claims")
    mentions = tables["mentions.csv"].astype({"start": int, "end": int})
    kh = actors.mentions_in_context(mentions, {SOURCE_ID: text}, "kataib-hezbollah", width=40)
    assert_safe(kh.to_html(), PANDAS_TAGS, snippets_in(kh.to_numpy().ravel()), "mentions_in_context")
    hits = mentions.assign(doc="hostile", category="actor")
    kwic = claims.keyword_in_context(hits, {SOURCE_ID: text}, width=40)
    page = assert_safe(claims.kwic_html(kwic), PANDAS_TAGS | {"b"}, [], "kwic_html")
    # The only <b> elements are the table's own, one per keyword.
    assert page.tags.count("b") == len(kwic)


# ---------------------------------------------------------------- through MyST-NB into the book


@pytest.mark.slow
def test_a_built_book_page_shows_text_not_markup(tables, tmp_path):
    """A notebook whose stored output is the sentences table, built by Jupyter Book without executing."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    if not jupyter_book.exists():
        pytest.skip("jupyter-book is not installed next to this Python")
    sentences = tables["sentences.csv"][["sentence_id", "text"]]
    with pd.option_context("display.max_colwidth", None, "display.max_rows", None):
        output = {"text/html": sentences._repr_html_(), "text/plain": sentences.to_string()}
    nb = {"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "cells": [
              {"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Hostile text\n"},
              {"cell_type": "code", "id": "table", "metadata": {}, "execution_count": 1,
               "source": "sentences",
               "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                            "data": output}]},
          ]}
    (tmp_path / "page.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    config = "title: Hostile\nexecute:\n  execute_notebooks: 'off'\n"
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    result = subprocess.run([str(jupyter_book), "build", str(tmp_path), "--quiet"], check=False,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = (tmp_path / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    # The page's own content: from the notebook's section to its end, before the theme's scripts.
    start = html.index('<section class="tex2jax_ignore mathjax_ignore" id="hostile-text">')
    body = html[start:html.index("</article>", start)]
    body = body[:body.rindex("</section>") + len("</section>")]
    assert_safe(body, PANDAS_TAGS | {"section", "h1", "a", "span", "pre", "details", "summary", "p"},
                snippets_in(sentences["text"]), "built page")
    shutil.rmtree(tmp_path / "_build", ignore_errors=True)
