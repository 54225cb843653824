"""The profiles and the two explorers in a real browser, over the built book, offline.

Uses the fixtures of ``tests/test_browser.py`` (a local server for ``_build/html``, headless
Chromium, a guard that aborts and records every request to another host). Clicks are real mouse
clicks at the screen position of an edge or a node, found through vis-network's own coordinates.
Run after ``make book``; a missing build or browser skips outside CI and fails in CI.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from test_browser import base_url, book_dir, browser, browser_context, tab, visit  # noqa: F401  (fixtures)

from proxylens import explore, profiles

pytestmark = pytest.mark.browser

NETWORK = "book/explore/network.html"
TIMELINE = "book/explore/timeline.html"
PROFILE = "kataib-hezbollah"


def clean(seen) -> None:
    assert not seen.external, f"requests left localhost: {seen.external}"
    assert not seen.console_errors, f"console errors: {seen.console_errors}"
    assert not seen.failed, f"failed requests: {seen.failed}"


@pytest.fixture(scope="module")
def network_data():
    return explore.network_data()


def test_a_profile_page_renders_its_sections(base_url, visit):  # noqa: F811
    seen = visit(f"{base_url}/book/profiles/{PROFILE}.html")
    clean(seen)
    page = seen.page
    assert page.locator("h1").first.inner_text().startswith("Kata")
    headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent.replace('#', '').trim())")
    for section in ("Overview", "What each source calls it", "Leaders, members, backers and opponents",
                    "Designations", "Dated events", "Claims made by or about it", "Related profiles"):
        assert section in headings, headings
    assert page.locator("table.pl-designations tbody tr").count() >= 1
    assert page.locator("table.pl-relations q.pl-quote").count() >= 1
    assert "Kataib Hezbollah" in page.locator("table.pl-registry-aliases").inner_text()
    related = page.locator("#related-profiles li a").first
    related.click()
    page.wait_for_load_state("load")
    assert "/book/profiles/" in page.url and not page.url.endswith(f"{PROFILE}.html")


def _centre_in_view(page, selector: str) -> dict:
    page.locator(selector).scroll_into_view_if_needed()
    return page.locator(selector).bounding_box()


def test_network_loads_and_an_edge_click_shows_its_quote(base_url, visit, network_data):  # noqa: F811
    seen = visit(f"{base_url}/{NETWORK}")
    page = seen.page
    assert page.evaluate("() => window.proxyLensNetwork.visibleEdgeIds().length") == len(network_data["edges"])
    box = _centre_in_view(page, "#pl-network")
    quoted = {e["id"]: e for e in network_data["edges"] if e["quote"]}
    # A quoted edge whose midpoint hits that edge alone (no node, no other edge drawn there).
    target = page.evaluate("""(ids) => {
        const net = window.proxyLensNetwork.network;
        for (const id of ids) {
            const [a, b] = net.getConnectedNodes(id);
            const pos = net.getPositions([a, b]);
            const mid = net.canvasToDOM({x: (pos[a].x + pos[b].x) / 2, y: (pos[a].y + pos[b].y) / 2});
            const c = document.querySelector('#pl-network canvas');
            if (mid.x < 5 || mid.y < 5 || mid.x > c.clientWidth - 5 || mid.y > c.clientHeight - 5) continue;
            if (net.getNodeAt(mid) === undefined && net.getEdgeAt(mid) === id) return {id, x: mid.x, y: mid.y};
        }
        return null;
    }""", sorted(quoted))
    assert target, "no quoted edge can be clicked on its own"
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    detail = page.locator("#pl-edge-detail")
    assert detail.get_attribute("data-edge") == target["id"]
    text = " ".join(detail.inner_text().split())
    edge = quoted[target["id"]]
    assert " ".join(edge["quote"].split()) in text
    assert f"Status: {edge['status']}" in text and edge["dates"] in text
    clean(seen)


def test_relation_filter_and_as_of_change_the_visible_edges(base_url, visit, network_data):  # noqa: F811
    seen = visit(f"{base_url}/{NETWORK}")
    page = seen.page
    every = len(network_data["edges"])
    hidden = "() => window.proxyLensNetwork.network.body.data.edges.get({filter: e => e.hidden}).length"
    assert page.evaluate(hidden) == 0
    page.locator("#pl-relation-types input[value='backs']").uncheck()
    n_backs = sum(e["relation"] == "backs" for e in network_data["edges"])
    assert page.evaluate(hidden) == n_backs > 0
    page.locator("#pl-relation-types input[value='backs']").check()
    year = 2017
    expected = {e["id"] for e in network_data["edges"] if e["earliest"] and e["earliest"] <= f"{year}-12-31"
                and (not e["latest_end"] or e["latest_end"] >= f"{year}-01-01")}
    page.locator("#pl-asof").fill(str(year))  # fires input: the as-of box is ticked and the view redrawn
    assert page.locator("#pl-asof-on").is_checked()
    shown = set(page.evaluate("() => window.proxyLensNetwork.visibleEdgeIds()"))
    assert shown == expected and 0 < len(shown) < every
    assert page.evaluate(hidden) == every - len(expected)
    assert f"Showing {len(expected)} of {every} relations that may have held in {year}" in \
        page.locator("#pl-network-count").inner_text()
    page.locator("#pl-include-undated").check()
    assert len(page.evaluate("() => window.proxyLensNetwork.visibleEdgeIds()")) > len(expected)
    clean(seen)


def test_a_node_click_opens_its_profile(base_url, visit, network_data):  # noqa: F811
    seen = visit(f"{base_url}/{NETWORK}")
    page = seen.page
    box = _centre_in_view(page, "#pl-network")
    ids = [n["id"] for n in network_data["nodes"] if n["profile"]]
    target = page.evaluate("""(ids) => {
        const net = window.proxyLensNetwork.network;
        const c = document.querySelector('#pl-network canvas');
        for (const id of ids) {
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            if (p.x < 5 || p.y < 5 || p.x > c.clientWidth - 5 || p.y > c.clientHeight - 5) continue;
            if (net.getNodeAt(p) === id) return {id, x: p.x, y: p.y};
        }
        return null;
    }""", ids)
    assert target
    with page.expect_navigation():
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    assert urlsplit(page.url).path.endswith(f"/book/profiles/{target['id']}.html")
    assert profiles.profile_href(target["id"], from_dir="book/explore") == f"../profiles/{target['id']}.html"
    clean(seen)


def test_the_timeline_moves_between_events(base_url, visit):  # noqa: F811
    seen = visit(f"{base_url}/{TIMELINE}")
    page = seen.page
    events = explore.timeline_data()["events"]
    slide = page.locator("#pl-timeline-slide")
    assert slide.get_attribute("data-event") == events[0]["id"]
    assert events[0]["display_date"] in slide.inner_text()
    assert page.locator("#pl-timeline-prev").is_disabled()
    page.locator("#pl-timeline-next").click()
    assert slide.get_attribute("data-event") == events[1]["id"]
    text = " ".join(slide.inner_text().split())
    assert " ".join(events[1]["quote"].split()) in text and events[1]["document"] in text
    page.locator("#pl-timeline-explorer").focus()
    page.keyboard.press("ArrowLeft")
    assert slide.get_attribute("data-event") == events[0]["id"]
    page.locator("#pl-timeline-select").select_option(str(len(events) - 1))
    assert slide.get_attribute("data-event") == events[-1]["id"]
    assert page.locator("#pl-timeline-next").is_disabled()
    # A month- or year-precision event is drawn as a bar, a day as a point.
    bar = next(e for e in events if e["precision"] in ("month", "year"))
    assert page.locator(f"#pl-timeline-strip [data-event='{bar['id']}']").evaluate("e => e.tagName") == "rect"
    page.locator(f"#pl-timeline-strip [data-event='{bar['id']}']").click(force=True)
    assert slide.get_attribute("data-event") == bar["id"]
    # The five-year span redraws the axis around the selected event.
    years = "() => [...document.querySelectorAll('#pl-timeline-strip g text')].map(t => +t.textContent)"
    whole = page.evaluate(years)
    page.locator("#pl-timeline-span").select_option("near")
    near = page.evaluate(years)
    assert near != whole and max(near) - min(near) <= 6
    assert min(near) <= int(bar["earliest"][:4]) <= max(near)
    clean(seen)


@pytest.mark.parametrize("spelling", ["Kataib", "Hizballah Brigades"])
def test_search_finds_a_profile_by_a_common_spelling(base_url, visit, spelling):  # noqa: F811
    seen = visit(f"{base_url}/search.html?q={spelling}")
    hits = seen.page.locator("#search-results ul.search li")
    hits.first.wait_for(state="attached")
    links = seen.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    assert any(urlsplit(link).path.endswith(f"/book/profiles/{PROFILE}.html") for link in links), links
    clean(seen)


# ---------------------------------------------------------------- interactive tables

CLAIMS = "notebooks/05_claims.html"
INVENTORY = "#tbl-claim-inventory"


def _search_the_inventory(page) -> tuple[str, str]:
    """Wait for the claim inventory to become a DataTable; return its row count line, then the same
    line after searching for a word."""
    page.wait_for_selector(f"{INVENTORY}.dataTable")
    container = page.locator(".dt-container", has=page.locator(INVENTORY))
    info = container.locator(".dt-info")
    before = info.inner_text()
    container.locator("input[type=search]").fill("Hezbollah")
    page.wait_for_function("([el, was]) => el.textContent !== was", arg=[info.element_handle(), before])
    return before, info.inner_text()


def test_interactive_tables_load_the_shared_library_and_search(base_url, visit):  # noqa: F811
    """A chapter's long table becomes a searchable DataTable, from the one copy of the library under
    _static/ (the page itself does not carry it)."""
    seen = visit(f"{base_url}/{CLAIMS}")
    page = seen.page
    before, after = _search_the_inventory(page)
    assert before.startswith("Showing 1 to 10 of"), before
    assert "filtered from" in after, after
    assert page.evaluate("() => typeof window.proxylensDataTables") == "string"
    assert "injectModule(" not in page.content()
    clean(seen)


def test_interactive_tables_work_from_a_file_on_disk(book_dir, visit):  # noqa: F811
    """Opened from disk (file://), as the README allows, the tables still start: browsers refuse
    module files there, so the library comes as the text of a classic script."""
    seen = visit((book_dir / CLAIMS).resolve().as_uri())
    _, after = _search_the_inventory(seen.page)
    assert "filtered from" in after, after
    assert not seen.console_errors, seen.console_errors
