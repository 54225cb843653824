"""The how-to-cite page, generated from ``CITATION.cff`` so that it cannot drift from it.

The directive ``{citation-cff}`` (no arguments) renders the repository's ``CITATION.cff`` as a
plain-text reference and a BibTeX entry. When the build knows the repository's address
(``GITHUB_REPOSITORY``, see ``site_links``) and the file names none, that address is added as
the citation's URL. Only the fields Proxy Lens uses are read: ``authors`` (entities by ``name``,
persons by ``given-names``/``family-names``), ``title``, ``version``, ``date-released``,
``repository-code``, ``url`` and ``doi``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

CITATION_FILE = "CITATION.cff"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def load_citation(path: Path) -> dict:
    """Read a CITATION.cff; a missing required field raises ValueError naming the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path}: not a CITATION.cff mapping")
    for key in ("title", "authors", "date-released"):
        if not data.get(key):
            raise ValueError(f"{path}: '{key}' is missing")
    return data


def _released(data: dict) -> dt.date:
    value = data["date-released"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _author_names(data: dict) -> list[str]:
    """Each author as a display name: an entity's name, or 'Given Family' for a person."""
    names = []
    for author in data["authors"]:
        if author.get("name"):
            names.append(str(author["name"]))
        else:
            parts = [author.get("given-names"), author.get("name-particle"), author.get("family-names")]
            names.append(" ".join(str(p) for p in parts if p))
    return names


def citation_url(data: dict, repository_url: str | None = None) -> str | None:
    return data.get("doi") and f"https://doi.org/{data['doi']}" or data.get("repository-code") \
        or data.get("url") or repository_url


def plain_text(data: dict, repository_url: str | None = None) -> str:
    """An APA-style reference: Authors (Year). Title (Version v) [Computer software]. URL"""
    released = _released(data)
    authors = _author_names(data)
    joined = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    kind = "Computer software" if data.get("type", "software") == "software" else "Data set"
    text = f"{joined} ({released.year}). {data['title']}"
    if data.get("version"):
        text += f" (Version {data['version']})"
    text += f" [{kind}]."
    url = citation_url(data, repository_url)
    return f"{text} {url}" if url else text


def _bibtex_key(data: dict) -> str:
    first = re.sub(r"[^a-z0-9]+", "", data["title"].split(":")[0].lower()) or "citation"
    return f"{first}{_released(data).year}"


def _bibtex_author(data: dict) -> str:
    # An entity is braced whole, so BibTeX does not split it into given and family names.
    out = []
    for author, name in zip(data["authors"], _author_names(data)):
        if author.get("name"):
            out.append("{" + name + "}")
        else:
            given = " ".join(str(p) for p in (author.get("given-names"), author.get("name-particle")) if p)
            out.append(f"{author.get('family-names', '')}, {given}".strip(", "))
    return " and ".join(out)


def bibtex(data: dict, repository_url: str | None = None) -> str:
    """A BibTeX ``@software`` entry (biblatex's type; classic BibTeX styles read it as @misc)."""
    released = _released(data)
    fields = [("author", _bibtex_author(data)), ("title", "{" + data["title"] + "}")]
    if data.get("version"):
        fields.append(("version", str(data["version"])))
    fields += [("year", str(released.year)), ("month", MONTHS[released.month - 1]),
               ("date", released.isoformat())]
    if data.get("doi"):
        fields.append(("doi", str(data["doi"])))
    url = data.get("repository-code") or data.get("url") or repository_url
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@software{{{_bibtex_key(data)},\n{body}\n}}"


class CitationCffDirective(SphinxDirective):
    has_content = False

    def run(self):
        path = Path(self.env.srcdir) / CITATION_FILE
        self.env.note_dependency(str(path))
        data = load_citation(path)
        links = getattr(self.env.app, "site_links", None)
        repository_url = links.repository_url if links else None
        out = []
        for heading, text, language in (("Plain text", plain_text(data, repository_url), "text"),
                                        ("BibTeX", bibtex(data, repository_url), "bibtex")):
            out.append(nodes.rubric(text=heading))
            # "wrap-text": the style sheet wraps these lines, so a phone shows the whole reference.
            block = nodes.literal_block(text, text, language=language, classes=["wrap-text"])
            out.append(block)
        return out


def setup(app):
    app.add_directive("citation-cff", CitationCffDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
