"""The built book's visible text has no templating artefacts.

For every page the table of contents names, the text a reader sees in the article (not the
navigation, not code) is checked for what broken generated prose leaves behind:

* ``nan``/``NaN`` and ``None`` where a value should be (a sentence that starts "None of ..." is
  English and passes);
* roles and substitutions Markdown did not render: ``{term}`FTO```, ``{{ value }}``, ``{name}``,
  stray backticks;
* the same word twice in a row ("the the"), and a chapter's full title (the long "Topic: what it
  asks" form) pasted into the middle of a sentence;
* internal ids where names belong: seed ids (``000_03e243f846fa81a4``), claim, event, relation
  and narrative ids and hyphenated actor slugs (``irgc-qods-force``), taken from the curated tables.

Exceptions, kept narrow: code (``pre``, ``code``, code cells) is not prose; URLs are addresses,
not prose; the data dictionary's tables document the id columns and show ids on purpose, so ids
in its table cells pass (its prose is still checked). The page-level test reads ``_build/html``,
so it carries the ``browser`` mark (run after the book is built, with the browser tests: ``pytest
-m browser tests/test_built_text.py``) and skips (fails in CI) without a build; the unit tests on
small HTML strings below run with the unit tests and show that every check fails on a planted
artefact.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString
from test_browser import in_ci  # one rule for skip-or-fail in CI

from proxylens.paths import repo_root

DATA_DICTIONARY = "notebooks/99_data_dictionary"
# Elements whose text is not prose: code, maths, the "¶" anchors, hidden scripts.
NOT_PROSE = ("script", "style", "pre", "code", "kbd", "samp", "svg", "math", "img", "a.headerlink",
             "div.cell_input", "div.highlight", "span.math", "div.math", "mjx-container")
BLOCKS = ("p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
          "div", "section", "table", "tr", "blockquote", "summary", "details", "ul", "ol", "dl")
BLOCK_BREAK = "\x00"
URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+")
NAN = re.compile(r"\b(?:nan|NaN|NAN)\b")
NONE = re.compile(r"\bNone\b")
# "None" opening a sentence and followed by a lowercase word ("None of the claims ...", "None:
# this page ...") is English; a sentence opens at the start of a block or after these characters.
SENTENCE_OPENERS = ".!?:;(—–-“\"'"
NONE_AS_WORD = re.compile(r":?\s+[a-z]")
ROLE = re.compile(r"\{[a-z][a-z:-]*\}`")
SUBSTITUTION = re.compile(r"\{\{|\}\}")
FORMAT_FIELD = re.compile(r"\{[A-Za-z_]\w*\}")
BACKTICK = re.compile(r"`")
DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)
# English does double these ("that that", "had had", "the rest rest on"); templating rarely does.
DOUBLED_ALLOWED = {"that", "had", "rest"}
SEED_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")


def toc_pages() -> list[str]:
    toc = yaml.safe_load((repo_root() / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([toc])
    return [re.sub(r"\.(md|ipynb)$", "", p) for p in pages]


@functools.cache
def curated_ids() -> frozenset[str]:
    """Ids a reader should never see in prose: those with a '-', '_' or digit (plain words such as
    'hezbollah' are names as well as ids, and pass)."""
    ids = set()
    for table, column in (("actors", "actor_id"), ("claims", "claim_id"), ("events", "event_id"),
                          ("relations", "relation_id"), ("narratives", "narrative_id")):
        with open(repo_root() / "data" / "curated" / f"{table}.csv", encoding="utf-8", newline="") as f:
            ids.update(row[column] for row in csv.DictReader(f))
    return frozenset(i for i in ids if re.search(r"[-_0-9]", i))


def visible_blocks(html: str) -> list[tuple[str, bool]]:
    """The article's text, one entry per block, as ``(text, in_table)``; code and maths removed."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body or soup
    for selector in NOT_PROSE:
        for element in article.select(selector):
            element.decompose()
    for element in article.find_all(BLOCKS):
        # Mark block boundaries so that adjacent cells or paragraphs never run together (a
        # newline will not do: HTML text keeps the source's line breaks inside a paragraph).
        element.insert_before(NavigableString(BLOCK_BREAK))
        element.append(NavigableString(BLOCK_BREAK))
    out, line, table_flag = [], "", False
    for string in article.find_all(string=True):
        in_table = string.find_parent(["td", "th"]) is not None
        for i, part in enumerate(str(string).split(BLOCK_BREAK)):
            if i > 0:
                out.append((line, table_flag))
                line, table_flag = "", False
            line += part
            table_flag = table_flag or (in_table and bool(part.strip()))
    out.append((line, table_flag))
    return [(" ".join(t.split()), flag) for t, flag in out if t.strip()]


