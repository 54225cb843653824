"""The book's local Sphinx extensions (book/_ext): site links, the citation page, the downloads."""

from __future__ import annotations

import io
import json
import sys
import zipfile

import pytest
import yaml

from proxylens.paths import repo_root

sys.path.insert(0, str(repo_root() / "book" / "_ext"))

import book_facts
import citation_cff
import data_downloads
import itables_shared
import site_links

# ---------------------------------------------------------------- site_links


def test_no_repository_no_links():
    assert site_links.site_links({}) is None
    assert site_links.site_links({"GITHUB_REPOSITORY": "  "}) is None


def test_project_repository_is_served_under_its_name():
    links = site_links.site_links({"GITHUB_REPOSITORY": "Some-Org/proxy-lens"})
    assert links.repository_url == "https://github.com/Some-Org/proxy-lens"
    # Pages host names are lowercase; the path keeps the repository's own spelling.
    assert links.base_url == "https://some-org.github.io/proxy-lens/"


def test_user_site_repository_is_served_at_the_root():
    links = site_links.site_links({"GITHUB_REPOSITORY": "someone/someone.github.io"})
    assert links.base_url == "https://someone.github.io/"


@pytest.mark.parametrize("bad", ["proxy-lens", "a/b/c", "https://github.com/a/b", "a b/c"])
def test_malformed_repository_stops_the_build(bad):
    with pytest.raises(ValueError, match="owner/name"):
        site_links.site_links({"GITHUB_REPOSITORY": bad})


# ---------------------------------------------------------------- citation_cff

CFF = repo_root() / "CITATION.cff"


def test_cite_page_uses_the_directive_not_a_copy():
    """The page renders CITATION.cff at build time; a hand copy of the title could drift."""
    page = (repo_root() / "book" / "cite.md").read_text(encoding="utf-8")
    title = yaml.safe_load(CFF.read_text(encoding="utf-8"))["title"]
    assert "```{citation-cff}" in page
    assert title not in page and "@software" not in page


def test_citation_carries_every_field_of_the_cff():
    data = citation_cff.load_citation(CFF)
    text = citation_cff.plain_text(data)
    bib = citation_cff.bibtex(data)
    for value in (data["title"], str(data["version"]), str(data["date-released"])[:4]):
        assert value in text and value in bib
    for author in data["authors"]:
        assert author["name"] in text and "{" + author["name"] + "}" in bib
    assert "url" not in bib and "http" not in text  # no address the file does not give


def test_citation_follows_a_change_to_the_cff(tmp_path):
    data = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    data.update(title="Another title", version="9.9.9", authors=[
        {"given-names": "Ada", "family-names": "Lovelace"}, {"name": "A Lab"}])
    changed = tmp_path / "CITATION.cff"
    changed.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = citation_cff.load_citation(changed)
    assert citation_cff.plain_text(loaded, "https://github.com/o/r") == (
        "Ada Lovelace, & A Lab (2026). Another title (Version 9.9.9) [Computer software]. https://github.com/o/r")
    bib = citation_cff.bibtex(loaded, "https://github.com/o/r")
    assert "author = {Lovelace, Ada and {A Lab}}" in bib and "url = {https://github.com/o/r}" in bib
    assert bib.startswith("@software{anothertitle2026,")


