"""Actor profiles and the explorers' data: the generator on a tiny registry, the committed pages
and files proven current, every row a profile shows resolving to a row of the tables, every quote exact."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from proxylens import explore, profiles
from proxylens.corpus import quote_span
from proxylens.network import graph_as_of, relations_graph
from proxylens.paths import repo_root

# ---------------------------------------------------------------- a tiny registry

TEXT = ("The Brigades of the Dawn, led by Abu Test, said <script>alert(1)</script> nothing. "
        "Statelandia backs the Brigades of the Dawn, an official said. "
        "Abu Test said the **Dawn** group would fight on.")


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).fillna("").astype(str)


@pytest.fixture
def tiny() -> profiles.Tables:
    actors = frame([
        {"actor_id": "dawn", "name": "Brigades of the Dawn", "kind": "armed_group", "country": "XX",
         "description": "A test group.", "reference_url": "https://example.org/dawn"},
        {"actor_id": "abu-test", "name": "Abu Test", "kind": "person", "country": "XX", "description": "A test leader.",
         "reference_url": ""},
        {"actor_id": "statelandia", "name": "Statelandia", "kind": "state", "country": "ST", "description": "A state.",
         "reference_url": ""},
        {"actor_id": "umbrella", "name": "Umbrella", "kind": "label", "country": "", "description": "A label.",
         "reference_url": ""},
        {"actor_id": "bystander", "name": "Bystander", "kind": "person", "country": "", "description": "Once named.",
         "reference_url": ""},
    ])
    aliases = frame([
        {"actor_id": "dawn", "alias": "Brigades of the Dawn", "alias_kind": "name", "note": "registry name"},
        {"actor_id": "dawn", "alias": "Dawn", "alias_kind": "epithet", "note": "short form"},
        {"actor_id": "dawn", "alias": "Kataib al-Fajr", "alias_kind": "transliteration", "note": "wider use"},
    ])
    relations = frame([
        {"relation_id": "r1", "subject_id": "abu-test", "relation": "leads", "object_id": "dawn", "start": "2018",
         "end": "", "source_id": "doc", "quote": "led by Abu Test", "status": "reported", "reference": ""},
        {"relation_id": "r2", "subject_id": "statelandia", "relation": "backs", "object_id": "dawn", "start": "",
         "end": "", "source_id": "doc", "quote": "Statelandia backs the Brigades of the Dawn",
         "status": "corroborated", "reference": "Ministry, A report, 2019-01-02, https://example.org/report"},
        {"relation_id": "r3", "subject_id": "umbrella", "relation": "backs", "object_id": "dawn", "start": "",
         "end": "", "source_id": "", "quote": "", "status": "reported", "reference": "A book, 2020"},
        {"relation_id": "r4", "subject_id": "umbrella", "relation": "opposes", "object_id": "statelandia",
         "start": "", "end": "", "source_id": "", "quote": "", "status": "reported", "reference": "A book, 2020"},
    ])
    designations = frame([
        {"designation_id": "d1", "authority_id": "statelandia", "target_id": "abu-test", "programme": "List A",
         "listing_date": "2019-04-08", "effective_date": "2019-04-15", "precision": "day", "status": "verified",
         "source_id": "", "quote": "", "reference": "Gazette, 2019-04-08, https://example.org/gazette",
         "note": "Revoked 2020-01-01."},
    ])
    events = frame([
        {"event_id": "e1", "date": "2018-07", "precision": "month", "date_basis": "external", "date_text": "",
         "event_type": "attack", "summary": "The Dawn attacks.", "actor_ids": "dawn;abu-test", "source_id": "doc",
         "quote": "would fight on", "reference": ""},
    ])
    claims = frame([
        {"claim_id": "c1", "source_id": "doc", "quote": "the **Dawn** group would fight on", "claimant_id": "abu-test",
         "claimant_text": "Abu Test", "verdict": "unverified", "verdict_note": "No other report."},
        {"claim_id": "c2", "source_id": "doc", "quote": "nothing", "claimant_id": "bystander",
         "claimant_text": "Bystander", "verdict": "contested", "verdict_note": "Disputed."},
    ])
    start = TEXT.index("Brigades of the Dawn")
    dawn2 = TEXT.index("Dawn**")
    mentions = pd.DataFrame([
        {"source_id": "doc", "start": start, "end": start + 20, "text": "Brigades of the Dawn", "actor_id": "dawn"},
        {"source_id": "doc", "start": dawn2, "end": dawn2 + 4, "text": "Dawn", "actor_id": "dawn"},
        {"source_id": "doc", "start": TEXT.index("Abu Test"), "end": TEXT.index("Abu Test") + 8, "text": "Abu Test",
         "actor_id": "abu-test"},
    ])
    sources = frame([{"source_id": "doc", "outlet": "Test Outlet", "published": "2019-05"}])
    return profiles.Tables(actors=actors, aliases=aliases, relations=relations, designations=designations,
                           events=events, claims=claims, mentions=mentions, sources=sources, texts={"doc": TEXT})


def test_who_gets_a_profile(tiny):
    # dawn: armed group; statelandia: two relations and a designation; abu-test: a designation;
    # umbrella is a label (two relations, no profile); bystander is in no relation.
    assert profiles.profiled_actor_ids(tiny) == ["abu-test", "dawn", "statelandia"]


def test_a_tiny_profile_has_every_section(tiny, tmp_path):
    paths = profiles.write_profiles(tmp_path, tiny)
    assert sorted(p.name for p in paths) == ["abu-test.md", "dawn.md", "index.md", "statelandia.md"]
    page = (tmp_path / "dawn.md").read_text(encoding="utf-8")
    for heading in ("# Brigades of the Dawn", "## Overview", "## What each source calls it",
                    "## Leaders, members, backers and opponents", "### Leaders, commanders and founders",
                    "### Backers and allies", "## Designations", "## Dated events", "## Claims made by or about it",
                    "## Related profiles"):
        assert f"\n{heading}\n" in page, heading
    # Names by document with their alias kind; registry names no document uses, as text.
    assert "<td>document doc (Test Outlet, 2019)</td><td>Dawn</td><td>epithet</td><td>1</td>" in page
    assert "<td>Kataib al-Fajr</td><td>transliteration</td>" in page
    # Relations with quote, reference link, status and dates; the label's relation is shown by name, unlinked.
    assert '<a href="abu-test.html">Abu Test</a> <em>leads</em> <strong>Brigades of the Dawn</strong>' in page
    assert "<q class=\"pl-quote\">led by Abu Test</q>" in page and "from 2018" in page
    assert '<a href="https://example.org/report" rel="noopener">https://example.org/report</a>' in page
    assert "Umbrella <em>backs</em>" in page
    # The claim about the group (a mention inside its quote), with its verdict; markup in it escaped.
    assert "the \\*\\*Dawn\\*\\*" not in page and "the **Dawn** group would fight on" in page
    assert "<strong>Holds up:</strong> unverified (No other report.)" in page
    assert "- [Abu Test](abu-test.md) (person)" in page and "- [Statelandia](statelandia.md) (state)" in page
    leader = (tmp_path / "abu-test.md").read_text(encoding="utf-8")
    assert "Revoked 2020-01-01." in leader and "8 April 2019" in leader and "15 April 2019" in leader
    assert "<td>by</td>" in leader  # Abu Test makes claim c1; the quote does not name him


def test_source_text_is_escaped(tiny, tmp_path):
    tiny.relations.loc[0, "quote"] = "said <script>alert(1)</script> nothing"
    profiles.write_profiles(tmp_path, tiny)
    page = (tmp_path / "dawn.md").read_text(encoding="utf-8")
    assert "<script>" not in page and "said &lt;script&gt;alert(1)&lt;/script&gt; nothing" in page
    assert profiles.md_text("[x](http://e.com) {glue:}`y` $m$") == (
        r"\[x\]\(http\:\/\/e\.com\) \{glue\:\}\`y\` \$m\$")


def test_pages_are_deterministic_and_stale_pages_go(tiny, tmp_path):
    (tmp_path / "gone.md").write_text("old", encoding="utf-8")
    first = {p.name: p.read_bytes() for p in profiles.write_profiles(tmp_path, tiny)}
    second = {p.name: p.read_bytes() for p in profiles.write_profiles(tmp_path, tiny)}
    assert first == second and not (tmp_path / "gone.md").exists()


def test_a_bad_quote_names_the_claim_and_writes_nothing(tiny, tmp_path):
    tiny.claims.loc[1, "quote"] = "words the document does not contain"
    with pytest.raises(ValueError, match="claims.csv: claim c2: quote not found"):
        profiles.write_profiles(tmp_path, tiny)
    assert not list(tmp_path.iterdir())


def test_verdicts_read_old_and_new_columns():
    old = pd.DataFrame({"verdict": ["contested"], "verdict_note": ["why"]})
    assert profiles.claim_verdicts(old).iloc[0].to_dict() == {
        "attribution_verdict": "", "attribution_note": "", "content_verdict": "contested", "content_note": "why"}
    new = pd.DataFrame({"attribution_verdict": ["corroborated"], "attribution_note": ["said"],
                        "content_verdict": ["contradicted"], "content_note": ["false"]})
    assert profiles.claim_verdicts(new).iloc[0].to_dict() == {
        "attribution_verdict": "corroborated", "attribution_note": "said", "content_verdict": "contradicted",
        "content_note": "false"}


def test_profile_href():
    assert profiles.profile_href("kataib-hezbollah") == "../book/profiles/kataib-hezbollah.html"
    assert profiles.profile_href("kataib-hezbollah", from_dir="book/explore") == "../profiles/kataib-hezbollah.html"
    assert profiles.profile_href("kataib-hezbollah", from_dir="") == "book/profiles/kataib-hezbollah.html"
    assert profiles.profile_href("not-an-actor") is None


# ---------------------------------------------------------------- the book's own pages


@pytest.fixture(scope="module")
def book_tables() -> profiles.Tables:
    return profiles.load_tables()


def test_committed_profiles_are_current(book_tables):
    """``make data`` wrote the pages from the tables as they are now (else: run ``make data``)."""
    folder = repo_root() / profiles.PROFILES_DIR
    expected = profiles.render_pages(book_tables)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert sorted(on_disk) == sorted(expected), "profile pages added or missing: run `make data`"
    stale = [name for name in expected if on_disk[name] != expected[name]]
    assert not stale, f"stale profile pages (run `make data`): {stale[:5]}"


def test_committed_explorer_files_are_current(book_tables):
    root = repo_root()
    for rel, text in explore.render_assets(book_tables).items():
        assert (root / rel).read_text(encoding="utf-8") == text, f"{rel} is stale: run `make data`"
    for name, digest in explore.VIS_FILES.items():
        assert explore.sha256(root / explore.STATIC_DIR / name) == digest
        assert explore.sha256(explore.vis_source_dir() / name) == digest


def test_every_profile_row_resolves_and_every_quote_is_exact(book_tables):
    t = book_tables
    ids = profiles.profiled_actor_ids(t)
    assert len(ids) >= 50
    relation_ids, designation_ids = set(t.relations["relation_id"]), set(t.designations["designation_id"])
    claim_ids, event_ids = set(t.claims["claim_id"]), set(t.events["event_id"])
    quoted = 0
    for actor_id in ids:
        rows = [*profiles.relation_rows(actor_id, t), *profiles.designation_rows(actor_id, t),
                *profiles.event_rows(actor_id, t), *profiles.claim_rows(actor_id, t)]
        for row in profiles.relation_rows(actor_id, t):
            assert row["relation_id"] in relation_ids and actor_id in (row["subject_id"], row["object_id"])
        for row in profiles.designation_rows(actor_id, t):
            assert row["designation_id"] in designation_ids
        for row in profiles.event_rows(actor_id, t):
            assert row["event_id"] in event_ids and actor_id in row["actor_ids"].split(";")
        for row in profiles.claim_rows(actor_id, t):
            assert row["claim_id"] in claim_ids
        for row in rows:
            if row.get("quote"):
                quote_span(t.texts[row["source_id"]], row["quote"])  # raises unless exact and unique
                quoted += 1
    assert quoted > 100


def test_every_link_between_profiles_resolves():
    folder = repo_root() / profiles.PROFILES_DIR
    names = {p.stem for p in folder.glob("*.md")}
    for page in folder.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        targets = set(re.findall(r'href="([a-z0-9-]+)\.html"', text)) | set(re.findall(r"\]\(([a-z0-9-]+)\.md\)", text))
        assert targets <= names, f"{page.name}: links to missing profiles {sorted(targets - names)}"


def test_search_finds_a_profile_by_a_common_spelling():
    page = (repo_root() / profiles.PROFILES_DIR / "kataib-hezbollah.md").read_text(encoding="utf-8")
    for spelling in ("Kataib Hezbollah", "Kata'ib Hizballah", "Hezbollah Brigades"):
        assert spelling in page


# ---------------------------------------------------------------- explorer data


def test_network_edges_are_the_relations_with_their_evidence(book_tables):
    t = book_tables
    data = explore.network_data(t)
    rows = {r["relation_id"]: r for r in t.rows("relations")}
    assert [e["id"] for e in data["edges"]] == sorted(rows)
    for e in data["edges"]:
        r = rows[e["id"]]
        assert (e["from"], e["relation"], e["to"], e["quote"], e["reference"], e["status"]) == (
            r["subject_id"], r["relation"], r["object_id"], r["quote"], r["reference"], r["status"])
    profiled = set(profiles.profiled_actor_ids(t))
    for n in data["nodes"]:
        assert n["profile"] == (f"{n['id']}.html" if n["id"] in profiled else "")


@pytest.mark.parametrize("year", [2003, 2014, 2017, 2019, 2020, 2024])
def test_the_as_of_fields_agree_with_graph_as_of(book_tables, year):
    """The page keeps an edge when its earliest start day <= 31 December and its end (if any) >= 1 January:
    the same edges as :func:`proxylens.network.graph_as_of` (mode ``possible``, undated left out)."""
    data = explore.network_data(book_tables)
    page = {e["id"] for e in data["edges"] if e["earliest"] and e["earliest"] <= f"{year}-12-31"
            and (not e["latest_end"] or e["latest_end"] >= f"{year}-01-01")}
    G = relations_graph(book_tables.relations, book_tables.actors)
    assert page == {k for _, _, k in graph_as_of(G, str(year)).edges(keys=True)}


def test_timeline_events_keep_their_precision(book_tables):
    data = explore.timeline_data(book_tables.events, book_tables.sources)
    dated = book_tables.events[book_tables.events["date"] != ""]
    assert len(data["events"]) == len(dated) and data["n_undated"] == len(book_tables.events) - len(dated)
    for e in data["events"]:
        assert (e["kind"] == "point") == (e["earliest"] == e["latest"] and e["kind"] != "open")
        if e["precision"] in ("month", "year"):
            assert e["kind"] == "bar"
    earliest = [e["earliest"] for e in data["events"]]
    assert earliest == sorted(earliest)


def test_explorer_files_are_deterministic(tmp_path, book_tables):
    first = {p.name: p.read_bytes() for p in explore.write_explorer_assets(tmp_path, book_tables)}
    second = {p.name: p.read_bytes() for p in explore.write_explorer_assets(tmp_path, book_tables)}
    assert first == second
    assert (tmp_path / explore.STATIC_DIR / explore.VIS_LICENSE).read_text(encoding="utf-8").count("MIT") >= 2


@pytest.mark.slow
def test_layout_does_not_depend_on_string_hashing():
    """Two interpreters with different hash seeds place every node at the same point."""
    code = ("import json; from proxylens import explore; "
            "print(json.dumps([(n['id'], n['x'], n['y']) for n in explore.network_data()['nodes']]))")
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert outs[0] == outs[1] and len(outs[0]) > 100


def test_hostile_text_renders_as_text_through_myst(tiny, tmp_path):
    """Every snippet of the hostile fixture, as a quote, an alias, a name and a description, comes out
    of MyST's Markdown parser as literal text: no element, no handler, no role or math from the text."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser
    from test_hostile_text import SNIPPETS, assert_safe

    hostile = " ".join(SNIPPETS)
    tiny.texts["doc"] = TEXT + " " + hostile
    tiny.relations.loc[0, "quote"] = hostile
    tiny.actors.loc[0, ["name", "description"]] = ["Dawn " + SNIPPETS[3], hostile]
    tiny.aliases.loc[2, "alias"] = SNIPPETS[2]
    tiny.designations.loc[0, "note"] = hostile
    profiles.write_profiles(tmp_path, tiny)
    md = create_md_parser(MdParserConfig(enable_extensions={"dollarmath", "colon_fence", "deflist"}), RendererHTML)
    allowed = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "a", "q", "span", "br", "em",
               "strong", "ul", "li", "code", "link"}
    for page in ("dawn.md", "abu-test.md", "index.md"):
        rendered = md.render((tmp_path / page).read_text(encoding="utf-8"))
        expected = SNIPPETS if page == "dawn.md" else [SNIPPETS[3]]
        assert rendered.count("<div") == 1 and '<div class="myst-target"' in rendered  # the page's (label)=
        assert_safe(rendered.replace('<div class="myst-target"', "<p", 1), allowed, expected, page)
        assert 'class="math' not in rendered and 'class="myst role"' not in rendered


def test_no_placeholders_in_generated_pages():
    root = repo_root()
    words = ("TO" + "DO", "TK" + "TK", "FIX" + "ME", "XX" + "X", "lorem " + "ipsum")
    pages = [*(root / "book" / "profiles").glob("*.md"), *(root / "book" / "explore").glob("*.md")]
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not [w for w in words if w in text], path.name
