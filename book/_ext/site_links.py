"""Repository link, canonical base URL, sitemap and OpenGraph addresses, from the build environment.

The book does not know where it is published until GitHub Actions builds it: Actions sets
``GITHUB_REPOSITORY`` (``owner/name``), and GitHub Pages serves a project repository at
``https://<owner>.github.io/<name>/``. From that variable this extension sets

* the theme's repository and issues buttons (``https://github.com/<owner>/<name>``);
* ``html_baseurl`` (canonical links) and ``ogp_site_url`` (absolute OpenGraph ``og:url``);
* and loads ``sphinx_sitemap``, which writes ``sitemap.xml`` with absolute addresses.

Without the variable (a local build) there is no link to a repository nobody named, OpenGraph
addresses stay relative, and no sitemap is written: a sitemap needs absolute addresses, and
sphinx-sitemap would warn (and ``-W`` fail) without one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# GitHub owner and repository names: letters, digits, '-', '_' and '.' (owners: no '.').
_REPOSITORY = re.compile(r"^(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+)$")


@dataclass(frozen=True)
class SiteLinks:
    repository_url: str
    base_url: str


def site_links(environ: dict | None = None) -> SiteLinks | None:
    """Where the book's repository and its GitHub Pages site are, from ``GITHUB_REPOSITORY``.

    Returns None when the variable is unset or empty. A value that is not ``owner/name`` raises
    ValueError (a misconfigured build should stop, not publish wrong links).

    >>> site_links({"GITHUB_REPOSITORY": "Example/proxy-lens"})
    SiteLinks(repository_url='https://github.com/Example/proxy-lens', base_url='https://example.github.io/proxy-lens/')
    """
    environ = os.environ if environ is None else environ
    value = (environ.get("GITHUB_REPOSITORY") or "").strip()
    if not value:
        return None
    match = _REPOSITORY.match(value)
    if not match:
        raise ValueError(f"GITHUB_REPOSITORY must be 'owner/name', not {value!r}")
    owner, name = match["owner"], match["name"]
    host = f"{owner.lower()}.github.io"
    # A repository named <owner>.github.io is served at the root of that host.
    base = f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"
    return SiteLinks(repository_url=f"https://github.com/{owner}/{name}", base_url=base)


def _apply(app, config) -> None:
    links = app.site_links
    if links is None:
        return
    config.html_baseurl = links.base_url
    config.ogp_site_url = links.base_url
    # Pages are HTML files at their source paths: no language or version folder in their address.
    config.sitemap_url_scheme = "{link}"
    # The search page and the empty general index are not content a search engine should list.
    config.sitemap_excludes = ["search.html", "genindex.html"]
    if config.html_theme != "sphinx_book_theme":
        return  # other themes have no repository buttons (and warn about unknown options)
    options = dict(config.html_theme_options or {})
    options.update(repository_url=links.repository_url, repository_branch="main", path_to_docs="",
                   use_repository_button=True, use_issues_button=True)
    config.html_theme_options = options


def setup(app):
    app.site_links = site_links()
    if app.site_links is not None:
        app.setup_extension("sphinx_sitemap")
    # Before the theme reads its options (priority below the default 500).
    app.connect("config-inited", _apply, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