def artefacts(text: str, titles: tuple[str, ...] = (), ids_allowed: bool = False) -> list[str]:
    """What is wrong with one block of visible text (empty when nothing is)."""
    text = URL.sub("<url>", text)
    found = []
    found += [f"'{m.group()}' value" for m in NAN.finditer(text)]
    for m in NONE.finditer(text):
        before = text[:m.start()].rstrip()
        opens_sentence = not before or before[-1] in SENTENCE_OPENERS
        if not (opens_sentence and NONE_AS_WORD.match(text, m.end())):
            found.append("'None' value")
    found += [f"unrendered role '{m.group()}'" for m in ROLE.finditer(text)]
    found += ["unrendered substitution '{{ }}'" for _ in SUBSTITUTION.finditer(text)][:1]
    found += [f"unfilled field '{m.group()}'" for m in FORMAT_FIELD.finditer(text)]
    if not ROLE.search(text):
        found += ["stray backtick (unrendered Markdown)" for _ in BACKTICK.finditer(text)][:1]
    found += [f"doubled word '{m.group()}'" for m in DOUBLED.finditer(text)
              if m.group(1).lower() not in DOUBLED_ALLOWED and not m.group(1).isupper()]
    for title in titles:
        for m in re.finditer(re.escape(title), text):
            before, after = text[:m.start()].rstrip(), text[m.end():]
            opens = not before or re.search(r"(^\d+\.|[.!?:—–])$", before)
            if not opens or re.match(r"\s+[a-z]", after):
                found.append(f"chapter title pasted mid-sentence: '{title}'")
    if not ids_allowed:
        found += [f"internal id '{m.group()}'" for m in SEED_ID.finditer(text)]
        for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]", text):
            if token in curated_ids():
                found.append(f"internal id '{token}'")
    return found


def page_problems(html: str, page: str, titles: tuple[str, ...]) -> list[str]:
    problems = []
    for text, in_table in visible_blocks(html):
        ids_allowed = page == DATA_DICTIONARY and in_table
        for problem in artefacts(text, titles, ids_allowed=ids_allowed):
            context = text if len(text) <= 160 else text[:157] + "..."
            problems.append(f"{problem}: {context}")
    return problems


# ---------------------------------------------------------------- the checks themselves


def article(body: str) -> str:
    return f"<html><body><nav>nan None</nav><article class='bd-article'>{body}</article></body></html>"


def problems_in(body: str, page: str = "book/x", titles=()) -> list[str]:
    return page_problems(article(body), page, tuple(titles))


def test_planted_nan_fails():
    assert problems_in("<p>The test suite took 41 s.</p>") == []
    assert problems_in("<p>the test suite nan s</p>") == ["'nan' value: the test suite nan s"]
    assert problems_in("<table><tr><td>Iraq</td><td>NaN</td></tr></table>") == ["'NaN' value: NaN"]


def test_none_as_a_value_fails_none_as_a_word_passes():
    assert problems_in("<p>None of the 61 claims is contradicted. Of the rest, none is.</p>") == []
    assert problems_in("<table><tr><td>None</td></tr></table>") == ["'None' value: None"]
    assert problems_in("<p>Its hedges: None.</p>") == ["'None' value: Its hedges: None."]
    assert problems_in("<p>None: this is a reference page.</p>") == []
    assert problems_in("<p>It found None where a name was.</p>") != []


