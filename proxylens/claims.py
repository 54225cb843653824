"""Stage 4: narrative claims — attributed statements and the outlet's own assertions.

A *claim* is a statement the text either attributes to someone (the *claimant*) or makes in
its own voice. For each claim this stage finds

* the *content*: the reported clause or the quotation, as exact file offsets ``[start, end)``;
* the *cue* that attributes it ("said", "told", "according to", "the statement read", "claimed",
  "accuse ... of", "the claim that" ...), from the lexicon ``lexicons/claims_cues.json``;
* the *claimant*: the cue's subject (or the agent of a passive cue, or the object of "according
  to"), resolved to an actor id through the mentions of :func:`proxylens.actors.find_mentions`.
  A pronoun or a role ("he", "the official", "the statement") is resolved to an earlier
  mention or claimant of the same unit where that is plausible, and ``claimant_basis`` says
  how; unnamed claimants ("U.S. military officials", "a source from ...", "Kuwaiti press")
  make the claim *anonymous* and leave ``claimant_id`` empty;
* the *attribution*: ``direct_quote`` (quotation marks around at least half of the content),
  ``indirect`` (a reported clause), ``anonymous`` (no named claimant) or ``author_voice``;
* *hedges* and *boosters* in the claim's sentences (``claims_hedges.json``,
  ``claims_boosters.json``) and an *evidence type* (``claims_evidence.json``).

Nested attribution yields one row per cue: in "X said Y told Z that ..." the outer claim (X)
holds the whole report and the inner one (Y) its own clause. A quotation that follows a
speech claim with no cue of its own ("... said Trump. “The IRGC is ...”") continues that
claim's speaker. A designation is its designator's claim ("The State Department added X to the
list of Specially Designated Global Terrorists"). The outlet's own assertions become
``author_voice`` claims with claimant ``author``: a sentence with a verb whose main verb no cue
takes up, that names an actor (or hedges or boosts a statement about an official, a body or a
group). The gold for the seeds codes most such sentences as claims, so no loaded term or event
verb is required; see :func:`author_voice_claims`.

Extra columns: ``claimant_basis`` (how the claimant was resolved: mention, appositive,
pronoun_subject, pronoun_previous_speaker, pronoun_antecedent, role_antecedent, role_holder,
role_affiliation, institution_of, document_antecedent, document_of, passive_document_issuer,
subject_phrase, quote_continuation, anonymous..., unresolved...), ``claimant_affiliation`` (the
actor an unnamed claimant belongs to: "U.S. military officials" -> us-military), the claim's
sentence span and its unit.

The extractor reads the lexicons and, through the actors stage and for role holders, the
curated registry (actors.csv, aliases.csv); it never reads curated gold.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, is_dataclass, replace
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path
from types import SimpleNamespace

TABLES = {
    "claims.csv": [
        "source_id", "start", "end", "text", "claimant_id", "claimant_text", "cue", "hedges", "evidence_type",
        "unit_id", "attribution", "boosters", "claimant_basis", "sentence_start", "sentence_end",
        "claimant_affiliation",
    ]
}

LEXICON_DIR = Path(__file__).parent / "lexicons"
AUTHOR = "author"

# Quotation marks; single quotes are left out because ’ is also the apostrophe.
QUOTE_MARKS = "“”\"„«»"
# A quotation longer than this is a pairing error (an unclosed quote), not a quotation.
MAX_QUOTATION_CHARS = 1500
# A quotation with fewer words is a scare quote or a quoted phrase, not a statement of its own.
MIN_STATEMENT_WORDS = 5
# A quotation that follows a speech claim within this many characters continues its speaker.
CONTINUATION_CHARS = 400
# Share of a claim's content inside quotation marks that makes it a direct quotation.
DIRECT_QUOTE_SHARE = 0.5


@cache
def lexicon(name: str) -> dict:
    """The claims lexicon ``lexicons/claims_<name>.json`` (cues, hedges, boosters, evidence), read once."""
    with (LEXICON_DIR / f"claims_{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Quotation:
    """A span between paired quotation marks, marks included: file offsets ``[start, end)``."""

    start: int
    end: int
    words: int


@dataclass(frozen=True)
class Claimant:
    """Who a claim is attributed to, and how that was decided."""

    ids: tuple[str, ...] = ()
    text: str = ""
    start: int = -1
    end: int = -1
    basis: str = ""
    anonymous: bool = False
    affiliation: tuple[str, ...] = ()
    head: str = ""  # lemma of the claimant phrase's head noun ("official", "statement"), for anaphora
    head_class: str = ""  # its class in claims_cues.json "claimant_nouns" ("", "role", "document", ...)


@dataclass
class Claim:
    """One claim of a document; offsets are file offsets."""

    source_id: str
    unit_id: str
    start: int
    end: int
    text: str
    claimant: Claimant
    cue: str
    cue_start: int
    cue_end: int
    attribution: str
    sentence_start: int
    sentence_end: int
    hedges: tuple[str, ...] = ()
    boosters: tuple[str, ...] = ()
    evidence_type: str = "none_given"
    cue_lemma: str = ""

    def frame(self) -> tuple[int, int]:
        """The span covering claimant, cue and content: what the attribution takes up in its sentence."""
        starts = [self.start, self.cue_start] + ([self.claimant.start] if self.claimant.start >= 0 else [])
        ends = [self.end, self.cue_end] + ([self.claimant.end] if self.claimant.end >= 0 else [])
        return min(starts), max(ends)

    def row(self) -> dict:
        """The claim as a row of ``claims.csv``."""
        if self.attribution == "author_voice":
            claimant_id = AUTHOR
        else:
            claimant_id = ";".join(self.claimant.ids)
        return {
            "source_id": self.source_id, "start": self.start, "end": self.end, "text": self.text,
            "claimant_id": claimant_id, "claimant_text": self.claimant.text, "cue": self.cue,
            "hedges": ";".join(self.hedges), "evidence_type": self.evidence_type, "unit_id": self.unit_id,
            "attribution": self.attribution, "boosters": ";".join(self.boosters),
            "claimant_basis": self.claimant.basis, "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end, "claimant_affiliation": ";".join(self.claimant.affiliation),
        }


@dataclass
class Sentence:
    """A sentence of a block, with its file offsets."""

    span: object  # spacy.tokens.Span
    block: object  # pipeline.Block
    start: int
    end: int


@dataclass
class Context:
    """What claim finding needs to know about one document."""

    parsed: object
    mentions: list  # resolved mentions (actor_id not empty), sorted by start
    kinds: dict[str, str]  # actor_id -> kind ("person", "armed_group", "state" ...)
    quotations: list[Quotation]
    sentences: list[Sentence]
    claims: list[Claim] = field(default_factory=list)  # found so far, in reading order
    mention_starts: list[int] = field(default_factory=list)  # start of each mention, for bisection
    # Sentences come in reading order and never overlap, so their starts and their ends both
    # ascend: a sentence is found by bisection, not by a walk over every sentence of the document.
    sentence_starts: list[int] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)
    quotation_starts: list[int] = field(default_factory=list)  # quotations, too, are ordered and apart

    def __post_init__(self):
        self.mention_starts = [m.start for m in self.mentions]
        self.sentence_starts = [s.start for s in self.sentences]
        self.sentence_ends = [s.end for s in self.sentences]
        self.quotation_starts = [q.start for q in self.quotations]

    def quotation_at(self, pos: int) -> Quotation | None:
        """The quotation that holds character ``pos``, or None."""
        i = bisect_right(self.quotation_starts, pos) - 1
        return self.quotations[i] if i >= 0 and pos < self.quotations[i].end else None

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence that holds character ``pos``, or None."""
        i = bisect_right(self.sentence_starts, pos) - 1
        return self.sentences[i] if i >= 0 and pos < self.sentences[i].end else None

    def sentences_touching(self, start: int, end: int) -> list[Sentence]:
        """The sentences that share a character with ``[start, end)``, in reading order."""
        first = bisect_right(self.sentence_ends, start)
        last = bisect_left(self.sentence_starts, end, lo=first)
        return self.sentences[first:last]

    @property
    def text(self) -> str:
        return self.parsed.document.text


# ---------------------------------------------------------------- quotations


