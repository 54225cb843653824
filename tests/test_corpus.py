"""Unit tests of the corpus stage on tiny documents."""

import textwrap

import pytest

from proxylens.corpus import (
    CorpusError,
    Document,
    blocks,
    boilerplate_spans,
    decode_text,
    detect_doc_kind,
    in_context,
    load_corpus,
    quote_span,
    split_units,
)
from proxylens.edtf import parse_edtf


def doc(text, kind="article", published=""):
    return Document(source_id="x", file="x.txt", text=text, sha256="", published=published, doc_kind=kind)


def test_blocks_trim_and_skip_blank_lines():
    text = "  first line \n\n second\n"
    assert [text[s:e] for s, e in blocks(text)] == ["first line", "second"]


def test_boilerplate_marks_navigation_caption_related_and_comment_form():
    text = (
        "Home / Politics / A headline\n"
        "A minister, Image credit: somebody\n\n"
        "Body sentence one. Body sentence two.\n\n"
        "Check Also\n\nAnother article title\n\nIts teaser …\n\n"
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *"
    )
    kinds = [(s.kind, text[s.start:s.end]) for s in boilerplate_spans(text)]
    assert ("navigation", "Home / Politics / A headline") in kinds
    assert ("caption", "A minister, Image credit: somebody") in kinds
    assert ("related", "Another article title") in kinds
    assert ("related", "Its teaser …") in kinds
    assert ("comment_form", "Leave a Reply") in kinds
    assert all("Body sentence" not in t for _, t in kinds)


def test_boilerplate_marks_page_stamp_and_section_path_and_repeats():
    line = "A long enough sentence that is repeated word for word below."
    text = f"News - Local News - Site\n\n{line}\n{line}\n\nLast Modified: Monday, 03 July 2017 10:00 AM"
    spans = boilerplate_spans(text)
    assert [s.kind for s in spans] == ["navigation", "repeated_line", "page_stamp"]
    assert text[spans[1].start:spans[1].end] == line
    # offsets point into the stored text: nothing is deleted
    assert all(text[s.start:s.end].strip() == text[s.start:s.end] for s in spans)


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
PARAGRAPHS = [
    f"Officials said on Tuesday that talks on {w} had stalled, according to a statement released by "
    f"the ministry of {w}, which gave no further detail about the {w} meeting or who attended it." for w in WORDS
]


def test_detect_teaser_list_only_on_teaser_evidence():
    lead = "Its lead sentence, long enough to count as a repeat of the summary."
    repeated = "\n".join(["A headline", lead, lead] + [f"Teaser number {i} says something short." for i in range(8)])
    assert detect_doc_kind(repeated) == "teaser_list"
    headed = "\n".join(line for i in range(6) for line in (f"Headline number {i} with no stop", f"Teaser {i} text."))
    assert detect_doc_kind(headed) == "teaser_list"
    cut = "\n".join(f"Teaser number {i} is cut short by the page …" for i in range(10))
    assert detect_doc_kind(cut) == "teaser_list"


def test_detect_article_in_every_paragraph_style():
    title = "Talks stall as ministry stays silent"
    # unwrapped: one line per paragraph, with or without blank lines between them
    assert detect_doc_kind("\n".join([title, *PARAGRAPHS])) == "article"
    assert detect_doc_kind("\n\n".join([title, *PARAGRAPHS])) == "article"
    # a subheading inside a single-newline article is not a list of headlines
    assert detect_doc_kind("\n".join([title, *PARAGRAPHS[:5], "Reaction", *PARAGRAPHS[5:]])) == "article"
    # hard-wrapped at 72 columns, with and without blank lines between paragraphs
    wrapped = [textwrap.fill(p, 72) for p in PARAGRAPHS]
    assert detect_doc_kind("\n".join([title, *wrapped])) == "article"
    assert detect_doc_kind("\n\n".join([title, *wrapped])) == "article"
    # short documents are articles
    assert detect_doc_kind("\n".join(f"Line {i}" for i in range(5))) == "article"