def test_citation_without_a_title_names_the_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text("cff-version: 1.2.0\nauthors: [{name: X}]\ndate-released: 2026-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"CITATION.cff: 'title' is missing"):
        citation_cff.load_citation(broken)


# ---------------------------------------------------------------- data_downloads


@pytest.fixture(scope="module")
def descriptor():
    return data_downloads.load_descriptor(repo_root())


def test_zip_is_deterministic(descriptor):
    assert data_downloads.build_zip(repo_root(), descriptor) == data_downloads.build_zip(repo_root(), descriptor)


def test_zip_holds_the_repository_files_byte_for_byte(descriptor):
    archive = zipfile.ZipFile(io.BytesIO(data_downloads.build_zip(repo_root(), descriptor)))
    folder = "proxy-lens-data-" + descriptor["version"]
    names = archive.namelist()
    assert names == sorted(names)
    wanted = {r["path"] for r in descriptor["resources"]} | {"data/datapackage.json", "LICENSE-DATA.md"}
    assert {n.removeprefix(folder + "/") for n in names} == wanted
    for name in names:
        assert archive.read(name) == (repo_root() / name.removeprefix(folder + "/")).read_bytes(), name
        assert archive.getinfo(name).date_time == data_downloads.ZIP_TIMESTAMP


def test_zip_offers_every_csv_graphml_and_the_timeline(descriptor):
    files = data_downloads.package_files(repo_root(), descriptor)
    on_disk = {p.relative_to(repo_root()).as_posix() for folder in ("data", "seeds")
               for p in (repo_root() / folder).rglob("*.csv")}
    assert on_disk <= set(files)
    assert {"data/derived/relations.graphml", "data/derived/cooccurrence.graphml",
            "data/derived/timeline.json"} <= set(files)


def test_unpacked_zip_is_a_valid_data_package(descriptor, tmp_path):
    from proxylens.datapackage import validate

    zipfile.ZipFile(io.BytesIO(data_downloads.build_zip(repo_root(), descriptor))).extractall(tmp_path)
    folder = tmp_path / ("proxy-lens-data-" + descriptor["version"])
    report = validate(root=folder)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_missing_resource_is_named(descriptor, tmp_path):
    broken = json.loads(json.dumps(descriptor))
    broken["resources"][0]["path"] = "data/curated/no_such.csv"
    with pytest.raises(FileNotFoundError, match="no_such.csv"):
        data_downloads.package_files(repo_root(), broken)


# ---------------------------------------------------------------- book_facts and the bibliography



def test_book_facts_count_the_data():
    facts = book_facts.book_facts(repo_root())
    assert facts["seed_documents"] == len(list((repo_root() / "seeds").glob("*.txt")))
    assert facts["unseen_texts"] == sum(facts[f"unseen_{s}_texts"] for s in book_facts.UNSEEN_STAGES)
    assert 0 < facts["us_designations"] <= facts["designations"]


def test_book_facts_follow_the_data(tmp_path):
    for folder in ("seeds", "data/curated", *(f"data/unseen/{s}" for s in book_facts.UNSEEN_STAGES)):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "seeds" / "a.txt").write_text("one two three", encoding="utf-8")
    for stage in book_facts.UNSEEN_STAGES:
        (tmp_path / f"data/unseen/{stage}/t.txt").write_text("x", encoding="utf-8")
        (tmp_path / f"data/unseen/{stage}/{stage}_gold.csv").write_text("a\n1\n2\n", encoding="utf-8")
    (tmp_path / "data/curated/actors.csv").write_text("actor_id,country\nus-x,US\nbh,BH\n", encoding="utf-8")
    (tmp_path / "data/curated/designations.csv").write_text("authority_id\nus-x\nbh\nus-x\n", encoding="utf-8")
    facts = book_facts.book_facts(tmp_path)
    assert facts["seed_words"] == 3 and facts["unseen_texts"] == 3 and facts["unseen_claims_gold_rows"] == 2
    assert (facts["designations"], facts["us_designations"], facts["designation_authorities"]) == (3, 2, 2)


def test_bibliography_lists_what_the_book_cites():
    """Not ':all:': an entry nobody cites stays out of the bibliography page."""
    page = (repo_root() / "book" / "bibliography.md").read_text(encoding="utf-8")
    assert "```{bibliography}" in page and ":all:" not in page


# ---------------------------------------------------------------- a small build, with and without a repository

CONF = """
import sys
sys.path.insert(0, {ext!r})
project = "Probe"
extensions = ["site_links", "sphinxext.opengraph"]
ogp_social_cards = {{"enable": False}}
html_theme = "basic"
"""


def build_probe(tmp_path, monkeypatch, repository):
    from sphinx.cmd.build import build_main

    if repository:
        monkeypatch.setenv("GITHUB_REPOSITORY", repository)
    else:
        monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(ext=str(repo_root() / "book" / "_ext")), encoding="utf-8")
    (src / "index.rst").write_text("Probe\n=====\n\nA page about nothing in particular.\n", encoding="utf-8")
    code = build_main(["-W", "-q", "-b", "html", str(src), str(out)])
    assert code == 0, "the probe build warned or failed"
    return out