def _mark_role(text: str, i: int) -> str:
    """Whether the quotation mark at ``text[i]`` opens or closes a quotation.

    Context decides (a mark after a space and before a word opens, one after a word and
    before a space or punctuation closes), so reversed marks in machine-translated text
    (”...“) still pair; the glyph decides only when the context does not.
    """
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{—–-:/") and not after.isspace()
    closes = (after.isspace() or after in ".,;:!?)]}—–-/") and not before.isspace()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "open" if text[i] in "“„«" else "close"


def find_quotations(text: str, start: int = 0, end: int | None = None) -> list[Quotation]:
    """Paired quotation marks in ``text[start:end]``, as file offsets, sorted by start.

    An opening mark is paired with the next closing mark; an opening mark seen while another
    is open replaces it (the first was never closed), a closing mark with nothing open is
    ignored, and a pair further apart than ``MAX_QUOTATION_CHARS`` is dropped.
    """
    end = len(text) if end is None else end
    out: list[Quotation] = []
    open_at = -1
    for i in range(start, end):
        if text[i] not in QUOTE_MARKS:
            continue
        if _mark_role(text, i) == "open":
            open_at = i
        elif open_at >= 0:
            if i + 1 - open_at <= MAX_QUOTATION_CHARS:
                out.append(Quotation(open_at, i + 1, len(text[open_at + 1:i].split())))
            open_at = -1
    return out


def quoted_chars(start: int, end: int, quotations: Sequence[Quotation]) -> int:
    """How many characters of ``[start, end)`` lie inside quotations."""
    return sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotations)


def extend_to_quotations(start: int, end: int, quotations: Sequence[Quotation]) -> tuple[int, int]:
    """Widen ``[start, end)`` to cover every quotation it overlaps (a quote cut by a sentence break)."""
    for q in quotations:
        if q.start < end and start < q.end:
            start, end = min(start, q.start), max(end, q.end)
    return start, end


# ---------------------------------------------------------------- hedges and boosters


@cache
def _phrase_patterns(name: str) -> tuple[tuple[str, ...], ...]:
    """The lexicon's phrases as lower-case token sequences, tokenised like the text."""
    from proxylens.nlp import load_nlp

    tokenizer = load_nlp().tokenizer
    return tuple(tuple(t.lower_ for t in tokenizer(p)) for p in lexicon(name)["phrases"])


_MATCHERS: dict[tuple[int, str], object] = {}


def _matcher(vocab, name: str):
    """A spaCy Matcher for the hedge or booster lexicon, built once per vocabulary."""
    key = (id(vocab), name)
    if key not in _MATCHERS:
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        matcher.add(name, [[{"LOWER": w} for w in words] for words in _phrase_patterns(name)])
        for label, patterns in sorted(lexicon(name).get("patterns", {}).items()):
            matcher.add(f"{name}:{label}", patterns)
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def markers(span, name: str) -> list[tuple[int, str]]:
    """Hedges (``name="hedges"``) or boosters in a spaCy span, in reading order, as (character offset
    in the block, lower-case text); where two matches overlap only the longer is kept."""
    from spacy.util import filter_spans

    doc = span.doc
    matches = _matcher(doc.vocab, name)(span, as_spans=True)
    return [(m.start_char, m.text.lower()) for m in sorted(filter_spans(matches), key=lambda m: m.start)]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)


# ---------------------------------------------------------------- mentions and kinds


def actor_kinds() -> dict[str, str]:
    """Actor id -> kind from the curated registry (empty when there is none yet)."""
    try:
        from proxylens.actors import load_registry

        return {aid: a.kind for aid, a in sorted(load_registry().actors.items())}
    except (ImportError, FileNotFoundError, AttributeError):
        return {}


_NER_KINDS = {"PERSON": "person", "GPE": "state", "NORP": "state", "ORG": "organisation"}
PERSON_KINDS = ("person",)


def _ner_kind(mention, ctx: Context) -> str:
    """A mention's kind from the statistical NER label over it, when the registry has none."""
    for sent in ctx.sentences:
        if sent.block.start <= mention.start < sent.block.end:
            doc = sent.block.doc
            span = doc.char_span(mention.start - sent.block.start, mention.end - sent.block.start,
                                 alignment_mode="expand")
            labels = sorted({t.ent_type_ for t in span} - {""}) if span is not None else []
            for label in ("PERSON", "ORG", "GPE", "NORP"):
                if label in labels:
                    return _NER_KINDS[label]
            return ""
    return ""


def kind_of(actor_id: str, ctx: Context, mention=None) -> str:
    """The kind of an actor: the registry's, else guessed from the NER label of ``mention``."""
    if ctx.kinds.get(actor_id):
        return ctx.kinds[actor_id]
    return _ner_kind(mention, ctx) if mention is not None else ""


def mention_at(start: int, end: int, ctx: Context):
    """The resolved mention that contains the characters ``[start, end)``, or None."""
    i = bisect_right(ctx.mention_starts, start)
    # Mentions do not nest, so the one to check is the last to start at or before ``start``
    # (and, for hand-made mention lists that may overlap, the one before it).
    for m in ctx.mentions[max(0, i - 2):i][::-1]:
        if m.start <= start and end <= m.end:
            return m
    return None


def _token_span(token, block) -> tuple[int, int]:
    start = block.start + token.idx
    return start, start + len(token.text)


def token_mention(token, block, ctx: Context):
    """The resolved mention covering ``token``, or None."""
    return mention_at(*_token_span(token, block), ctx)


def _inside_quotation(pos: int, ctx: Context) -> bool:
    return ctx.quotation_at(pos) is not None


def _earlier_mentions(before: int, unit_id: str, ctx: Context) -> Iterator:
    """The mentions of the unit that start before ``before``, in reading order, outside quotations
    (where a speaker is rarely named): the candidates for any back-reference."""
    unit = _unit(unit_id, ctx)
    if unit is None:
        return
    for i in range(bisect_left(ctx.mention_starts, unit.start), len(ctx.mentions)):
        m = ctx.mentions[i]
        if m.start >= before:
            break
        if not _inside_quotation(m.start, ctx):
            yield m


def antecedent(want: str, before: int, unit_id: str, ctx: Context) -> str:
    """The actor of the last mention before ``before`` in the unit that fits ``want``.

    ``want`` is "person" (for he/she, "the official") or "group" (for they/it: any actor that
    is not a person). Mentions inside quotations are skipped: a speaker is rarely named there.
    """
    best = ""
    for m in _earlier_mentions(before, unit_id, ctx):
        is_person = kind_of(m.actor_id, ctx, m) in PERSON_KINDS
        if (want == "person") == is_person:
            best = m.actor_id
    return best


def sentence_topic(before: int, unit_id: str, ctx: Context) -> str:
    """The first person named (outside quotations) in the nearest earlier sentence of the unit that
    names one: "Qassem's remarks came during the funeral of Aqil and Hamad. He described ..." ->
    Qassem. A sentence's first-named person is its topic far more often than the last."""
    unit = _unit(unit_id, ctx)
    if unit is None:
        return ""
    for sent in reversed(ctx.sentences):
        if sent.start >= before or sent.start < unit.start:
            continue
        people = [m for m in ctx.mentions if sent.start <= m.start < min(sent.end, before)
                  and not _inside_quotation(m.start, ctx) and kind_of(m.actor_id, ctx, m) in PERSON_KINDS]
        if people:
            return people[0].actor_id
    return ""


def sentence_subject(pronoun, block, ctx: Context, want: str) -> str:
    """The actor that is the subject of the pronoun's sentence, named before the pronoun and of
    the wanted kind ("Akram al-Kaabi, the leader of ..., seemed ... when he said" -> Kaabi), or ""."""
    sent = pronoun.sent
    first_clause_subject = ""
    for tok in sent:
        if tok.i >= pronoun.i:
            break
        if tok.dep_ not in ("nsubj", "nsubjpass") or _inside_quotation(block.start + tok.idx, ctx):
            continue
        m = token_mention(tok, block, ctx)
        if m is None or (kind_of(m.actor_id, ctx, m) in PERSON_KINDS) != (want == "person"):
            continue
        if tok.head.i == sent.root.i:
            return m.actor_id
        if not first_clause_subject and tok.head.dep_ != "relcl":
            # "X hits back at Y who claimed ..., “...,” he maintained": the first clause's subject,
            # not a person in a relative clause, is who "he" is.
            first_clause_subject = m.actor_id
    return first_clause_subject


def _unit(unit_id: str, ctx: Context):
    return next((u for u in ctx.parsed.units if u.unit_id == unit_id), None)


# ---------------------------------------------------------------- claimant resolution


def noun_class(token) -> str:
    """The class of a claimant head noun in the lexicon ("anonymous", "role", "institution",
    "document", "evidence", "press", "group") or ""; roles win over anonymous when the noun is singular."""
    nouns = lexicon("cues")["claimant_nouns"]
    lemma = token.lemma_.lower()
    lower = token.lower_
    plural = token.tag_ in ("NNS", "NNPS")
    for cls in ("institution", "document", "evidence", "press", "group"):
        if lemma in nouns[cls] or lower in nouns[cls]:
            return cls
    if not plural and lemma in nouns["role"]:
        return "role"
    if lemma in nouns["anonymous"] or lemma in nouns["role"]:
        return "anonymous"
    return ""


