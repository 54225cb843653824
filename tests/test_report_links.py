"""Actor names link to their profiles in every table, while source text stays escaped text.

``report.actor_cell`` returns a :class:`proxylens.report.Markup` cell (the link and the name it
shows) when the actor has a profile page; the static and the interactive table renderers keep that
cell's HTML and escape every other cell, so a quoted ``<script>`` next to a link is still text.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from proxylens import profiles, report

HOSTILE = "<script>alert(1)</script> <b>Kata'ib Hezbollah</b>"


def test_actor_with_a_profile_is_a_link():
    href = profiles.profile_href("iran")
    assert href is not None
    cell = report.actor_cell("iran", "Iran")
    assert isinstance(cell, report.Markup)
    assert str(cell) == f'<a href="{href}">Iran</a>' and cell.text == "Iran"


def test_actor_without_a_profile_is_its_plain_name():
    assert profiles.profile_href("no-such-actor") is None
    assert report.actor_cell("no-such-actor", "<b>Nobody</b>") == "<b>Nobody</b>"


def test_the_name_inside_a_link_is_escaped():
    cell = report.actor_cell("iran", HOSTILE)
    assert "<script>" not in str(cell) and "&lt;script&gt;" in str(cell)
    assert cell.text == HOSTILE


def test_joined_names_keep_the_links_and_escape_the_rest():
    joined = report.join_cells([report.actor_cell("iran", "Iran"), "A<b>"])
    assert isinstance(joined, report.Markup)
    assert str(joined).endswith("</a> &amp; A&lt;b&gt;") and joined.text == "Iran & A<b>"


def readable_table() -> pd.DataFrame:
    table = pd.DataFrame({"claimant": [report.actor_cell("iran", "Iran"), "anonymous"], "quote": [HOSTILE, "plain"]})
    return report.for_readers(table)


def test_for_readers_keeps_the_link_cell():
    readable = readable_table()
    assert isinstance(readable["claimant"].iloc[0], report.Markup)
    assert readable["claimant"].iloc[1] == "anonymous"


def test_static_table_shows_a_working_link_and_escaped_source_text():
    page = report.table_html(readable_table())
    assert f'<td><a href="{profiles.profile_href("iran")}">Iran</a></td>' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page


def test_interactive_table_shows_a_working_link_and_escaped_source_text():
    page = report.interactive_html(readable_table(), "tbl-test")
    # itables stores the rows as a JSON text inside the page's JavaScript
    rows = json.loads(json.loads(re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', page).group(1)))
    assert rows[0][0] == f'<a href="{profiles.profile_href("iran")}">Iran</a>'
    assert rows[0][1] == "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Kata&#x27;ib Hezbollah&lt;/b&gt;"
    # the static preview shown before the script runs escapes the text as well
    assert "<script>alert(1)" not in page


def test_link_cells_sort_by_their_text():
    cells = pd.Series([report.actor_cell("iran", "Iran"), "Hezbollah", "Kata'ib"])
    assert [report.plain_text(c) for c in cells.sort_values(kind="stable")] == ["Hezbollah", "Iran", "Kata'ib"]