@pytest.mark.slow
def test_local_build_has_no_repository_link_and_no_sitemap(tmp_path, monkeypatch):
    out = build_probe(tmp_path, monkeypatch, None)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "sitemap.xml").exists()
    assert 'rel="canonical"' not in page and "github" not in page
    assert '<meta property="og:title" content="Probe" />' in page


@pytest.mark.slow
def test_actions_build_has_base_url_sitemap_and_opengraph(tmp_path, monkeypatch):
    out = build_probe(tmp_path, monkeypatch, "Some-Org/proxy-lens")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://some-org.github.io/proxy-lens/index.html" />' in page
    assert '<meta property="og:url" content="https://some-org.github.io/proxy-lens/index.html" />' in page
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://some-org.github.io/proxy-lens/index.html</loc>" in sitemap
    assert "search.html" not in sitemap and "genindex.html" not in sitemap


def test_first_sentence_is_not_cut_at_an_abbreviation():
    text = "Listings by a government (FTO, SDGT under E.O. 13224). More text."
    assert data_downloads.first_sentence(text) == "Listings by a government (FTO, SDGT under E.O. 13224)."
    assert data_downloads.first_sentence("No full stop") == "No full stop"


def test_short_names_are_unique_within_each_group(descriptor):
    for group in data_downloads.GROUPS:
        names = [data_downloads.short_name(r["path"], group) for r in descriptor["resources"]
                 if r.get("x_group") == group]
        assert len(names) == len(set(names)), group


# ---------------------------------------------------------------- itables_shared


def test_the_inline_table_library_becomes_a_reference_to_the_shared_copy():
    from proxylens import report

    version = itables_shared.itables_version()
    setup = report.interactive_tables_setup().data
    shared = itables_shared.shared_setup(setup, "../_static/itables-" + version, version)
    assert "injectModule(" not in shared and len(shared) < 2_000 < len(setup) // 100
    assert f'src="../_static/itables-{version}/dt_bundle_source.js"' in shared
    assert f'href="../_static/itables-{version}/dt_bundle.css"' in shared
    # the same promise and event the tables wait for
    name = "_itables_" + version.replace(".", "_")
    assert f"window.{name} = import(url)" in shared and f'"itables-{version}-ready"' in shared


def test_other_html_is_left_alone_and_another_version_is_refused():
    import pandas as pd

    from proxylens import report

    version = itables_shared.itables_version()
    assert itables_shared.shared_setup("<p>injectModule( is only text here</p>", "_static/x", version) is None
    table = report.interactive_html(pd.DataFrame({"a": range(30)}), "tbl-x")
    assert itables_shared.shared_setup(table, "_static/x", version) is None
    old = report.interactive_tables_setup().data.replace(version.replace(".", "_"), "1_0_0").replace(
        f"itables-{version}-ready", "itables-1.0.0-ready")
    with pytest.raises(ValueError, match="itables 1.0.0.*make refresh"):
        itables_shared.shared_setup(old, "_static/x", version)


def test_the_shared_copy_is_the_installed_library(tmp_path):
    from pathlib import Path

    import itables

    folder = itables_shared.write_shared_copy(tmp_path)
    bundle = Path(itables.__file__).parent / "html" / "dt_bundle.js"
    assert folder == tmp_path / "_static" / f"itables-{itables.__version__}"
    assert (folder / "dt_bundle.css").read_bytes() == bundle.with_suffix(".css").read_bytes()
    source = (folder / "dt_bundle_source.js").read_text(encoding="utf-8")
    prefix = f"window.{itables_shared.SOURCE_GLOBAL} = "
    assert source.startswith(prefix) and source.endswith(";\n")
    assert json.loads(source[len(prefix):-2]) == bundle.read_text(encoding="utf-8")
    assert itables_shared.write_shared_copy(tmp_path) == folder and (folder / "dt_bundle_source.js").read_text(
        encoding="utf-8") == source  # the same bytes every build