def _is_definite(token, plural_ok: bool = False) -> bool:
    """A noun with "the", "this", "that" (or a possessive): it points back to something named.

    Plurals count only with ``plural_ok`` ("the documents" points back; "the officials" rarely names anyone).
    """
    if token.tag_ in ("NNS", "NNPS") and not plural_ok:
        return False
    return any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
        for c in token.children
    )


def _is_indefinite(token) -> bool:
    """A noun with "a", "an", "some", "several", "various"... or a bare plural: it names no one."""
    if any(c.dep_ in ("det", "amod") and c.lower_ in ("a", "an", "some", "several", "various", "many", "other",
                                                      "certain", "unnamed", "anonymous") for c in token.children):
        return True
    return token.tag_ in ("NNS", "NNPS") and not _is_definite(token, plural_ok=True)


_AFFILIATION_PREPS = ("of", "from", "at", "with", "for", "by")


def affiliation_of(head, block, ctx: Context) -> list[str]:
    """Actors a claimant noun belongs to: a mention as its compound, modifier or possessor
    ("Iraqi officials", "Tehran's rulers") or after of/from/at/with ("a source from the ... office").

    Only mentions on the noun's own modifiers count, not deeper ones ("Iranian-backed militias"
    belong to no one: "Iranian" modifies "backed").
    """
    out: list[str] = []
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
            m = token_mention(child, block, ctx)
        elif child.dep_ == "prep" and child.lower_ in _AFFILIATION_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            m = token_mention(pobj, block, ctx) if pobj is not None else None
        else:
            m = None
        if m is not None and m.actor_id not in out:
            out.append(m.actor_id)
    return out


_SKIP_IN_SUBJECT = ("relcl", "acl", "advcl")
_PLACE_PREPS = ("to", "in", "into", "on", "near", "across", "inside", "against", "about")


def phrase_mentions(head, block, ctx: Context) -> list[str]:
    """Actors mentioned inside a claimant phrase, outside relative clauses and place/goal phrases
    ("Sound evidence, including the US federal court decision" -> the court)."""
    out: list[str] = []

    def walk(tok):
        m = token_mention(tok, block, ctx)
        if m is not None and m.actor_id not in out:
            out.append(m.actor_id)
        for c in tok.children:
            if c.dep_ in _SKIP_IN_SUBJECT + ("conj", "cc") or (c.dep_ == "prep" and c.lower_ in _PLACE_PREPS):
                continue
            walk(c)

    walk(head)
    return out


def claimant_tokens(head) -> list:
    """The tokens of a claimant phrase: the head's subtree without relative clauses or
    participial modifiers ("the official, who is believed to ..., said")."""
    skip: set[int] = set()
    for t in head.subtree:
        if t.dep_ in _SKIP_IN_SUBJECT and t.head.i in {x.i for x in head.subtree} and t.i != head.i:
            skip.update(x.i for x in t.subtree)
    toks = [t for t in head.subtree if t.i not in skip]
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc",)):
        toks.pop()
    while toks and toks[0].is_punct:
        toks.pop(0)
    return toks


def _prior_claimant(head_lemma: str, before: int, unit_id: str, ctx: Context, same_head: bool) -> Claimant | None:
    """The claimant of the last attributed claim before ``before`` in the unit (with the same head
    noun when ``same_head``)."""
    for c in reversed(ctx.claims):
        if c.unit_id != unit_id or c.cue_start >= before or c.attribution == "author_voice":
            continue
        if same_head and c.claimant.head != head_lemma:
            continue
        if c.claimant.ids or c.claimant.anonymous:
            return c.claimant
    return None


def _issuer_of(noun: str, before: int, unit_id: str, ctx: Context) -> Claimant | None:
    """Who issued a text referred to as "the <noun>": the claimant of the last earlier claim in the
    unit whose sentence uses that noun ("... said in a statement" -> "The statement read"), else of
    the last earlier claim."""
    pattern = re.compile(r"\b" + re.escape(noun), re.IGNORECASE)
    for c in reversed(ctx.claims):
        if c.unit_id != unit_id or c.cue_start >= before or c.attribution == "author_voice":
            continue
        if ((c.claimant.ids or c.claimant.anonymous) and c.claimant.head != noun
                and pattern.search(ctx.text[c.sentence_start:c.sentence_end])):
            return c.claimant
    return _prior_claimant(noun, before, unit_id, ctx, same_head=False)


def role_holder(head, affiliation: Sequence[str], when: str = "") -> str:
    """The one registry person who holds this role in this organisation, on the document's date
    when it is known ("The Secretary-General of Hezbollah" in 2020 -> Hassan Nasrallah, in 2025 ->
    Naim Qassem), or "" when none or several do.

    Roles are structured registry data (``roles.csv``: actor, role, organisation, start, end), not
    parsed from descriptions. The role is the head noun with its compound and hyphenated parts,
    normalised ("Secretary-General" -> "secretary general"); the registry is domain knowledge, not gold.
    """
    from proxylens.actors import load_roles, normalise
    from proxylens.edtf import parse_edtf

    if len(affiliation) != 1:
        return ""
    words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "poss", "amod", "case")
             and not t.is_punct or (t.i <= head.i and t.text == "-")]
    words = [t for t in words if not t.ent_type_ or t.i == head.i]  # "Hezbollah Secretary-General": not "hezbollah"
    role = normalise("".join(t.text_with_ws for t in words).strip())
    if not role:
        return ""
    holders = [r for r in load_roles() if r.role == role and r.organisation_id == affiliation[0]]
    if when and len({r.actor_id for r in holders}) > 1:
        try:
            day = parse_edtf(when)
            holders = [r for r in holders if _held_on(r, day.earliest, day.latest)]
        except ValueError:
            pass
    ids = sorted({r.actor_id for r in holders})
    return ids[0] if len(ids) == 1 else ""


def _held_on(role, earliest, latest) -> bool:
    """Whether the role's [start, end] overlaps the days from ``earliest`` to ``latest``."""
    from proxylens.edtf import parse_edtf

    begins = parse_edtf(role.start).earliest if role.start else None
    ends = parse_edtf(role.end).latest if role.end else None
    return (begins is None or begins <= latest) and (ends is None or earliest <= ends)


def resolve_pronoun(pronoun, block, unit_id: str, ctx: Context) -> Claimant:
    """Resolve "he", "she", "they", "it" as a claimant.

    In order: the subject of the pronoun's own sentence, named before it ("Kaabi ... seemed more
    explicit when he said"); for he/she, the previous speaker of the unit when no person has been
    named since that speaker's claim began ("Trump said he met Abadi. He added ..." -> Trump);
    else the last fitting mention before the pronoun in the unit.
    """
    pos = block.start + pronoun.idx
    lemma = pronoun.lemma_.lower()
    want = "person" if pronoun.lower_ in lexicon("cues")["pronouns"]["person"] else "group"
    found = sentence_subject(pronoun, block, ctx, want)
    if found:
        return Claimant((found,), basis="pronoun_subject", head=lemma)
    if want == "person":
        prior = next((c for c in reversed(ctx.claims) if c.unit_id == unit_id and c.cue_start < pos
                      and c.attribution != "author_voice"), None)
        if prior is not None and prior.claimant.ids and all(
                kind_of(i, ctx) in PERSON_KINDS for i in prior.claimant.ids):
            # People named inside what the speaker said are the speaker's subject, not a new speaker.
            reported = [(c.start, c.end) for c in ctx.claims if c.claimant.ids == prior.claimant.ids]
            named_since = [m for m in ctx.mentions if min(prior.start, prior.cue_start) <= m.start < pos
                           and kind_of(m.actor_id, ctx, m) in PERSON_KINDS and m.actor_id not in prior.claimant.ids
                           and not _inside_quotation(m.start, ctx)
                           and not any(a <= m.start < b for a, b in reported)]
            if not named_since:
                return replace(prior.claimant, basis="pronoun_previous_speaker", text="", start=-1, end=-1,
                               head=lemma)
        topic = sentence_topic(pos, unit_id, ctx)
        if topic:
            return Claimant((topic,), basis="pronoun_topic", head=lemma)
    found = antecedent(want, pos, unit_id, ctx)
    return Claimant((found,) if found else (), basis="pronoun_antecedent" if found else "unresolved_pronoun",
                    head=lemma)