def test_split_units_headline_joins_teaser_and_repeat_joins_previous():
    lead = "Its lead sentence, long enough to count as a repeat."
    text = f"A headline with no stop\n{lead}\n{lead}\nSecond teaser here.\nThird one!"
    units = split_units(doc(text, kind="teaser_list"))
    got = [text[u.start:u.end] for u in units]
    assert got == [
        f"A headline with no stop\n{lead}\n{lead}",
        "Second teaser here.",
        "Third one!",
    ]
    assert all(u.kind == "teaser" and u.published == "" for u in units)


def test_article_is_one_unit_with_the_document_date():
    units = split_units(doc("One.\n\nTwo.", published="2018-08"))
    assert len(units) == 1 and units[0].published == "2018-08" and units[0].kind == "article"


@pytest.mark.parametrize("data,msg", [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    (b"caf\xe9 au lait", "not valid UTF-8"),
    (b"<!DOCTYPE html><html><body><p>hi</p></body></html>", "HTML page"),
])
def test_decode_rejects(data, msg):
    with pytest.raises(CorpusError, match=msg):
        decode_text(data, "f.txt")


def test_decode_accepts_text_that_quotes_a_tag():
    text = "An analyst wrote that the page contained a <script> tag. Nothing else.\n"
    assert decode_text(text.encode(), "f.txt") == text


def test_quote_span_and_context():
    text = "Tehran said no. Tehran said yes."
    assert quote_span(text, "said yes") == (23, 31)
    with pytest.raises(ValueError, match="more than once"):
        quote_span(text, "Tehran said")
    with pytest.raises(ValueError, match="not found"):
        quote_span(text, "Riyadh")
    assert in_context(text, 23, 31, width=7) == ("Tehran ", "said yes", ".")


@pytest.mark.parametrize("value,earliest,latest,precision", [
    ("2018", "2018-01-01", "2018-12-31", "year"),
    ("2020-02", "2020-02-01", "2020-02-29", "month"),
    ("2017-07-05", "2017-07-05", "2017-07-05", "day"),
    ("2018-09-27/2018-11-07", "2018-09-27", "2018-11-07", "interval"),
    ("2017-06/2017-07-05", "2017-06-01", "2017-07-05", "interval"),
    ("2020-01-03/..", "2020-01-03", "9999-12-31", "interval"),
    ("../2019", "0001-01-01", "2019-12-31", "interval"),
])
def test_parse_edtf(value, earliest, latest, precision):
    e = parse_edtf(value)
    assert (e.earliest.isoformat(), e.latest.isoformat(), e.precision) == (earliest, latest, precision)


@pytest.mark.parametrize("bad", ["2018-13", "18-07-2018", "July 2018", "2018-02-30", "2019/2018"])
def test_parse_edtf_rejects(bad):
    with pytest.raises(ValueError):
        parse_edtf(bad)


def test_load_corpus_skip_invalid_lists_reasons(tmp_path):
    (tmp_path / "a.txt").write_text("A real sentence.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    corpus = load_corpus(tmp_path, skip_invalid=True)
    assert [d.source_id for d in corpus.documents] == ["a"]
    assert corpus.skipped == [("b.txt", "b.txt: empty file")]
    assert corpus.notices == ["a.txt: not in sources.csv; processed with an unknown publication date"]


def test_default_size_limit_takes_a_file_far_above_the_old_two_mib(tmp_path):
    """The default ``--max-bytes`` is 64 MiB: long documents are processed in pieces, not refused."""
    from proxylens.corpus import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES == 64 * 2**20
    line = "The ministry said the convoy reached the border on Tuesday.\n"
    (tmp_path / "long.txt").write_text(line * (3 * 2**20 // len(line)), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [ref.path.name for ref in corpus.refs] == ["long.txt"] and corpus.refs[0].size > 3 * 10**6
    with pytest.raises(CorpusError, match=r"long\.txt: .* bytes, above the limit of 2,097,152 \(see --max-bytes\)"):
        load_corpus(tmp_path, max_bytes=2 * 2**20)


def test_units_of_a_piece_continue_the_numbering():
    text = "Headline\n\nA first paragraph.\n"
    (unit,) = split_units(doc(text), first_index=7)
    assert (unit.unit_id, unit.index) == ("x#7", 7)
