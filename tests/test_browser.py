"""The built book: every page loads offline, fits a desktop and a phone screen, images have alt
text, search and downloads work.

``_build/html`` is served on an ephemeral port of 127.0.0.1 and Chromium, driven by Playwright,
opens every page the table of contents names. Every request for a host other than the local
server is recorded and aborted: a reader must be able to read the book with no network.

Run after ``make book`` (``make test`` does). Outside CI a missing build or a missing browser
skips these tests with a message; in CI (``CI=true``) it fails them. ``PROXYLENS_BOOK_HTML``
points the tests at another build folder; ``PROXYLENS_SCREENSHOTS`` names a folder where the page
test saves a full-page screenshot of every page at every width, for a person to look at.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml

from proxylens.paths import repo_root

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium from phoning home (updates, sync, field trials) and from needing a GPU.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SOURCE_SUFFIXES = (".ipynb", ".md")
TIMEOUT_MS = 20_000
# A desktop window and a phone held upright (CSS pixels).
WIDTHS = {"desktop": 1400, "phone": 390}
# Playwright's own default window, for visits that do not name a width.
DEFAULT_WIDTH = 1280


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(message: str) -> None:
    """Skip with ``message`` on a developer's machine; fail with it in CI, where nothing may be skipped."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: not skipping)")
    pytest.skip(message)


def toc_files(toc: dict) -> list[str]:
    """Every ``file`` of a Jupyter Book ``_toc.yml`` (root first, then in reading order), without suffix."""
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([{k: v for k, v in toc.items() if k in ("parts", "chapters", "sections")}])
    return [strip_source_suffix(f) for f in files]


def strip_source_suffix(name: str) -> str:
    path = PurePosixPath(name)
    return str(path.with_suffix("")) if path.suffix in (*SOURCE_SUFFIXES, ".rst") else name


TOC_PAGES = toc_files(yaml.safe_load((repo_root() / "_toc.yml").read_text(encoding="utf-8")))