def resolve_head(head, block, unit_id: str, ctx: Context) -> Claimant:
    """Resolve one claimant head token to actor ids, with the basis of the decision.

    In order: a mention over the head; a pronoun's antecedent; a named appositive ("the Iranian
    official, Hussein Allahkaram"); a quantifier ("many consider") is anonymous; then by the head
    noun's class (:func:`noun_class`, one ``_resolve_<class>`` function each); any other phrase
    takes the actors mentioned inside it, and an unnamed indefinite one is anonymous.
    """
    pos = block.start + head.idx
    lemma = head.lemma_.lower()
    m = token_mention(head, block, ctx)
    if m is not None:
        return Claimant((m.actor_id,), basis="mention", head=lemma)
    pronouns = lexicon("cues")["pronouns"]
    if head.lower_ in pronouns["person"] or head.lower_ in pronouns["group"]:
        return resolve_pronoun(head, block, unit_id, ctx)
    for child in head.children:
        if child.dep_ == "appos":
            am = token_mention(child, block, ctx)
            if am is not None and kind_of(am.actor_id, ctx, am) in PERSON_KINDS:
                return Claimant((am.actor_id,), basis="appositive", head=lemma)
    named = titled_person(head, block, ctx)
    if named:
        return Claimant((named,), basis="title_name", head=lemma)
    if head.lower_ in lexicon("cues")["quantifier_subjects"] and head.pos_ in ("PRON", "DET", "ADJ"):
        return Claimant(head=lemma, anonymous=True, basis="unnamed")  # "many consider", "some say"
    cls = noun_class(head)
    base = Claimant(head=lemma, head_class=cls, affiliation=tuple(affiliation_of(head, block, ctx)))
    if cls in _CLASS_RESOLVERS:
        return _CLASS_RESOLVERS[cls](head, base, pos, unit_id, ctx)
    inside = tuple(phrase_mentions(head, block, ctx))
    if len(inside) > 1:
        # "Yemen's Houthi rebels": a state as possessor only places the actor the phrase names.
        owners = {token_mention(c, block, ctx).actor_id for c in head.subtree
                  if (c.dep_ == "poss" or any(g.dep_ == "case" for g in c.children))
                  and token_mention(c, block, ctx) is not None}
        kept = tuple(i for i in inside if not (i in owners and kind_of(i, ctx) == "state"))
        inside = kept or inside
    if inside:
        return replace(base, ids=inside, basis="subject_phrase")
    if head.pos_ == "PROPN":
        return replace(base, basis="unresolved_name")
    if _is_indefinite(head):
        # An unnamed plural or indefinite ("various Shia militias", "some analysts") names no one.
        return replace(base, anonymous=True, basis="unnamed")
    return replace(base, basis="unresolved")


def titled_person(head, block, ctx: Context) -> str:
    """The person a claimant phrase ends with, after a title or role: "US special envoy for Iran
    Robert Malley", "Hezbollah deputy leader Naim Qassem", "Treasury Secretary Steven Mnuchin"
    (however the parser attached the name), or ""."""
    toks = claimant_tokens(head)
    if not toks:
        return ""
    last = toks[-1]
    m = token_mention(last, block, ctx)
    if m is None or kind_of(m.actor_id, ctx, m) not in PERSON_KINDS:
        return ""
    phrase_end = block.start + last.idx + len(last.text)
    return m.actor_id if m.end >= phrase_end else ""