def test_unrendered_markup_fails():
    assert problems_in("<p>See {term}`FTO` here.</p>")[0].startswith("unrendered role '{term}`'")
    assert problems_in("<p>It names {{ count }} actors.</p>")[0].startswith("unrendered substitution")
    assert problems_in("<p>It names {count} actors.</p>")[0].startswith("unfilled field '{count}'")
    assert problems_in("<p>Run `make book`.</p>")[0].startswith("stray backtick")


def test_code_and_urls_are_not_prose():
    assert problems_in("<pre>x = None  # nan {name}</pre><p>Run <code>f(None)</code>.</p>") == []
    assert problems_in("<p>At <a href='#'>https://example.org/irgc-qods-force/nan</a>.</p>") == []


def test_doubled_word_fails_but_not_across_cells():
    assert problems_in("<p>It is the the source.</p>") == ["doubled word 'the the': It is the the source."]
    assert problems_in("<table><tr><td>Iraq</td><td>Iraq</td></tr></table>") == []
    assert problems_in("<p>He said that that was false.</p>") == []


def test_chapter_title_mid_sentence_fails():
    title = "Claims: who claims what, and how it holds up"
    assert problems_in(f"<p>see {title} for the rest</p>", titles=[title]) == [
        f"chapter title pasted mid-sentence: '{title}': see {title} for the rest"]
    assert problems_in(f"<ol><li>{title} — each claim graded.</li></ol>", titles=[title]) == []
    assert problems_in(f"<p>Next: {title}.</p>", titles=[title]) == []


def test_internal_ids_fail_in_prose_but_not_in_the_data_dictionary_tables():
    assert problems_in("<p>Backed by irgc-qods-force since 2007.</p>") == [
        "internal id 'irgc-qods-force': Backed by irgc-qods-force since 2007."]
    assert problems_in("<p>Claim c003-13 is graded.</p>") == ["internal id 'c003-13': Claim c003-13 is graded."]
    assert problems_in("<p>Document 000_03e243f846fa81a4 says so.</p>")[0].startswith(
        "internal id '000_03e243f846fa81a4'")
    table = "<table><tr><td>irgc-qods-force</td></tr></table>"
    assert problems_in(table, page=DATA_DICTIONARY) == []
    assert problems_in(table) != []
    assert problems_in("<p>Backed by irgc-qods-force.</p>", page=DATA_DICTIONARY) != []


# ---------------------------------------------------------------- the built book


@pytest.fixture(scope="module")
def book_dir() -> Path:
    folder = Path(os.environ.get("PROXYLENS_BOOK_HTML") or repo_root() / "_build" / "html")
    if not (folder / "index.html").is_file():
        message = "the book is not built (no _build/html/index.html): run `make book` first"
        if in_ci():
            pytest.fail(message + " (CI=true: not skipping)")
        pytest.skip(message)
    return folder


@pytest.fixture(scope="module")
def chapter_titles(book_dir) -> tuple[str, ...]:
    """The long titles ("Topic: what it asks") of the TOC pages, as the build renders them."""
    titles = []
    for page in toc_pages():
        path = book_dir / f"{page}.html"
        if path.is_file():
            heading = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
            if heading:
                for anchor in heading.select("a.headerlink"):
                    anchor.decompose()
                title = " ".join(heading.get_text(" ").split())
                if ":" in title:
                    titles.append(title)
    return tuple(titles)


@pytest.mark.browser
@pytest.mark.parametrize("page", toc_pages())
def test_built_page_text_has_no_artefacts(page, book_dir, chapter_titles):
    path = book_dir / f"{page}.html"
    if not path.is_file():
        pytest.fail(f"{page}.html is not in the build (run `make book`)")
    problems = page_problems(path.read_text(encoding="utf-8"), page, chapter_titles)
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)