def source_suffix(page: str) -> str:
    """The suffix of the page's source in the repository ('' when there is none)."""
    return next((s for s in SOURCE_SUFFIXES if (repo_root() / f"{page}{s}").is_file()), "")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def book_dir() -> Path:
    folder = Path(os.environ.get("PROXYLENS_BOOK_HTML") or repo_root() / "_build" / "html")
    if not (folder / "index.html").is_file():
        skip_or_fail("the book is not built (no _build/html/index.html): run `make book` first")
    return folder


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def base_url(book_dir):
    """``http://127.0.0.1:<port>`` serving the built book from a thread; port chosen by the OS."""
    handler = functools.partial(_QuietHandler, directory=str(book_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed ({CHROMIUM} is missing; Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package playwright is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What happened while a page loaded: its status and everything that went wrong."""

    page: object
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser_context(browser):
    """One browser context for a test file: pages share its cache, as a reader's tabs do, so each
    script and style sheet is fetched and compiled once rather than once per page."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture(scope="module")
def tab(browser_context):
    """One tab for a test file, as a reader follows links: a new tab starts a new renderer process,
    which cost more than the page it shows (measured: about 2.5 times the CPU of navigating one tab).

    Yields a one-item list holding the :class:`Visit` in progress; the tab's listeners record into
    it, and every request for a host other than the local server is recorded and aborted."""
    page = browser_context.new_page()
    current = [Visit(page)]

    def guard(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            current[0].external.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.on("websocket", lambda ws: current[0].external.append(ws.url)
            if urlsplit(ws.url).hostname not in LOCAL_HOSTS else None)
    page.on("console", lambda m: current[0].console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: current[0].console_errors.append(f"uncaught: {err}"))
    page.on("response", lambda r: current[0].failed.append(f"{r.status} {r.url}") if r.status > 399 else None)
    yield current
    page.close()


@pytest.fixture
def visit(tab):
    """``visit(url)`` opens ``url`` in the file's tab (at ``width`` CSS pixels when given) and returns
    what happened while it loaded; whatever happens later on the page is added to the same record."""

    def _visit(url: str, width: int | None = None) -> Visit:
        page = tab[0].page
        page.set_viewport_size({"width": width or DEFAULT_WIDTH, "height": 900})
        record = tab[0] = Visit(page)
        response = page.goto(url, wait_until="load")
        record.status = response.status if response else None
        return record

    return _visit


# ---------------------------------------------------------------- tests


def test_toc_names_pages():
    assert TOC_PAGES[0] == "book/intro" and len(TOC_PAGES) == len(set(TOC_PAGES)) > 5


def test_guard_catches_a_request_that_leaves_localhost(base_url, visit):
    """The check below is only worth something if an external request is really seen and stopped."""
    seen = visit(f"{base_url}/book/intro.html")
    outcome = seen.page.evaluate(
        "() => fetch('http://example.com/probe.png').then(() => 'loaded', () => 'blocked')")
    assert outcome == "blocked"
    assert seen.external == ["http://example.com/probe.png"]


@pytest.mark.parametrize("page", TOC_PAGES)
def test_page_reads_offline_and_fits_every_width(page, book_dir, base_url, visit):
    """A TOC page is built, loads with status 200, logs no error, asks nothing of other hosts,
    gives every image alt text and offers its own source for download; and at a desktop width and
    at a phone width it never scrolls sideways (wide tables, code and figures scroll or shrink inside
    their own box). One load per page: the window is narrowed after the desktop checks."""
    if not (book_dir / f"{page}.html").is_file():
        pytest.fail(f"{page}.html is not in the build: the TOC names it but the chapter is missing or the "
                    "build is stale (run `make book`)")
    seen = visit(f"{base_url}/{page}.html", width=WIDTHS["desktop"])
    problems = []
    if seen.status != 200:
        problems.append(f"status {seen.status}")
    images = seen.page.eval_on_selector_all(
        "img", "els => els.map(e => [e.getAttribute('src') || '', e.getAttribute('alt')])")
    problems += [f"image without alt text: {src[:80]}" for src, alt in images if not (alt or "").strip()]
    problems += check_downloads(seen.page, page)
    for width in WIDTHS.values():
        problems += overflow_at(seen.page, page, width)
    # Read last, so that whatever the page asked for or logged while it was read and resized counts.
    problems += [f"console error: {e}" for e in seen.console_errors]
    problems += [f"request left localhost: {u}" for u in seen.external]
    problems += [f"failed request: {f}" for f in seen.failed]
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


# Elements that stick out past the right edge of the window and are not inside a box that scrolls
# or clips sideways: the causes of a horizontal page scroll.
OVERFLOWING = """() => {
  const limit = window.innerWidth;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  // Fixed-position boxes (off-canvas sidebars, drawers) do not widen the page.
  const fixed = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).position === 'fixed') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit + 1 || clipped(el) || fixed(el)) continue;
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 1 && !clipped(el.parentElement)
        && out.length && out[out.length - 1].el === el.parentElement) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push({el, text: `${name} right=${Math.round(r.right)}: ${(el.textContent || '').trim().slice(0, 60)}`});
  }
  return out.slice(0, 8).map(o => o.text);
}"""


def overflow_at(page, name: str, width: int) -> list[str]:
    """Problems if the page, laid out in a window ``width`` px wide, is wider than the window."""
    if page.viewport_size["width"] != width:
        page.set_viewport_size({"width": width, "height": 900})
        # Two animation frames: the resize has been laid out and any resize handlers have run.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shots = os.environ.get("PROXYLENS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name.replace('/', '__')}-{width}.png"), full_page=True)
    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width <= inner_width:
        return []
    culprits = page.evaluate(OVERFLOWING)
    return [f"at {width} px the page is {scroll_width} px wide, wider than the {inner_width} px window:\n    "
            + "\n    ".join(culprits)]


def check_downloads(page, name: str) -> list[str]:
    """The download button offers ``_sources/<page><suffix>``, served, and a notebook or Markdown file."""
    links = page.eval_on_selector_all("a.btn-download-source-button", "els => els.map(e => e.href)")
    suffix = source_suffix(name)
    wanted = f"/_sources/{name}{suffix}"
    if not any(urlsplit(link).path.endswith(wanted) for link in links):
        return [f"no download link to {wanted} (found {links})"]
    problems = []
    for link in links:
        response = page.request.get(link)
        body = response.body()
        if response.status != 200 or not body.strip():
            problems.append(f"download {link}: status {response.status}, {len(body)} bytes")
        elif link.endswith(".ipynb") and "cells" not in json.loads(body):
            problems.append(f"download {link}: not a notebook")
    return problems


def test_search_finds_an_actor(base_url, visit):
    """Sphinx's client-side search lists at least one page for a name the book discusses, offline."""
    seen = visit(f"{base_url}/search.html?q=Soleimani")
    hits = seen.page.locator("#search-results ul.search li")
    hits.first.wait_for(state="attached")
    links = seen.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    assert hits.count() >= 1
    assert any(urlsplit(link).path.lstrip("/").split(".html")[0] in TOC_PAGES for link in links), links
    assert not seen.external, seen.external
    assert not seen.console_errors, seen.console_errors