def _resolve_institution(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """"Bahraini authorities", "Tehran's rulers": the body stands for the actor it belongs to.

    A definite one with no owner ("the ministry said", "the department") points back: to the last
    actor named in the unit whose name holds the same noun ("the US Treasury Department"), else
    to the last claimant whose phrase had that head ("Iran's foreign ministry said ...").
    """
    if base.affiliation:
        return replace(base, ids=base.affiliation, basis="institution_of")
    if _is_definite(head, plural_ok=True):
        named = named_antecedent(base.head, pos, unit_id, ctx)
        if named:
            return replace(base, ids=(named,), basis="institution_antecedent")
        prior = _prior_claimant(base.head, pos, unit_id, ctx, same_head=True)
        if prior is not None:
            return replace(base, ids=prior.ids, anonymous=prior.anonymous, basis="institution_antecedent",
                           affiliation=prior.affiliation)
    return replace(base, basis="unresolved_institution")


def named_antecedent(noun: str, before: int, unit_id: str, ctx: Context) -> str:
    """The actor of the last mention before ``before`` in the unit whose words, or whose registry
    name, hold ``noun`` ("the department" -> "the Treasury Department"), or ""."""
    from proxylens.actors import load_registry, normalise

    if not noun:
        return ""
    names = load_registry().actors
    best = ""
    for m in _earlier_mentions(before, unit_id, ctx):
        words = set(normalise(m.text).split())
        if m.actor_id in names:
            words |= set(normalise(names[m.actor_id].name).split())
        if noun in words:
            best = m.actor_id
    return best


def _resolve_document(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """"The statement", "the documents": whoever issued them ("the Treasury designation": the Treasury)."""
    if _is_definite(head, plural_ok=True) and not base.affiliation:
        prior = _issuer_of(base.head, pos, unit_id, ctx)
        if prior is not None:
            return replace(base, ids=prior.ids, anonymous=prior.anonymous, basis="document_antecedent",
                           affiliation=prior.affiliation)
    if base.affiliation:
        return replace(base, ids=base.affiliation, basis="document_of")
    return replace(base, basis="document_unattributed")


def _resolve_press(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """Outlets: a named media actor; "the agency" the outlet named before with that noun; else
    anonymous ("Kuwaiti press", "Iranian media")."""
    media = tuple(a for a in base.affiliation if kind_of(a, ctx) == "media")
    if media:
        return replace(base, ids=media, basis="press_named")
    if _is_definite(head) and not base.affiliation:
        named = named_antecedent(base.head, pos, unit_id, ctx)
        if named:
            return replace(base, ids=(named,), basis="press_antecedent")
    return replace(base, anonymous=True, basis="anonymous_press")


def _resolve_role(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """A definite role ("the official", "the source", "the Secretary-General of X"): the last claimant
    of the unit with that role, the registry's holder of the role, the actor it belongs to, or the
    last person named; anonymous when none fits or the role is indefinite ("a source")."""
    # "Hezbollah Secretary-General", "Iran's foreign minister": a singular role named with its body is definite.
    premodified = any(c.dep_ in ("compound", "poss", "nmod") and token_mention(c, _block_of(c, ctx), ctx) is not None
                      for c in head.children)
    named_role = premodified and head.tag_ in ("NN", "NNP") and not _is_indefinite(head)
    if not _is_definite(head) and not named_role:
        return replace(base, anonymous=True, basis="anonymous")
    prior = _prior_claimant(base.head, pos, unit_id, ctx, same_head=True)
    if prior is not None:
        return replace(base, ids=prior.ids, anonymous=prior.anonymous, basis="role_antecedent",
                       affiliation=prior.affiliation or base.affiliation)
    holder = role_holder(head, base.affiliation, ctx.parsed.document.published)
    if holder:
        return replace(base, ids=(holder,), basis="role_holder")
    if base.affiliation:
        return replace(base, ids=base.affiliation, basis="role_affiliation")
    found = antecedent("person", pos, unit_id, ctx)
    if found:
        return replace(base, ids=(found,), basis="role_antecedent")
    return replace(base, anonymous=True, basis="anonymous_role")


def _resolve_anonymous(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """Unnamed people: "U.S. military officials", "Western experts"."""
    return replace(base, anonymous=True, basis="anonymous")


def _block_of(token, ctx: Context):
    """The parsed block whose spaCy doc holds ``token``."""
    return next(b for b in ctx.parsed.blocks if b.doc is token.doc)


def _resolve_group(head, base: Claimant, pos: int, unit_id: str, ctx: Context) -> Claimant:
    """A collective: "the jihadist group" points back to the last group named in the unit; "the
    Gulf states" names itself (unresolved when the registry lacks it); "an Iraqi militia" no one."""
    named = any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN" for c in head.children)
    if named and not base.affiliation:
        return replace(base, basis="unresolved_group")
    # "Yemen's Houthi group", "the Houthi movement": the group its name-word names, not the place it is in.
    own = [m.actor_id for c in head.children if c.dep_ in ("compound", "amod")
           for m in [token_mention(c, _block_of(c, ctx), ctx)]
           if m is not None and kind_of(m.actor_id, ctx, m) not in ("state",)]
    if own:
        return replace(base, ids=tuple(dict.fromkeys(own)), basis="named_group")
    if _is_definite(head) and not named:
        found = antecedent("group", pos, unit_id, ctx)
        if found:
            return replace(base, ids=(found,), basis="group_antecedent")
        return replace(base, ids=base.affiliation, basis="group_of" if base.affiliation else "unresolved_group")
    return replace(base, anonymous=True, basis="unnamed_group")


_CLASS_RESOLVERS = {
    "institution": _resolve_institution, "document": _resolve_document, "press": _resolve_press,
    "role": _resolve_role, "anonymous": _resolve_anonymous, "group": _resolve_group,
}


def resolve_claimant(head, block, unit_id: str, ctx: Context) -> Claimant:
    """Resolve a claimant phrase (its head token) and its coordinated heads ("Washington and Riyadh").

    The claim is anonymous only when no coordinated head resolves to an actor and at least one is
    anonymous. ``text`` and offsets cover the phrase without relative clauses.
    """
    heads = [head] + [c for c in head.conjuncts if c.i > head.i and c.pos_ in ("NOUN", "PROPN", "PRON")]
    parts = [resolve_head(h, block, unit_id, ctx) for h in heads]
    ids = _unique(i for p in parts for i in p.ids)
    affiliation = _unique(a for p in parts for a in p.affiliation)
    anonymous = not ids and any(p.anonymous for p in parts)
    toks = claimant_tokens(head)
    start = block.start + toks[0].idx if toks else -1
    end = block.start + toks[-1].idx + len(toks[-1].text) if toks else -1
    text = ctx.text[start:end] if toks else ""
    first = parts[0]
    basis = first.basis if first.ids or first.anonymous or len(parts) == 1 else next(
        (p.basis for p in parts if p.ids), first.basis)
    return Claimant(ids, text, start, end, basis, anonymous, affiliation, first.head, first.head_class)


def anonymous_claimant(basis: str) -> Claimant:
    """A claimant for a statement nobody is named for ("it is alleged that", "there are accusations that")."""
    return Claimant(basis=basis, anonymous=True)


# ---------------------------------------------------------------- cues


def subject_of(verb, depth: int = 0):
    """The subject of a cue verb: its nsubj; for a relative clause, the noun it modifies; for a
    participle, conjunct or infinitive without a subject, its governing verb's subject
    ("... and noted that", "he said, noting that", "continue to support the claim")."""
    cues = lexicon("cues")
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    rel = [c for c in subjects if c.lower_ in cues["relative_pronouns"]]
    quant = [c for c in subjects if c.lower_ in cues["quantifier_subjects"] and c.pos_ in ("PRON", "DET", "ADJ")]
    nouns = [c for c in subjects if c not in rel and c not in quant]
    if len(nouns) > 1:
        # "SANAA, Jan. 19 – Yemen's Houthi group ... claimed": a dateline the parser took for a
        # second subject; the subject nearest before the verb is the real one.
        before = [c for c in nouns if c.i < verb.i]
        nouns = [before[-1]] if before else nouns
    if nouns:
        return None if nouns[0].lower_ == "there" else nouns[0]
    if quant and rel:
        return quant[0]  # "who many consider": "many" is the subject, "who" the object
    if (quant or rel) and verb.dep_ == "relcl":
        # "militias that voiced": the relative pronoun stands for the noun; so does a floating
        # quantifier the parser took for the subject ("the statement both eulogizes").
        return verb.head
    if quant:
        return quant[0]
    inherits = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
    if depth < 3 and inherits and verb.head.i != verb.i:
        return subject_of(verb.head, depth + 1)
    # "started a campaign to fix the deal": an infinitive on the object shares the governing verb's subject.
    if (depth < 3 and verb.dep_ == "acl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
            and verb.head.dep_ in ("dobj", "attr") and verb.head.head.pos_ in ("VERB", "AUX")):
        return subject_of(verb.head.head, depth + 1)
    return None


def agent_of(verb):
    """The agent of a passive verb ("revealed by a source" -> source), or None."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def is_passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def complement(verb, kinds: Sequence[str]) -> tuple[int, int] | None:
    """Token bounds ``(first, last)`` of the part of the sentence a cue verb reports, tried in the
    order of ``kinds``: a clausal complement (also one before the verb, as in "..., officials
    told X"), a to-infinitive, a noun object with its own prepositional tail ("accuse X of Y"),
    a predicate after "as"; for a speech verb hanging off another clause ("..., said Trump"),
    that clause before it. None when the verb reports nothing.
    """
    children = list(verb.children)
    picks = []
    for kind in kinds:
        if kind == "ccomp":
            # A reported clause is finite ("deny X the resources to plan" reports nothing), except
            # after verbs of belief ("considers Baghouz to be ...").
            infinitive_ok = verb.lemma_.lower() in lexicon("cues")["infinitive_ccomp"]
            picks = [c for c in children if c.dep_ == "ccomp" and (infinitive_ok or not any(
                g.dep_ == "aux" and g.tag_ == "TO" for g in c.children))]
        elif kind == "xcomp":
            picks = [c for c in children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
            if not picks and is_passive(verb):
                # "was thought ... to have been killed": the parser may call the infinitive an advcl.
                picks = [c for c in children if c.dep_ == "advcl" and c.pos_ in ("VERB", "AUX")
                         and any(g.dep_ == "aux" and g.tag_ == "TO" for g in c.children)]
        elif kind == "oprd":
            objects = [c for c in children if c.dep_ == "dobj"]
            predicates = [c for c in children if c.dep_ == "oprd"]
            picks = objects + predicates if objects and predicates else []
        elif kind == "dobj":
            preps = lexicon("cues")["object_preps"].get(verb.lemma_.lower(), [])
            picks = [c for c in children if c.dep_ == "dobj" and c.pos_ != "PRON"]
            if picks:
                picks += [c for c in children if c.dep_ == "prep" and c.lower_ in preps]
        elif kind == "as":
            picks = [c for c in children if c.dep_ == "prep" and c.lower_ == "as"]
        elif kind.startswith("designation:"):
            preps = kind.split(":", 1)[1].split(",")
            objects = [c for c in children if c.dep_ == "dobj"]
            tails = [c for c in children if c.dep_ in ("prep", "dative") and c.lower_ in preps]
            picks = objects + tails if objects and tails else []
        if picks:
            return min(p.left_edge.i for p in picks), max(p.right_edge.i for p in picks)
    if "ccomp" in kinds:
        clause = _misattached_that_clause(verb)
        if clause is not None:
            return clause.left_edge.i, clause.right_edge.i
    if "ccomp" in kinds and verb.dep_ == "parataxis" and verb.head.i < verb.i:
        first, last = verb.head.left_edge.i, verb.left_edge.i - 1
        return (first, last) if last >= first else None
    return None


def _misattached_that_clause(verb):
    """A that-clause the parser hung on a noun after the verb ("admitted in a video that he has ties":
    a relative clause whose "that" is a complementiser, not its subject or object), or None."""
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in (c for c in pobj.children if c.dep_ in ("relcl", "acl")):
                first = clause.left_edge
                if first.lower_ == "that" and first.dep_ == "mark" and any(
                        g.dep_ == "nsubj" for g in clause.children):
                    return clause
    return None


def _trim(span) -> tuple[int, int] | None:
    """Token bounds of ``span`` without a leading "that" or punctuation (quotation marks stay) and
    without trailing commas, colons, dashes or a full stop; None when fewer than two tokens remain."""
    toks = list(span)
    while toks and (toks[0].is_space or (toks[0].is_punct and toks[0].text not in QUOTE_MARKS)
                    or (toks[0].lower_ in ("that",) and toks[0].dep_ in ("mark", "dobj"))):
        toks.pop(0)
    while toks and (toks[-1].is_space or toks[-1].text in (",", ";", ":", "—", "–", "-", ".")):
        toks.pop()
    if len(toks) < 2:
        return None
    return toks[0].i, toks[-1].i


def _char_bounds(doc, first: int, last: int, block) -> tuple[int, int]:
    return block.start + doc[first].idx, block.start + doc[last].idx + len(doc[last].text)


def _sentence_bounds(start: int, end: int, ctx: Context) -> tuple[int, int]:
    """File offsets of the sentences that ``[start, end)`` touches."""
    touched = ctx.sentences_touching(start, end)
    if not touched:
        return start, end
    return min(s.start for s in touched), max(s.end for s in touched)


def _attribution(start: int, end: int, claimant: Claimant, ctx: Context) -> str:
    if claimant.anonymous:
        return "anonymous"
    share = quoted_chars(start, end, ctx.quotations) / max(end - start, 1)
    return "direct_quote" if share >= DIRECT_QUOTE_SHARE else "indirect"


def make_claim(sent: Sentence, first: int, last: int, claimant: Claimant, cue_tokens, ctx: Context,
               cue_lemma: str) -> Claim | None:
    """A claim over tokens ``first..last`` of the sentence's doc, widened to whole quotations."""
    doc = sent.span.doc
    bounds = _trim(doc[first:last + 1])
    if bounds is None:
        return None
    start, end = _char_bounds(doc, bounds[0], bounds[1], sent.block)
    cue_start = sent.block.start + cue_tokens[0].idx
    # A report inside a quotation stays inside it: only quotations that do not hold the cue widen the claim.
    outside = [q for q in ctx.quotations if not q.start <= cue_start < q.end]
    start, end = extend_to_quotations(start, end, outside)
    cue_end = sent.block.start + cue_tokens[-1].idx + len(cue_tokens[-1].text)
    s_start, s_end = _sentence_bounds(min(start, cue_start), max(end, cue_end), ctx)
    return Claim(
        source_id=ctx.parsed.document.source_id, unit_id=sent.block.unit_id, start=start, end=end,
        text=ctx.text[start:end], claimant=claimant, cue=ctx.text[cue_start:cue_end], cue_start=cue_start,
        cue_end=cue_end, attribution=_attribution(start, end, claimant, ctx), sentence_start=s_start,
        sentence_end=s_end, cue_lemma=cue_lemma,
    )


def _is_source_subject(head, claimant: Claimant, ctx: Context) -> bool:
    """Whether a subject is a text, a body of evidence or a court (for "the report shows", "the court found")."""
    if claimant.head_class in ("document", "evidence"):
        return True
    return any(kind_of(i, ctx) in lexicon("evidence")["court_kinds"] for i in claimant.ids)


def verb_claim(verb, sent: Sentence, ctx: Context) -> Claim | None:
    """The claim a cue verb makes, or None when it has no claimant or reports nothing."""
    cues = lexicon("cues")
    lemma = verb.lemma_.lower()
    kinds = cues["verbs"].get(lemma, [])
    unit_id = sent.block.unit_id
    if any(c.dep_ == "neg" for c in verb.children) or token_mention(verb, sent.block, ctx) is not None:
        return None  # "did not believe" attributes nothing; "Said Qasemi" is a name
    if lemma in cues["designation_verbs"] and _designation_context(sent, ctx):
        preps = ",".join(cues["designation_verbs"][lemma])
        kinds = [f"designation:{preps}"] + [k for k in kinds if k != "dobj"]
    first_token = None
    if lemma in cues["passive_speech"]:
        return quoted_as_saying(verb, sent, ctx)
    if lemma in cues["passive"] and (is_passive(verb) or _headline_passive(verb)):
        # "X is said to be ...", headline "X said to be ...": what the passive reports includes
        # its infinitive, whatever the verb's active complements are.
        kinds = list(dict.fromkeys([*kinds, "xcomp"]))
    if _headline_passive(verb) and lemma in cues["passive"]:
        claimant = anonymous_claimant("agentless_passive")
        bounds = complement(verb, ["xcomp"])
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if bounds is None or subject is None:
            return None
        return make_claim(sent, subject.left_edge.i, bounds[1], claimant, [verb], ctx, lemma)
    if is_passive(verb):
        agent = agent_of(verb)
        if agent is not None:
            claimant = resolve_claimant(agent, sent.block, unit_id, ctx)
        elif lemma in cues["passive"]:
            claimant = passive_issuer(verb, sent, ctx) or anonymous_claimant("agentless_passive")
            first_token = _passive_topic(verb)
        else:
            return None
    else:
        subject = subject_of(verb)
        if subject is None:
            return None
        claimant = resolve_claimant(subject, sent.block, unit_id, ctx)
        if lemma in cues["source_subject_only"] and not _is_source_subject(subject, claimant, ctx):
            return None
        if claimant.basis == "unresolved":
            return None  # a common noun outside the lexicon ("this alliance explains") is no speaker
    bounds = complement(verb, kinds)
    if bounds is None and "quote" in kinds and not _inside_quotation(sent.block.start + verb.idx, ctx):
        bounds = adjacent_quotation(verb, sent, ctx)
    if bounds is None:
        return None
    if first_token is not None and first_token.i < bounds[0] and "xcomp" in kinds:
        # "X, who is believed to be Y": what is believed is about X, so the claim starts there.
        bounds = (first_token.left_edge.i, bounds[1])
    return make_claim(sent, bounds[0], bounds[1], claimant, [verb], ctx, lemma)


def quoted_as_saying(verb, sent: Sentence, ctx: Context) -> Claim | None:
    """"X was quoted as saying (that) ...": the claim is what "saying" reports, and X its claimant."""
    if not is_passive(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    saying = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj") and c.lemma_.lower() in
                   lexicon("cues")["verbs"]), None) if prep is not None else None
    if subject is None or saying is None:
        return None
    bounds = complement(saying, lexicon("cues")["verbs"][saying.lemma_.lower()])
    if bounds is None:
        bounds = adjacent_quotation(saying, sent, ctx)
    if bounds is None:
        return None
    claimant = resolve_claimant(subject, sent.block, sent.block.unit_id, ctx)
    return make_claim(sent, bounds[0], bounds[1], claimant, [verb, prep, saying], ctx, "quote")


def _headline_passive(verb) -> bool:
    """"Leaders said to be working in Iran": a headline's passive without "are", which the parser
    reads as an active verb with an infinitive and no auxiliary or object."""
    kids = list(verb.children)
    subject = next((c for c in kids if c.dep_ == "nsubj"), None)
    if (verb.tag_ not in ("VBD", "VBN") or verb.lemma_.lower() == "claim" or subject is None
            or subject.pos_ == "PRON" or any(c.dep_ in ("aux", "auxpass", "dobj", "ccomp") for c in kids)):
        return False  # "they claimed to oppose" is active: only "to be"/"to have" infinitives read as passive

    def passive_infinitive(c) -> bool:
        words = [g for g in c.children if g.dep_ in ("aux", "auxpass")]
        return any(g.tag_ == "TO" for g in words) and (
            c.lemma_ in ("be", "have") or any(g.lemma_ in ("be", "have") for g in words))

    return any(c.dep_ == "xcomp" and passive_infinitive(c) for c in kids)


def _designation_context(sent: Sentence, ctx: Context) -> bool:
    """Whether the sentence uses designation wording (a listing verb then reports a designation)."""
    return bool(_stems_in(ctx.text[sent.start:sent.end], lexicon("evidence")["designation_words"]))


def _passive_topic(verb):
    """The noun a passive cue is about: its subject, or the noun a relative clause hangs on."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is not None and subj.lower_ in lexicon("cues")["relative_pronouns"] and verb.dep_ == "relcl":
        return verb.head
    return subj


def passive_issuer(verb, sent: Sentence, ctx: Context) -> Claimant | None:
    """Who stands behind an agentless passive cue: a text named earlier in the sentence together
    with its issuer ("the Treasury designation ... Hezbollah, which is described as ..."), or None."""
    for tok in sent.span:
        if tok.i >= verb.i:
            break
        if tok.pos_ == "NOUN" and noun_class(tok) == "document":
            issuers = tuple(affiliation_of(tok, sent.block, ctx))
            if issuers:
                return Claimant(issuers, ctx.text[sent.block.start + tok.left_edge.idx:
                                                  sent.block.start + tok.idx + len(tok.text)],
                                basis="passive_document_issuer", head=tok.lemma_.lower(), head_class="document")
    return None


def adjacent_quotation(verb, sent: Sentence, ctx: Context) -> tuple[int, int] | None:
    """Token bounds of a statement-length quotation in the cue's sentence (``X said: “...”``)."""
    doc = sent.span.doc
    for q in ctx.quotations:
        if q.words < MIN_STATEMENT_WORDS or not (sent.start <= q.start < sent.end):
            continue
        span = doc.char_span(q.start - sent.block.start, min(q.end, sent.block.end) - sent.block.start,
                             alignment_mode="expand")
        if span is not None and verb.i not in range(span.start, span.end):
            return span.start, span.end - 1
    return None


def according_claim(token, sent: Sentence, ctx: Context) -> Claim | None:
    """The claim of "according to X, ...": the rest of the sentence, attributed to X."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    claimant = resolve_claimant(pobj, sent.block, sent.block.unit_id, ctx)
    phrase_first, phrase_last = token.i, max(pobj.right_edge.i, nxt.i)
    s_first, s_last = sent.span.start, sent.span.end - 1
    if phrase_first - s_first <= 3:  # the phrase opens the sentence (perhaps after "Meanwhile,")
        first, last = phrase_last + 1, s_last
    elif s_last - phrase_last <= 1:  # it closes it
        first, last = s_first, phrase_first - 1
    else:
        first, last = s_first, s_last
    if last < first:
        return None
    return make_claim(sent, first, last, claimant, [token, nxt], ctx, "according to")


def noun_claim(noun, sent: Sentence, ctx: Context) -> Claim | None:
    """The claim of a claim noun with a that-clause ("the claim that ...", "accusations that ...").

    The claimant is the noun's possessor or "by" agent, else the subject of the verb that governs
    the noun ("analysts continue to support the claim that"), else nobody (anonymous).
    """
    clause = next(
        (c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX")
         and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)),
        None,
    )
    if clause is None:
        return None
    unit_id = sent.block.unit_id
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        holder = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
    if holder is None and noun.dep_ in ("dobj", "attr", "nsubj") and noun.head.pos_ in ("VERB", "AUX"):
        holder = subject_of(noun.head) if noun.dep_ == "dobj" else None
    if holder is not None:
        claimant = resolve_claimant(holder, sent.block, unit_id, ctx)
    else:
        claimant = anonymous_claimant("unattributed_noun")
    return make_claim(sent, clause.left_edge.i, clause.right_edge.i, claimant, [noun], ctx, noun.lemma_.lower())


def sentence_claims(sent: Sentence, ctx: Context) -> list[Claim]:
    """Every attributed claim whose cue lies in the sentence, in the order of the cues."""
    cues = lexicon("cues")
    out: list[Claim] = []
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        claim = None
        if tok.pos_ in ("VERB", "AUX") and (lemma in cues["verbs"] or lemma in cues["designation_verbs"]):
            claim = verb_claim(tok, sent, ctx)
        elif tok.lower_ in cues["according_to"]:
            claim = according_claim(tok, sent, ctx)
        elif tok.pos_ == "NOUN" and lemma in cues["nouns"]:
            claim = noun_claim(tok, sent, ctx)
        if claim is not None:
            out.append(claim)
            ctx.claims.append(claim)
    return out


# ---------------------------------------------------------------- quotations without a cue


def continuation_claims(ctx: Context) -> list[Claim]:
    """Claims for statement-length quotations that no claim covers, spoken by the speaker of the
    speech claim just before them in the same unit ("..., said Trump. “The IRGC is ...”").

    The earlier claims are indexed (by start, and per unit by end), so the work grows with the
    document's length, not with its square. Quotations come in reading order and never overlap.
    """
    out: list[Claim] = []
    # The claims found before: by start, with the furthest end reached by any claim up to each.
    by_start = sorted(ctx.claims, key=lambda c: c.start)
    starts = [c.start for c in by_start]
    reach = list(accumulate((c.end for c in by_start), max))
    # Their speech claims, per unit, by end, each with its place in ctx.claims (the later place speaks).
    speech: dict[str, tuple[list[int], list[int]]] = {}
    for place, c in sorted(enumerate(ctx.claims), key=lambda pc: pc[1].end):
        if c.attribution != "author_voice":
            ends, places = speech.setdefault(c.unit_id, ([], []))
            ends.append(c.end)
            places.append(place)
    # The claims made here start before every later quotation, so one overlaps a quotation exactly
    # when it reaches past the quotation's start; per unit, the last of them ends nearest.
    out_reach = -1
    last_out: dict[str, Claim] = {}
    for q in ctx.quotations:
        if q.words < MIN_STATEMENT_WORDS:
            continue
        before = bisect_left(starts, q.end)
        if (before and reach[before - 1] > q.start) or out_reach > q.start:
            continue
        sent = ctx.sentence_at(q.start + 1)
        if sent is None or sent.block.boilerplate:
            continue
        unit_id = sent.block.unit_id
        speaker = last_out.get(unit_id)
        if speaker is None or q.start - speaker.end > CONTINUATION_CHARS:
            ends, places = speech.get(unit_id, ([], []))
            near = places[bisect_left(ends, q.start - CONTINUATION_CHARS):bisect_right(ends, q.start)]
            if not near:
                continue
            speaker = ctx.claims[max(near)]
        start, end = min(sent.start, q.start), max(q.end, min(sent.end, q.end))
        start, end = extend_to_quotations(start, end, ctx.quotations)
        claimant = replace(speaker.claimant, basis="quote_continuation")
        s_start, s_end = _sentence_bounds(start, end, ctx)
        claim = Claim(
            source_id=speaker.source_id, unit_id=speaker.unit_id, start=start, end=end, text=ctx.text[start:end],
            claimant=claimant, cue=speaker.cue, cue_start=speaker.cue_start, cue_end=speaker.cue_end,
            attribution=_attribution(start, end, claimant, ctx), sentence_start=s_start, sentence_end=s_end,
            cue_lemma=speaker.cue_lemma,
        )
        out.append(claim)
        out_reach = max(out_reach, claim.end)
        if claim.attribution != "author_voice":
            last_out[claim.unit_id] = claim
    return out


# ---------------------------------------------------------------- author voice


def _stems_in(text: str, stems: Iterable[str]) -> list[str]:
    """The stems that begin a word of ``text`` (case-insensitive)."""
    low = text.lower()
    return [s for s in stems if re.search(r"(?<![\w-])" + re.escape(s.lower()), low)]


def main_verb(sent: Sentence, ctx: Context):
    """The sentence's main verb: its root, unless the parser took a name for the root ("Said Qasemi"
    read as "said"), then the root's first verbal complement or conjunct."""
    root = sent.span.root
    if token_mention(root, sent.block, ctx) is None:
        return root
    return next((c for c in root.children if c.dep_ in ("ccomp", "conj", "xcomp") and c.pos_ in ("VERB", "AUX")),
                root)


def is_attributed(sent: Sentence, ctx: Context) -> bool:
    """Whether an attributed claim takes up the sentence: its main verb is a cue or lies in a claim's content."""
    verb = main_verb(sent, ctx)
    pos = sent.block.start + verb.idx
    return any(
        c.cue_start <= pos < c.cue_end or c.start <= pos < c.end
        for c in ctx.claims if c.attribution != "author_voice"
    )


def _names_an_actor_by_role(sent: Sentence) -> bool:
    """A subject that is a role, institution or group noun ("the official", "the militia")."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and noun_class(t) in ("role", "anonymous", "institution", "group")
               for t in sent.span)


def author_voice_claims(ctx: Context) -> list[Claim]:
    """The outlet's own check-worthy assertions, one per sentence.

    A sentence qualifies when it is not boilerplate, not inside a quotation, no attributed claim
    takes up its main verb (:func:`is_attributed`), it has a verb, and either it names an actor
    (a resolved mention) or it hedges or boosts a statement about a role, institution or group
    ("The official reportedly tweeted ..."). Headlines count like sentences. The loaded terms of
    ``claims_evidence.json`` are not required: they are reported in no column, but an actor
    mention with a verb already makes a statement about that actor check-worthy.
    """
    out: list[Claim] = []
    for sent in ctx.sentences:
        if sent.block.boilerplate or sent.end - sent.start < 15:
            continue
        quoted = ctx.quotation_at(sent.start)
        if (quoted is not None and sent.end <= quoted.end) or is_attributed(sent, ctx):
            continue
        if not any(t.pos_ in ("VERB", "AUX") and token_mention(t, sent.block, ctx) is None for t in sent.span):
            continue
        first = bisect_left(ctx.mention_starts, sent.start)
        named = first < len(ctx.mentions) and ctx.mention_starts[first] < sent.end
        marked = bool(markers(sent.span, "boosters") or markers(sent.span, "hedges"))
        if not (named or (marked and _names_an_actor_by_role(sent))):
            continue
        claimant = Claimant(text=ctx.parsed.document.outlet, basis="author")
        out.append(Claim(
            source_id=ctx.parsed.document.source_id, unit_id=sent.block.unit_id, start=sent.start, end=sent.end,
            text=ctx.text[sent.start:sent.end], claimant=claimant, cue="", cue_start=sent.start,
            cue_end=sent.start, attribution="author_voice", sentence_start=sent.start, sentence_end=sent.end,
        ))
    return out


# ---------------------------------------------------------------- evidence types


def _official_person(actor_id: str, claimant_text: str) -> bool:
    """Whether a person speaks as an official: an official role in the claimant phrase ("Secretary of
    State Mike Pompeo") or among the registry's roles of them (``roles.csv``: "president" of a state)."""
    from proxylens.actors import load_roles

    roles = lexicon("evidence")["official_roles"]
    held = "; ".join(r.role for r in load_roles() if r.actor_id == actor_id)
    return bool(_stems_in(claimant_text, roles) or _stems_in(held, roles))


def evidence_type(claim: Claim, ctx: Context) -> str:
    """The kind of evidence a claim rests on, by the first rule of ``claims_evidence.json`` "order" that fits.

    court_ruling: a court or ruling is the claimant or in the claimant phrase; document_release: a
    released text speaks ("the documents show", "according to the report", "published documents,
    revealing"); anonymous_officials: unnamed officials or sources; press_report: outlets ("according
    to Kuwaiti press", "Iranian media reported"); designation_notice: designation or sanction wording
    from a claimant that is not an armed group; interview_or_video: said in a video, interview, tweet
    or speech, or a named person who holds no official role speaks (their words reach the press
    through an interview, speech, video or post); group_claim: an armed group, or someone unnamed
    on its behalf, speaks; official_statement: a state, agency or official speaks; none_given
    otherwise and for the author's own voice.
    """
    if claim.attribution == "author_voice":
        return "none_given"
    ev = lexicon("evidence")
    nouns = lexicon("cues")["claimant_nouns"]
    who = claim.claimant
    kinds = {kind_of(i, ctx) for i in who.ids}
    aff_kinds = {kind_of(i, ctx) for i in who.affiliation}
    persons = [i for i in who.ids if kind_of(i, ctx) in PERSON_KINDS]
    official_person = any(_official_person(i, who.text) for i in persons)
    sentence = ctx.text[claim.sentence_start:claim.sentence_end]
    frame = ctx.text[min(claim.frame()[0], claim.sentence_start):claim.sentence_end]
    release_nouns = [n for n in nouns["document"] if n not in (
        "statement", "release", "message", "video", "recording", "footage", "designation", "listing", "notice", "note")]
    release_cue = claim.cue_lemma in ("reveal", "show", "disclose", "publish", "release", "according to")
    tests = {
        "court_ruling": bool(kinds & set(ev["court_kinds"])) or bool(_stems_in(who.text, ev["court_words"])),
        "document_release": who.head in release_nouns or (release_cue and bool(_stems_in(sentence, release_nouns))),
        "anonymous_officials": claim.attribution == "anonymous" and who.head in (
            "official", "source", "diplomat", "officer", "spokesman", "spokesperson", "insider"),
        "press_report": who.head_class == "press" or bool(kinds & set(ev["media_kinds"])),
        "designation_notice": bool(_stems_in(sentence, ev["designation_words"])) and not (
            kinds & set(ev["group_kinds"])),
        "interview_or_video": bool(_stems_in(frame, ev["video_words"])) or bool(persons and not official_person),
        "group_claim": bool(kinds & set(ev["group_kinds"])) or (not persons and bool(aff_kinds & set(ev["group_kinds"])))
        or (not who.ids and bool(_stems_in(who.text, ev["group_words"]))),
        "official_statement": official_person or (not persons and bool((kinds | aff_kinds) & set(ev["official_kinds"])))
        or (not who.ids and bool(_stems_in(who.text, ev["official_roles"]))),
    }
    return next((t for t in ev["order"] if tests.get(t, t == "none_given")), "none_given")


# ---------------------------------------------------------------- the stage


def document_sentences(parsed) -> list[Sentence]:
    """Every sentence of every block of a parsed document, with file offsets, in reading order."""
    out = []
    for b in parsed.blocks:
        for s in b.doc.sents:
            text = s.text
            if not text.strip():
                continue
            lead = len(text) - len(text.lstrip())
            start = b.start + s.start_char + lead
            out.append(Sentence(s, b, start, start + len(text.strip())))
    return out


# Unregistered names that can speak: people and organisations the NER found (not places).
_SPEAKER_METHODS = ("ner:PERSON", "ner:ORG", "surname_unresolved")
_NEW_KINDS = {"ner:PERSON": "person", "surname_unresolved": "person", "ner:ORG": "organisation"}


def _identified(mentions) -> list:
    """Mentions with an identity: registry-resolved ones, and unregistered people and organisations
    under their ``cluster_id`` ("new:lloyd-austin"), so an unknown speaker is still someone."""
    out = []
    for m in mentions:
        if m.actor_id:
            out.append(m)
        elif getattr(m, "cluster_id", "") and getattr(m, "method", "") in _SPEAKER_METHODS:
            out.append(replace(m, actor_id=m.cluster_id) if is_dataclass(m) else
                       SimpleNamespace(**{**vars(m), "actor_id": m.cluster_id}))
    return out


def make_context(parsed, mentions=None, kinds: dict[str, str] | None = None) -> Context:
    """Collect what claim finding needs: resolved mentions, actor kinds, quotations, sentences.

    ``mentions`` defaults to :func:`proxylens.actors.find_mentions` of the document; pass a list
    of mention-like objects (``start``, ``end``, ``text``, ``actor_id``) to use others. ``kinds``
    (actor id -> kind) defaults to the registry's.
    """
    if mentions is None:
        from proxylens.actors import find_mentions

        mentions = find_mentions(parsed)
    resolved = sorted(_identified(mentions), key=lambda m: (m.start, m.end))
    quotations = []
    for u in parsed.units:
        quotations.extend(find_quotations(parsed.document.text, u.start, u.end))
    kinds = dict(actor_kinds() if kinds is None else kinds)
    for m in mentions:  # an unregistered name's kind, from how it was found
        cid = getattr(m, "cluster_id", "")
        if cid.startswith("new:") and cid not in kinds and getattr(m, "method", "") in _NEW_KINDS:
            kinds[cid] = _NEW_KINDS[m.method]
    return Context(parsed, resolved, kinds, quotations, document_sentences(parsed))


def _finish(claim: Claim, ctx: Context) -> Claim:
    """Fill hedges, boosters and evidence type from the claim's sentences."""
    hedges: list[str] = []
    boosters: list[str] = []
    for s in ctx.sentences_touching(claim.sentence_start, claim.sentence_end):
        hedges += [t for _, t in markers(s.span, "hedges")]
        boosters += [t for _, t in markers(s.span, "boosters")]
    claim.hedges = _unique(hedges)
    claim.boosters = _unique(boosters)
    claim.evidence_type = evidence_type(claim, ctx)
    return claim


_SIGNATURE = re.compile(r"^[—–-]\s*\S")


def signed(ctx: Context, claims: list[Claim]) -> list[Claim]:
    """A paragraph signed on the next line ("— Secretary Antony Blinken (@SecBlinken) May 25, 2022",
    as embedded posts and statements are) is its signer's text: its author-voice claims become
    the signer's direct quotations. The signer is the first actor named on the signature line."""
    blocks = [b for b in ctx.parsed.blocks if not b.boilerplate]
    signers: dict[int, tuple] = {}  # start of the signed block -> (mention, signature block)
    for prev, b in pairwise(blocks):
        line = ctx.text[b.start:b.end]
        if not _SIGNATURE.match(line):
            continue
        first = next((m for m in ctx.mentions if b.start <= m.start < min(b.end, b.start + 80)), None)
        if first is not None:
            signers[prev.start] = (first, b)
    if not signers:
        return claims
    out = []
    for c in claims:
        block = next((b for b in blocks if b.start <= c.start < b.end), None)
        if c.attribution == "author_voice" and block is not None and block.start in signers:
            m, sig = signers[block.start]
            who = Claimant((m.actor_id,), m.text, m.start, m.end, "signature_line")
            c = replace(c, claimant=who, attribution="direct_quote", cue=ctx.text[sig.start:sig.start + 1],
                        cue_start=sig.start, cue_end=sig.start + 1, cue_lemma="signature")
        out.append(c)
    return out


def hearsay(claim: Claim, ctx: Context) -> Claim:
    """An outlet's sentence that says what it states is only reported ("X reportedly retrieved the
    bodies", "was allegedly killed") passes on an unnamed source's claim: anonymous, with the
    adverb as its cue. Other author-voice claims are returned unchanged."""
    if claim.attribution != "author_voice":
        return claim
    adverbs = set(lexicon("cues")["hearsay_adverbs"])
    s = ctx.sentence_at(claim.start)
    if s is not None:
        for tok in s.span:
            if tok.lower_ in adverbs and not _inside_quotation(s.block.start + tok.idx, ctx):
                start = s.block.start + tok.idx
                return replace(claim, claimant=anonymous_claimant("hearsay_adverb"), attribution="anonymous",
                               cue=tok.text, cue_start=start, cue_end=start + len(tok.text), cue_lemma=tok.lower_)
    return claim


def find_claims(parsed, mentions=None, kinds: dict[str, str] | None = None) -> list[Claim]:
    """Every claim of a parsed document, sorted by start (then end, then cue position).

    ``mentions`` and ``kinds`` as in :func:`make_context`. Boilerplate blocks (navigation,
    captions, related links, comment forms) are skipped.
    """
    ctx = make_context(parsed, mentions, kinds)
    for sent in ctx.sentences:
        if not sent.block.boilerplate:
            sentence_claims(sent, ctx)
    ctx.claims.extend(continuation_claims(ctx))
    ctx.claims.extend(signed(ctx, [hearsay(c, ctx) for c in author_voice_claims(ctx)]))
    seen: set[tuple] = set()
    out = []
    for c in sorted(ctx.claims, key=lambda c: (c.start, c.end, c.cue_start, c.attribution)):
        key = (c.start, c.end, c.cue_start, c.claimant.ids)
        if key in seen:
            continue
        seen.add(key)
        out.append(_finish(c, ctx))
    return out


def claim_rows(parsed, mentions=None, kinds: dict[str, str] | None = None) -> Iterator[tuple[str, dict]]:
    """Rows of ``claims.csv`` for one parsed document, sorted by start (arguments as in :func:`find_claims`)."""
    for claim in find_claims(parsed, mentions, kinds):
        yield "claims.csv", claim.row()
