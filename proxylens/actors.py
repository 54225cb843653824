"""Stage 2: actor mentions, from the curated registry (a gazetteer) and statistical NER.

A *mention* is a span of a document's text that names an actor: a name, surname, acronym,
misspelling, translation or epithet; a country name used as place, agent or premodifier
("US troops" -> "US"); a demonym with a government noun ("the Iraqi government" -> Iraq); a
capital city standing for its state ("Tehran said") but not the city as a place ("in Tehran").
Leading "the", possessive "'s" and titles ("President") stay outside the span.

How mentions are found, per document:

1. *Gazetteer.* Every alias of the registry (``data/curated/actors.csv`` + ``aliases.csv``, read
   once per process) is normalised to a token sequence (:func:`norm_tokens`: case, quotes and
   apostrophes, hyphens, diacritics, the "al-"/"el-" particle, possessives) and added to a spaCy
   ``PhraseMatcher``; the text of each block is normalised the same way, with an offset map back
   to the stored text. An alias that carries a title or a possessor matches only its core
   ("President Trump" -> "Trump", "Iran's Supreme Leader" -> "Supreme Leader"). Case still
   matters where it carries meaning: an acronym ("US") only matches upper case (never the
   pronoun "us"); the first word of an alias only a capitalised word.
2. *Context rules* drop or keep a match: a capital after "in/to/from/at/near..." is a place;
   a common-noun alias ("Coalition") counts only capitalised mid-sentence and not inside
   another name. Then the longest match wins and mentions never overlap.
3. *Resolution in context*, in reading order: an alias shared by several actors goes to the actor
   whose own name it is, else to the one mentioned last in the same unit; a bare surname goes to
   the person named in full earlier in the unit (or, when only one registry person has that
   surname, anywhere in the document or right after a title), and any bare surname the NER finds
   goes to the registry person named in full with it earlier in the document; "the Regime" goes
   to the actor of the last "<X> regime" epithet; a title epithet just before the same person's
   name is dropped; "Name (ACRONYM)" gives an unresolved name the registry acronym's actor when
   the letters are its initials. A government phrase of a country the registry lacks ("the
   Turkish government") is kept with an empty ``actor_id`` and cluster ``new:<country>``.
4. *Unknown names.* spaCy entities (PERSON, ORG, GPE, LOC, FAC) not covered by a mention become
   mentions with an empty ``actor_id`` and method ``ner:<LABEL>``, so new names are flagged
   instead of lost. A fuzzy match (rapidfuzz) against the aliases may *propose* an actor in
   ``candidate_id``/``candidate_score``; it never fills ``actor_id``.
5. *Identity for every name* (:func:`assign_clusters`): ``cluster_id`` is the registry id of a
   resolved mention, else ``new:<slug>`` of the fullest form of the name in the document, shared
   by its surname-only, title-stripped and acronym forms; computed per document, so documents
   can be processed in any order and the same full name gets the same id everywhere.
   :func:`new_actor_rows` (``POST_TABLES``) lists the new actors of a whole run.

The registry is the packaged copy of ``data/curated/`` (``proxylens/registry/``, kept identical
by ``python -m proxylens.actors sync``, run by ``make data``) unless :func:`configure` chose
another folder. The extractor reads only the registry and the lexicon
``lexicons/actors_rules.json``; it never reads curated gold.
"""

from __future__ import annotations

import bisect
import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

TABLES = {
    "mentions.csv": [
        "source_id", "start", "end", "text", "actor_id", "cluster_id", "method",
        "unit_id", "boilerplate", "alias", "candidate_id", "candidate_score",
    ]
}

LEXICON = Path(__file__).parent / "lexicons" / "actors_rules.json"

# The registry every stage reads: the packaged copy of data/curated/ unless configure() chose another.
PACKAGED_REGISTRY = Path(__file__).parent / "registry"
REGISTRY_FILES = ("actors.csv", "aliases.csv", "roles.csv")
_registry_dir: Path | None = None
# Caches of later stages built from the registry, cleared by configure() (registered by those stages,
# since this stage never imports a later one).
_REGISTRY_CACHES: list = []

# Alias kinds that spell a person's name, so their last word can serve as a surname.
SURNAME_SOURCE_KINDS = ("name", "misspelling", "transliteration", "translation")
# Alias kinds of a state that can premodify a government noun ("US government").
STATE_NAME_KINDS = ("name", "acronym", "translation", "transliteration", "misspelling")

# Match ranks: lower wins when two registry entries share a normalised key.
RANK_ALIAS, RANK_VARIANT, RANK_RULE, RANK_SURNAME = 0, 1, 2, 3


@lru_cache(maxsize=1)
def load_rules() -> dict:
    """The lexicon of language rules (particles, demonyms, capitals, titles...), read once."""
    return json.loads(LEXICON.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- normalisation

# Apostrophes and quote-like letters: dropped inside names ("Kata’ib" = "Kataib", "ʿAbbas" = "Abbas").
QUOTES = "’‘'ʼʿʾ`´"
# A token: an abbreviation with dots ("U.S.") or a run of letters/digits with inner apostrophes.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[’‘'ʼ`´][^\W_]+)*")
_POSSESSIVE = re.compile(r"[’'ʼ`´]s$", re.IGNORECASE)


@dataclass(frozen=True)
class NormToken:
    """A word of the text: its file offsets, its surface form and its normalised form."""

    start: int
    end: int
    surface: str
    norm: str


def fold(word: str) -> str:
    """Normalise one word: strip diacritics, quotes and dots, lower-case, map "el" to "al"."""
    decomposed = unicodedata.normalize("NFKD", word)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and c not in QUOTES and c != ".")
    folded = kept.casefold()
    particles = load_rules()["particles"]
    return particles[0] if folded in particles else folded


def norm_tokens(text: str, offset: int = 0) -> list[NormToken]:
    """Split ``text`` into normalised words; offsets are ``offset`` + index into ``text``.

    Hyphens, spaces and punctuation separate words ("al-Muamen" = "al Muamen"); a possessive
    "'s" is cut off ("Iran’s" -> "Iran"), so spans never include it.

    >>> [t.norm for t in norm_tokens("Iran’s al-Muamen, U.S.")]
    ['iran', 'al', 'muamen', 'us']
    """
    out = []
    for m in _TOKEN.finditer(text):
        start, end, surface = m.start(), m.end(), m.group(0)
        possessive = _POSSESSIVE.search(surface)
        if possessive and possessive.start() >= 1:
            end -= len(surface) - possessive.start()
            surface = surface[: possessive.start()]
        norm = fold(surface)
        if norm:
            out.append(NormToken(offset + start, offset + end, surface, norm))
    return out


def normalise(text: str) -> str:
    """The normalised form of a phrase: its folded words joined by single spaces."""
    return " ".join(t.norm for t in norm_tokens(text))


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _case_rule(surface: str) -> str:
    """What case an alias word asks of the text: 'upper' for acronyms, 'title' for capitalised."""
    if _is_acronym(surface):
        return "upper"
    return "title" if surface[:1].isupper() else ""


def _fits_case(rule: str, surface: str) -> bool:
    if rule == "upper":
        return _is_acronym(surface)
    if rule == "title":
        return surface[:1].isupper()
    return True


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    kind: str
    country: str = ""
    description: str = ""


@dataclass(frozen=True)
class Alias:
    actor_id: str
    alias: str
    alias_kind: str
    ambiguous: bool = False


@dataclass
class Registry:
    """The curated actors and their aliases (each actor's name counts as an alias of kind "name")."""

    actors: dict[str, Actor] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)

    @classmethod
    def from_rows(cls, actor_rows: Iterable[dict], alias_rows: Iterable[dict]) -> Registry:
        """Build a registry from CSV-like rows (columns of actors.csv and aliases.csv)."""
        actors = {}
        for row in actor_rows:
            aid = (row.get("actor_id") or "").strip()
            if aid:
                actors[aid] = Actor(aid, (row.get("name") or "").strip(), (row.get("kind") or "").strip(),
                                    (row.get("country") or "").strip(), (row.get("description") or "").strip())
        aliases = [Alias(a.actor_id, a.name, "name") for a in actors.values() if a.name]
        for row in alias_rows:
            aid, text = (row.get("actor_id") or "").strip(), (row.get("alias") or "").strip()
            if aid in actors and text:
                note = (row.get("note") or "").strip().lower()
                aliases.append(Alias(aid, text, (row.get("alias_kind") or "name").strip() or "name",
                                     note.startswith("ambiguous:")))
        return cls(actors, aliases)


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_registry(folder: Path) -> Registry:
    """Read ``actors.csv`` and ``aliases.csv`` from ``folder``; a missing file counts as empty."""
    return Registry.from_rows(_read_csv(folder / "actors.csv"), _read_csv(folder / "aliases.csv"))


def registry_dir() -> Path:
    """The folder of the registry in use: the one given to :func:`configure`, else the packaged one."""
    return _registry_dir or PACKAGED_REGISTRY


def configure(registry_dir: Path | str | None = None) -> None:
    """Choose the registry every stage uses in this process (None: the packaged default).

    The folder holds ``actors.csv``, ``aliases.csv`` and ``roles.csv``; a missing file counts as
    empty (an empty folder is an empty registry: every name then comes from NER). Clears every
    cache built from the previous registry. Raises ``FileNotFoundError`` (one line naming the
    folder) when the folder does not exist.
    """
    global _registry_dir
    if registry_dir is not None:
        folder = Path(registry_dir)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: not a registry folder (no such folder)")
        registry_dir = folder
    _registry_dir = registry_dir
    load_registry.cache_clear()
    default_gazetteer.cache_clear()
    load_roles.cache_clear()
    for clear in _REGISTRY_CACHES:
        clear()


def on_configure(clear) -> None:
    """Register a cache-clearing callable of a later stage, run by :func:`configure`."""
    if clear not in _REGISTRY_CACHES:
        _REGISTRY_CACHES.append(clear)


def sync_packaged_registry(curated: Path, package: Path = PACKAGED_REGISTRY) -> list[str]:
    """Copy the curated registry tables byte for byte into the package; returns the files changed.

    ``data/curated/`` is the source of truth; the package carries a copy so the extractor works
    when installed from a wheel, outside the repository.
    """
    package.mkdir(parents=True, exist_ok=True)
    changed = []
    for name in REGISTRY_FILES:
        src, dst = curated / name, package / name
        if not src.is_file():
            continue
        data = src.read_bytes()
        if not dst.is_file() or dst.read_bytes() != data:
            dst.write_bytes(data)
            changed.append(name)
    return changed


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The registry in use (see :func:`configure`), read once per process."""
    return read_registry(registry_dir())


@dataclass(frozen=True)
class Role:
    """A position a registry person holds: structured data, never parsed from a description."""

    actor_id: str
    role: str  # normalised role words: "secretary general", "spokesman", "commander"
    organisation_id: str  # the body the role is in ("" for a role of a state, given as country)
    start: str = ""
    end: str = ""


@lru_cache(maxsize=1)
def load_roles() -> tuple[Role, ...]:
    """The rows of ``roles.csv`` in the registry in use (empty when it has none)."""
    out = []
    for row in _read_csv(registry_dir() / "roles.csv"):
        aid = (row.get("actor_id") or "").strip()
        role = normalise(row.get("role") or "")
        if aid and role:
            out.append(Role(aid, role, (row.get("organisation_id") or "").strip(),
                            (row.get("start") or "").strip(), (row.get("end") or "").strip()))
    return tuple(out)


# ---------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class Entry:
    """One way a normalised word sequence can name an actor."""

    actor_id: str
    alias: str  # the registry string it comes from
    method: str  # alias:<kind> | demonym_government | surname_backoff
    rank: int
    ambiguous: bool
    cases: tuple[str, ...]  # case rule per word (see _case_rule)


@dataclass
class Candidate:
    """A gazetteer match in a block, before resolution in context."""

    start: int
    end: int
    first: int  # index of its first token in the block's tokens
    last: int  # index after its last token
    key: str
    entries: list[Entry]
    unit_id: str
    boilerplate: str


@dataclass(frozen=True)
class Mention:
    """An actor mention: span ``[start, end)`` of the document text and the actor it names."""

    source_id: str
    start: int
    end: int
    text: str
    actor_id: str  # "" when unresolved
    method: str
    unit_id: str = ""
    cluster_id: str = ""  # actor_id when resolved, else a stable "new:<slug>" (see assign_clusters)
    boilerplate: str = ""
    alias: str = ""
    candidate_id: str = ""  # proposed actor id(s), "|"-separated, for unresolved mentions
    candidate_score: float | None = None

    def row(self) -> dict:
        """The mention as a row of ``mentions.csv``."""
        return {
            "source_id": self.source_id, "start": self.start, "end": self.end, "text": self.text,
            "actor_id": self.actor_id, "cluster_id": self.cluster_id, "method": self.method,
            "unit_id": self.unit_id,
            "boilerplate": self.boilerplate, "alias": self.alias, "candidate_id": self.candidate_id,
            "candidate_score": "" if self.candidate_score is None else f"{self.candidate_score:.1f}",
        }


def _variants(tokens: list[NormToken], particle: str) -> list[tuple[int, list[NormToken]]]:
    """The word sequences an alias may appear as, with their rank.

    The alias itself; without a leading particle ("al-Ashtar Brigades" -> "Ashtar Brigades")
    and without any particle ("Qayis al-Khazali" -> "Qayis Khazali"), both only when at least
    two words remain, so a single common word never becomes a name.
    """
    out = [(RANK_ALIAS, tokens)]
    if len(tokens) >= 3 and tokens[0].norm == particle:
        out.append((RANK_VARIANT, tokens[1:]))
    bare = [t for t in tokens if t.norm != particle]
    if len(bare) >= 2 and len(bare) < len(tokens) and bare != tokens[1:]:
        out.append((RANK_VARIANT, bare))
    return out


def _strip_determiner(tokens: list[NormToken]) -> list[NormToken]:
    determiners = load_rules()["leading_determiners"]
    return tokens[1:] if len(tokens) > 1 and tokens[0].norm in determiners else tokens


_INNER_POSSESSIVE = re.compile(r"[’'ʼ`´]s\b")


def alias_core(alias: str, names: frozenset[str] = frozenset()) -> tuple[list[NormToken], bool]:
    """The words of an alias that a mention spans, and whether they differ from the whole alias.

    The guideline keeps a leading "the", a possessor and a title outside a mention, so an alias
    that carries them matches only its core: "the Mullah regime" -> "Mullah regime", "Iran's
    Supreme Leader" -> "Supreme Leader" (the possessor "Iran" is one of the ``names``, a mention of
    its own; "Prime Minister's Office" stays whole), "President Trump" -> "Trump",
    "Sheikh Naim Qassem" -> "Naim Qassem".
    """
    rules = load_rules()
    titles = {fold(t) for t in rules["surname_titles"]}
    parts = _INNER_POSSESSIVE.split(alias, maxsplit=1)
    changed = len(parts) > 1 and normalise(parts[0]) in names and bool(norm_tokens(parts[1]))
    tokens = _strip_determiner(norm_tokens(parts[1] if changed else alias))
    while len(tokens) > 1 and tokens[0].norm in titles:
        tokens, changed = tokens[1:], True
    return tokens, changed


class Gazetteer:
    """The registry compiled into a spaCy ``PhraseMatcher`` over normalised words."""

    def __init__(self, registry: Registry, rules: dict | None = None):
        from spacy.matcher import PhraseMatcher
        from spacy.vocab import Vocab

        self.registry = registry
        self.rules = rules or load_rules()
        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        self.entries: dict[str, list[Entry]] = {}
        self.canonical: dict[str, str] = {}  # actor_id -> normalised name
        self.capitals = {normalise(c) for c in self.rules["capitals"]}
        self.common_nouns = {fold(w) for w in self.rules["common_noun_aliases"]}
        self._add_aliases()
        self._add_government_phrases()
        self._add_surnames()
        for key in sorted(self.entries):
            self.matcher.add(key, [self._doc(key.split(" "))])
        self.fuzzy_keys = sorted(k for k, es in self.entries.items() if min(e.rank for e in es) <= RANK_VARIANT)

    def _doc(self, words: list[str]):
        from spacy.tokens import Doc

        return Doc(self.vocab, words=words)

    def _add(self, tokens: list[NormToken], entry: Entry) -> None:
        key = " ".join(t.norm for t in tokens)
        bucket = self.entries.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _add_aliases(self) -> None:
        particle = self.rules["particles"][0]
        for actor in self.registry.actors.values():
            self.canonical[actor.actor_id] = normalise(actor.name)
        names = frozenset(normalise(a.alias) for a in self.registry.aliases)
        for alias in self.registry.aliases:
            tokens, changed = alias_core(alias.alias, names)
            if not tokens:
                continue
            for rank, words in _variants(tokens, particle):
                rank = max(rank, RANK_VARIANT) if changed else rank
                cases = self._cases(words, particle)
                self._add(words, Entry(alias.actor_id, alias.alias, f"alias:{alias.alias_kind}", rank,
                                       alias.ambiguous, cases))

    def _cases(self, words: list[NormToken], particle: str) -> tuple[str, ...]:
        """Acronym words must be upper case; the first real word of the alias keeps its capital."""
        cases, first = [], True
        for w in words:
            rule = _case_rule(w.surface)
            if rule == "title" and not first:
                rule = ""
            if w.norm != particle:
                first = False
            cases.append(rule)
        return tuple(cases)

    def _state_names(self) -> dict[str, list[list[NormToken]]]:
        """For each state actor, the word sequences of its plain names (no epithets)."""
        out: dict[str, list[list[NormToken]]] = {}
        for alias in self.registry.aliases:
            actor = self.registry.actors[alias.actor_id]
            if actor.kind == "state" and alias.alias_kind in STATE_NAME_KINDS:
                out.setdefault(actor.actor_id, []).append(_strip_determiner(norm_tokens(alias.alias)))
        return out

    def _add_government_phrases(self) -> None:
        """"Iraqi government", "Bahraini authorities", "US government": the state itself."""
        states = self._state_names()
        by_name = {" ".join(t.norm for t in words): aid for aid, names in states.items() for words in names}
        heads = [norm_tokens(h) for h in self.rules["government_heads"]]
        premodifiers: list[tuple[str, list[NormToken], str]] = []
        for demonym, country in sorted(self.rules["demonyms"].items()):
            # A country the registry lacks still gets its government phrases, under a new-actor id,
            # so "the Turkish government" is kept (and listed for the registry), never dropped.
            aid = by_name.get(normalise(country)) or "new:" + slug(country)
            premodifiers.append((aid, norm_tokens(demonym), demonym))
        for aid, names in sorted(states.items()):
            premodifiers.extend((aid, words, " ".join(w.surface for w in words)) for words in names)
        for aid, words, surface in premodifiers:
            for head in heads:
                phrase = words + head
                cases = tuple(_case_rule(w.surface) if i < len(words) else "" for i, w in enumerate(phrase))
                self._add(phrase, Entry(aid, f"{surface} {head[0].surface}", "demonym_government", RANK_RULE,
                                        False, cases))

    def _add_surnames(self) -> None:
        """Index each person's surname (last word of a name, with its particle) for back-off."""
        particle = self.rules["particles"][0]
        connectors = {particle, *self.rules["name_connectors"]}
        given: set[str] = set()
        person_names = []
        for alias in self.registry.aliases:
            if self.registry.actors[alias.actor_id].kind != "person":
                continue
            words = norm_tokens(alias.alias)
            given.update(w.norm for w in words[:-1])
            if alias.alias_kind in SURNAME_SOURCE_KINDS and len(words) >= 2:
                person_names.append((alias, words))
        for alias, words in person_names:
            last = words[-1]
            # A word that is someone's given name ("Ali") or very short is too common to stand alone.
            if len(last.norm) < 4 or last.norm in given or last.norm in connectors:
                continue
            forms = [[last]]
            if len(words) >= 3 and words[-2].norm in connectors:
                forms.append(words[-2:])
            for form in forms:
                key = " ".join(w.norm for w in form)
                if any(e.rank < RANK_SURNAME for e in self.entries.get(key, [])):
                    continue
                cases = tuple("title" if w is last else "" for w in form)
                self._add(form, Entry(alias.actor_id, alias.alias, "surname_backoff", RANK_SURNAME, False, cases))

    def match(self, tokens: list[NormToken]) -> list[tuple[int, int, str]]:
        """All (first, last, key) gazetteer matches over a block's tokens, in no useful order."""
        if not tokens:
            return []
        doc = self._doc([t.norm for t in tokens])
        return [(s, e, self.vocab.strings[mid]) for mid, s, e in self.matcher(doc)]

    def propose(self, text: str) -> tuple[str, float | None]:
        """A fuzzy proposal for an unknown name: ("id|id", score) or ("", None). Never a resolution."""
        from rapidfuzz import fuzz, process

        key = normalise(text)
        if not key or not self.fuzzy_keys:
            return "", None
        best = process.extractOne(key, self.fuzzy_keys, scorer=fuzz.ratio,
                                  score_cutoff=self.rules["fuzzy_threshold"])
        if best is None:
            return "", None
        ids = sorted({e.actor_id for e in self.entries[best[0]] if e.rank <= RANK_VARIANT})
        return "|".join(ids), round(float(best[1]), 1)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the repository's registry, built once per process."""
    return Gazetteer(load_registry())


# ---------------------------------------------------------------- context rules (per block)


def _sentence_initial(doc, rel_start: int) -> bool:
    span = doc.char_span(rel_start, rel_start + 1, alignment_mode="expand")
    return span is None or span[0].is_sent_start


def _capitalised(token: NormToken) -> bool:
    return token.surface[:1].isupper()


class _BlockRules:
    """The context rules that keep or drop a gazetteer match inside one block."""

    def __init__(self, gaz: Gazetteer, block, tokens: list[NormToken], covered: set[int]):
        self.gaz, self.block, self.tokens, self.covered = gaz, block, tokens, covered
        rules = gaz.rules
        self.prepositions = set(rules["place_prepositions"])
        self.followers = set(rules["place_followers"])
        self.determiners = set(rules["leading_determiners"])

    def keeps(self, first: int, last: int, key: str) -> bool:
        """Whether the match ``tokens[first:last]`` can be a mention here."""
        if key in self.gaz.capitals and self._is_place(first, last):
            return False
        return not (last - first == 1 and key in self.gaz.common_nouns and not self._is_proper_common_noun(first))

    def _is_place(self, first: int, last: int) -> bool:
        """A capital is a plain place after a locative word, before a place noun, inside a name, or
        as the dateline opening a paragraph ("BEIRUT — ...")."""
        if first == 0 and self._is_dateline(last):
            return True
        prev = self.tokens[first - 1] if first > 0 else None
        nxt = self.tokens[last] if last < len(self.tokens) else None
        if prev is not None and prev.norm in self.prepositions:
            return True
        return nxt is not None and (nxt.norm in self.followers or (_capitalised(nxt) and self._adjacent(last - 1, last)))

    def _is_dateline(self, last: int) -> bool:
        """'BEIRUT, Jan 3 —' or 'Beirut — ': an upper-case place and a comma, or any place and a dash."""
        after = self.block_text(self.tokens[last - 1].end, self.block.end).lstrip()
        if after[:1] in self.gaz.rules["dateline_marks"]:
            return True
        return after[:1] == "," and all(_is_acronym(t.surface) for t in self.tokens[:last])

    def _adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j are separated only by spaces or hyphens (same name, not a list)."""
        gap = self.block_text(self.tokens[i].end, self.tokens[j].start)
        return gap.strip(" -–") == ""

    def block_text(self, start: int, end: int) -> str:
        return self.block.doc.text[start - self.block.start:end - self.block.start]

    def _is_proper_common_noun(self, i: int) -> bool:
        """'Coalition' names an actor only capitalised, mid-sentence, and not inside another name."""
        tok = self.tokens[i]
        if not _capitalised(tok) or _sentence_initial(self.block.doc, tok.start - self.block.start):
            return False
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if nxt is not None and self._adjacent(i, i + 1):
            if _capitalised(nxt):
                return False
            after = self.tokens[i + 2] if i + 2 < len(self.tokens) else None
            if nxt.norm == "of" and after is not None and _capitalised(after):
                return False
        prev = self.tokens[i - 1] if i > 0 else None
        if prev is not None and _capitalised(prev) and self._adjacent(i - 1, i):
            sentence_start_article = prev.norm in self.determiners
            if not sentence_start_article and (i - 1) not in self.covered:
                return False
        return True


# ---------------------------------------------------------------- finding mentions


def _longest_first(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest matches (in words, then characters), earliest first; none overlap."""
    chosen: list[Candidate] = []
    taken: set[int] = set()
    for c in sorted(cands, key=lambda c: (-(c.last - c.first), -(c.end - c.start), c.start, c.key)):
        span = set(range(c.first, c.last))
        if span & taken:
            continue
        chosen.append(c)
        taken |= span
    return sorted(chosen, key=lambda c: c.start)


# What may stand between two words of one name: spaces, hyphens, dashes and quote marks.
_NAME_GAP = re.compile(r"[\s\-‐‑–’‘'ʼ`´]*")


def _name_breaks(text: str, tokens: list[NormToken], offset: int) -> set[int]:
    """Indices i such that no name runs from token i to token i + 1 (a comma, a full stop...).

    A full stop after a single letter is an initial ("Donald J. Trump") and does not break.
    """
    breaks = set()
    for i in range(len(tokens) - 1):
        gap = text[tokens[i].end - offset:tokens[i + 1].start - offset]
        if len(tokens[i].surface) == 1 and gap.startswith("."):
            gap = gap[1:]
        if not _NAME_GAP.fullmatch(gap):
            breaks.add(i)
    return breaks


def _block_candidates(gaz: Gazetteer, block, tokens: list[NormToken]) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """The kept, non-overlapping gazetteer matches of a block, and the spans context rules rejected."""
    raw = []
    breaks = _name_breaks(block.doc.text, tokens, block.start)
    for first, last, key in gaz.match(tokens):
        if any(i in breaks for i in range(first, last - 1)):
            continue
        words = tokens[first:last]
        entries = [e for e in gaz.entries[key] if all(_fits_case(r, w.surface) for r, w in zip(e.cases, words))]
        if entries:
            best = min(e.rank for e in entries)
            raw.append((first, last, key, [e for e in entries if e.rank == best]))
    covered = {i for first, last, _, _ in raw for i in range(first, last)}
    rules = _BlockRules(gaz, block, tokens, covered)
    kept, rejected = [], []
    for first, last, key, entries in raw:
        start, end = tokens[first].start, tokens[last - 1].end
        if rules.keeps(first, last, key):
            kept.append(Candidate(start, end, first, last, key, entries, block.unit_id, block.boilerplate))
        else:
            rejected.append((start, end))
    chosen = _longest_first(kept)
    spans = [(c.start, c.end) for c in chosen]
    blocked = [r for r in rejected if not any(s <= r[0] and r[1] <= e for s, e in spans)]
    return chosen, blocked


def _anaphors(gaz: Gazetteer, block, tokens: list[NormToken], chosen: list[Candidate]) -> list[Candidate]:
    """'the Regime', 'the Kingdom': a capitalised head noun used as a proper name, not covered by a
    match: an anaphor to the actor last named with that head ("the Iranian regime ... the Regime").
    The lower-case common noun ("the government") names no one by itself and is left alone."""
    heads = {fold(h) for h in gaz.rules["anaphoric_heads"]}
    determiners = set(gaz.rules["leading_determiners"])
    taken = {i for c in chosen for i in range(c.first, c.last)}
    out = []
    for i, tok in enumerate(tokens):
        if (tok.norm in heads and i > 0 and tokens[i - 1].norm in determiners and i not in taken
                and _capitalised(tok)):
            out.append(Candidate(tok.start, tok.end, i, i + 1, tok.norm, [], block.unit_id, block.boilerplate))
    return out


class _Resolver:
    """Resolves candidates in reading order, remembering who was mentioned before."""

    def __init__(self, gaz: Gazetteer, parsed, candidates: list[Candidate]):
        self.gaz = gaz
        self.parsed = parsed
        self.text = parsed.document.text
        self.history: list[Mention] = []
        # Actors named by an unambiguous registry alias anywhere in the document.
        self.named = {c.entries[0].actor_id for c in candidates
                      if c.entries and c.entries[0].rank <= RANK_VARIANT and len({e.actor_id for e in c.entries}) == 1}
        self.surname_titles = {fold(t) for t in gaz.rules["surname_titles"]}
        self.anaphoric_heads = {fold(h) for h in gaz.rules["anaphoric_heads"]}

    def mention(self, c: Candidate, actor_id: str, method: str, alias: str = "", candidates: str = "") -> Mention:
        return Mention(self.parsed.document.source_id, c.start, c.end, self.text[c.start:c.end], actor_id, method,
                       c.unit_id, boilerplate=c.boilerplate, alias=alias, candidate_id=candidates)

    def last_in_unit(self, unit_id: str, wanted: set[str]) -> Mention | None:
        """The latest resolved mention in ``unit_id`` of one of the ``wanted`` actors."""
        for m in reversed(self.history):
            if m.unit_id == unit_id and m.actor_id in wanted:
                return m
        return None

    def resolve(self, c: Candidate) -> Mention | None:
        """The mention a candidate makes in context, or None when it makes none."""
        # "the Regime" means the regime named last, whatever a bare-word alias says.
        m = self.resolve_anaphor(c) if c.key in self.anaphoric_heads else None
        if m is None and c.entries:
            m = self.resolve_surname(c) if c.entries[0].rank == RANK_SURNAME else self.resolve_alias(c)
        if m is not None and m.actor_id:
            self.history.append(m)
        return m

    def resolve_alias(self, c: Candidate) -> Mention:
        """A registry alias: its actor; if several actors share it, decide from the name and the context."""
        actors = sorted({e.actor_id for e in c.entries})
        entry = c.entries[0]
        if len(actors) == 1 and actors[0].startswith("new:"):
            return self.mention(c, "", "demonym_unregistered", entry.alias, actors[0])
        if len(actors) == 1:
            return self.mention(c, actors[0], entry.method, entry.alias)
        # Shared alias: the actor whose own name it is ("Hezbollah" -> Lebanese Hezbollah) ...
        own = [a for a in actors if self.gaz.canonical.get(a) == c.key]
        if len(own) == 1:
            e = next(e for e in c.entries if e.actor_id == own[0])
            return self.mention(c, own[0], e.method, e.alias)
        # ... else whoever of them was mentioned last in the same unit.
        prior = self.last_in_unit(c.unit_id, set(actors))
        if prior is not None:
            e = next(e for e in c.entries if e.actor_id == prior.actor_id)
            return self.mention(c, prior.actor_id, e.method, e.alias)
        return self.mention(c, "", "alias_ambiguous", entry.alias, "|".join(actors))

    def resolve_surname(self, c: Candidate) -> Mention | None:
        """A bare surname: the person named last in the unit, else the only registry bearer named in
        the document or titled ("President Trump"); else unresolved (kept only if NER sees a name)."""
        people = sorted({e.actor_id for e in c.entries})
        prior = self.last_in_unit(c.unit_id, set(people))
        if prior is not None:
            return self.mention(c, prior.actor_id, "surname_backoff", prior.alias)
        if len(people) == 1:
            entry = c.entries[0]
            if people[0] in self.named or self._after_title(c):
                return self.mention(c, people[0], "surname_backoff", entry.alias)
        if self._is_named_entity(c):
            return self.mention(c, "", "surname_unresolved", "", "|".join(people))
        return None

    def _after_title(self, c: Candidate) -> bool:
        """Whether a title ("President", "Sheikh") directly precedes the candidate."""
        lead = max(0, c.start - 40)
        words = norm_tokens(self.text[lead:c.start], lead)
        if not words or words[-1].norm not in self.surname_titles:
            return False
        return self.text[words[-1].end:c.start].strip(" .") == ""

    def _is_named_entity(self, c: Candidate) -> bool:
        """Whether the statistical NER also reads the candidate as (part of) a name."""
        labels = set(self.gaz.rules["ner_labels"])
        for b in self.parsed.blocks:
            if b.start <= c.start < b.end:
                return any(e.label_ in labels and b.start + e.start_char <= c.start and c.end <= b.start + e.end_char
                           for e in b.doc.ents)
        return False

    def resolve_anaphor(self, c: Candidate) -> Mention | None:
        """'the Regime': the actor of the last mention in the unit whose head is the same word."""
        for m in reversed(self.history):
            if m.unit_id == c.unit_id and normalise(m.text).split(" ")[-1] == c.key:
                return self.mention(c, m.actor_id, f"anaphor:{c.key}", m.alias)
        return None


def _drop_titles_before_names(mentions: list[Mention], text: str, registry: Registry) -> list[Mention]:
    """'Supreme Leader Ali Khamenei': the title epithet before the same person's name is not a mention."""
    out = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        actor = registry.actors.get(m.actor_id)
        if (nxt is not None and m.method == "alias:epithet" and actor is not None and actor.kind == "person"
                and nxt.actor_id == m.actor_id and text[m.end:nxt.start].strip() == ""):
            continue
        out.append(m)
    return out


def _trim_entity(ent, rules: dict) -> tuple[int, int] | None:
    """Character offsets (in the block) of an entity without leading 'the'/titles and trailing "'s"."""
    titles = {fold(t) for t in rules["titles"]}
    determiners = set(rules["leading_determiners"])
    toks = list(ent)
    # A capitalised first word of a sentence that is not a proper noun ("Various Shia") is no part of a name.
    while toks and (toks[0].lower_ in determiners or fold(toks[0].text) in titles
                    or (toks[0].is_sent_start and toks[0].pos_ not in ("PROPN", "X"))):
        toks.pop(0)
    while toks and (toks[-1].is_punct or fold(toks[-1].text) in ("s", "") or toks[-1].is_space):
        toks.pop()
    if not toks or not toks[0].text[:1].isupper():
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    possessive = _POSSESSIVE.search(ent.doc.text[start:end])
    if possessive:
        end = start + possessive.start()
    return start, end


def _entity_mentions(gaz: Gazetteer, parsed, taken: list[tuple[int, int]],
                     blocked: list[tuple[int, int]]) -> list[Mention]:
    """spaCy entities no mention overlaps: unknown names, kept with an empty actor_id.

    An entity inside a span a context rule rejected ("in [Tehran]") is that plain place, not a
    new name; an entity reaching beyond it ("Baghdad Post") is a longer, unknown name and is kept.
    """
    rules = gaz.rules
    labels = set(rules["ner_labels"])
    not_names = {normalise(d) for d in [*rules["demonyms"], *rules["not_names"]]}
    text = parsed.document.text
    out = []
    # Interval look-ups by bisection, so a long document costs time in proportion to its length:
    # the taken spans never overlap (mentions never do, and an entity is added only where none is),
    # so only the span just before an entity's end can overlap it; a blocked span contains an entity
    # when one starting at or before it reaches at least as far (a running maximum of ends).
    taken = sorted(taken)
    blocked = sorted(blocked)
    blocked_starts = [s for s, _ in blocked]
    reach, furthest = [], -1
    for _, e in blocked:
        furthest = max(furthest, e)
        reach.append(furthest)

    def overlaps_taken(start: int, end: int) -> bool:
        i = bisect.bisect_left(taken, (end,))
        return i > 0 and taken[i - 1][1] > start

    def inside_blocked(start: int, end: int) -> bool:
        i = bisect.bisect_right(blocked_starts, start)
        return i > 0 and reach[i - 1] >= end

    for b in parsed.blocks:
        for ent in b.doc.ents:
            if ent.label_ not in labels:
                continue
            trimmed = _trim_entity(ent, rules)
            if trimmed is None:
                continue
            start, end = b.start + trimmed[0], b.start + trimmed[1]
            surface = text[start:end]
            if normalise(surface) in not_names or len(surface) < 2:
                continue
            if overlaps_taken(start, end) or inside_blocked(start, end):
                continue
            cand, score = gaz.propose(surface)
            out.append(Mention(parsed.document.source_id, start, end, surface, "", f"ner:{ent.label_}",
                               b.unit_id, boilerplate=b.boilerplate, candidate_id=cand, candidate_score=score))
            bisect.insort(taken, (start, end))
    return out


def find_mentions(parsed, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every actor mention of a parsed document, sorted by start; spans never overlap.

    ``gazetteer`` defaults to the repository registry's (built once per process). Resolved
    mentions carry the ``actor_id``; unknown names found by NER, ambiguous aliases and
    unresolved surnames carry an empty ``actor_id`` and, when there is one, a proposal in
    ``candidate_id``.
    """
    gaz = gazetteer or default_gazetteer()
    # The mention and claim stages both need a document's mentions: find them once per document
    # and gazetteer (the parsed document carries the result; callers get their own list).
    memo = getattr(parsed, "_mentions_memo", None)
    if memo is not None and memo[0] is gaz:
        return list(memo[1])
    mentions = _find_mentions(parsed, gaz)
    try:
        parsed._mentions_memo = (gaz, mentions)
    except AttributeError:  # a parsed stand-in that takes no attributes: no memo
        pass
    return list(mentions)


def _find_mentions(parsed, gaz: Gazetteer) -> list[Mention]:
    candidates: list[Candidate] = []
    blocked: list[tuple[int, int]] = []
    for block in parsed.blocks:
        tokens = norm_tokens(parsed.document.text[block.start:block.end], block.start)
        chosen, rejected = _block_candidates(gaz, block, tokens)
        candidates.extend(chosen)
        candidates.extend(_anaphors(gaz, block, tokens, chosen))
        blocked.extend(rejected)
    candidates.sort(key=lambda c: (c.start, c.end))
    resolver = _Resolver(gaz, parsed, candidates)
    mentions = [m for m in (resolver.resolve(c) for c in candidates) if m is not None]
    mentions = _drop_titles_before_names(mentions, parsed.document.text, gaz.registry)
    taken = [(m.start, m.end) for m in mentions]
    mentions.extend(_entity_mentions(gaz, parsed, taken, blocked))
    mentions = _surnames_of_named_people(sorted(mentions, key=lambda m: (m.start, m.end)), gaz.registry)
    mentions = _defined_by_acronym(mentions, parsed.document.text)
    return assign_clusters(mentions)


def _defined_by_acronym(mentions: list[Mention], text: str) -> list[Mention]:
    """"Syrian Defense Forces (SDF)": an unresolved name followed by a registry acronym in brackets
    whose letters are its initials names that acronym's actor, however the name is (mis)spelt."""
    out = list(mentions)
    for i, m in enumerate(out[:-1]):
        nxt = out[i + 1]
        if m.actor_id or not nxt.actor_id or not _is_acronym(nxt.text):
            continue
        if text[m.end:nxt.start].strip() != "(" or text[nxt.end:nxt.end + 1] != ")":
            continue
        if _initials(normalise(m.text).split()) == normalise(nxt.text):
            out[i] = replace(m, actor_id=nxt.actor_id, method="acronym_definition", alias=nxt.alias,
                             candidate_id="", candidate_score=None)
    return out


def _surnames_of_named_people(mentions: list[Mention], registry: Registry) -> list[Mention]:
    """A bare surname the gazetteer leaves open ("Qassem", too common a given name to index) names
    the registry person called by it earlier in the document ("Naim Qassem ... Qassem said")."""
    seen: dict[str, str] = {}  # surname -> the person named with it last
    out = []
    for m in mentions:
        actor = registry.actors.get(m.actor_id)
        if actor is not None and actor.kind == "person":
            for name in (m.text, actor.name):
                words = normalise(name).split()
                if len(words) >= 2:
                    seen[words[-1]] = actor.actor_id
        elif not m.actor_id and m.method.startswith(("ner:", "surname_unresolved")):
            particle = load_rules()["particles"][0]
            words = [w for w in normalise(m.text).split() if w != particle]  # "al Adel" is "Adel"
            if len(words) == 1 and words[0] in seen:
                m = replace(m, actor_id=seen[words[0]], method="surname_in_document", candidate_id="",
                            candidate_score=None)
        out.append(m)
    return out


# ---------------------------------------------------------------- identity for every name


def slug(name: str) -> str:
    """A stable lowercase ASCII id part for a name: "Stuart A. Levey" -> "stuart-a-levey".

    >>> slug("Kata’ib Ḥizballah")
    'kataib-hizballah'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and c not in QUOTES)
    ascii_only = kept.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def _initials(words: list[str]) -> str:
    skip = {*load_rules()["particles"], "of", "and", "the", "for", "in"}
    return "".join(w[0] for w in words if w not in skip)


def _part_of(short: list[str], full: list[str], person: bool) -> bool:
    """Whether the words ``short`` name the same actor as the longer form ``full`` in one document.

    A person's surname, or surname with given name left out ("Levey", "Mr. Levey" after "Stuart
    Levey"); the tail of an organisation's name ("Maersk" after "A.P. Moller-Maersk"); an
    acronym of its words ("IRGC" after "Islamic Revolutionary Guard Corps").
    """
    if len(short) >= len(full):
        return False
    if len(short) == 1 and len(short[0]) >= 2 and short[0] == _initials(full):
        return True
    if person:
        return full[-len(short):] == short and len(short[-1]) >= 3
    return full[-len(short):] == short and len(" ".join(short)) >= 4


def assign_clusters(mentions: list[Mention]) -> list[Mention]:
    """Give every mention of one document (sorted by start) its ``cluster_id``.

    A resolved mention's cluster is its actor id. An unresolved one gets ``new:<slug>`` of the
    fullest form of the name in the document: a surname-only, title-stripped or acronym form
    is tied to the longer form it is part of (the latest one before it, else the only one in the
    document), so "Stuart Levey ... Levey" is one ``new:stuart-levey``. The id depends only on
    the document's own text, so documents can be processed in any order, anywhere, and the same
    full name gets the same id in every document.
    """
    forms: list[tuple[int, list[str], bool, str]] = []  # (start, words, person?, cluster id)
    for m in mentions:
        if m.actor_id:
            continue
        words = normalise(m.text).split()
        if len(words) >= 2 and m.method != "demonym_unregistered":
            forms.append((m.start, words, _person_like(m), "new:" + slug(m.text)))
    # A shorter form is part of a longer one only as its tail or as its initials (see _part_of), so
    # index the longer forms by last word and by initials: a long document then costs time in
    # proportion to its mentions, not to their square. Each index keeps document order.
    by_last: dict[str, list[int]] = {}
    by_initials: dict[str, list[int]] = {}
    for i, f in enumerate(forms):
        by_last.setdefault(f[1][-1], []).append(i)
        by_initials.setdefault(_initials(f[1]), []).append(i)
    out = []
    for m in mentions:
        if m.actor_id:
            out.append(replace(m, cluster_id=m.actor_id))
            continue
        words = normalise(m.text).split()
        if m.method == "demonym_unregistered":  # the country's own new id, whatever the phrase
            out.append(replace(m, cluster_id=m.candidate_id))
            continue
        if not words or not slug(m.text):
            out.append(m)
            continue
        near = set(by_last.get(words[-1], ()))
        if len(words) == 1:
            near.update(by_initials.get(words[0], ()))
        longer = [forms[i] for i in sorted(near) if _part_of(words, forms[i][1], forms[i][2])]
        before = [f for f in longer if f[0] < m.start]
        if before:
            cid = before[-1][3]
        elif len({f[3] for f in longer}) == 1:
            cid = longer[0][3]
        else:
            cid = "new:" + slug(m.text)
        out.append(replace(m, cluster_id=cid))
    return out


def _person_like(m: Mention) -> bool:
    return m.method in ("ner:PERSON", "surname_unresolved")


def mention_rows(parsed) -> Iterator[tuple[str, dict]]:
    """Rows of ``mentions.csv`` for one parsed document, sorted by start."""
    for m in find_mentions(parsed):
        yield "mentions.csv", m.row()


# ---------------------------------------------------------------- new actors, over the whole run

NEW_ACTOR_COLUMNS = ["cluster_id", "name", "kind_guess", "forms", "mentions", "documents", "first_source_id"]
# What the statistical NER label suggests an unregistered name is; the analyst decides.
_KIND_GUESS = {"PERSON": "person", "ORG": "organisation", "GPE": "place_or_state", "LOC": "place", "FAC": "place",
               "NORP": "group"}
MAX_FORMS = 8  # forms listed per new actor; the rest are counted in mentions


def new_actor_rows(rows: Iterable[dict]) -> Iterator[dict]:
    """One row per unregistered actor (``cluster_id`` starting ``new:``) over all mention rows of a run.

    Order-independent (sorted by cluster id) and memory-bounded by the number of distinct new
    actors and the documents each appears in, never by the number of mentions. ``name`` is the
    form whose slug is the cluster id (the fullest form), ``kind_guess`` the NER label most of
    its mentions carry.
    """
    acc: dict[str, dict] = {}
    for row in rows:
        cid = row.get("cluster_id") or ""
        if not cid.startswith("new:"):
            continue
        a = acc.setdefault(cid, {"forms": set(), "labels": {}, "mentions": 0, "docs": set(), "name": ""})
        text = row.get("text") or ""
        if len(a["forms"]) < MAX_FORMS:
            a["forms"].add(text)
        if "new:" + slug(text) == cid and (not a["name"] or text < a["name"]):
            a["name"] = text
        label = (row.get("method") or "").partition(":")[2] if (row.get("method") or "").startswith("ner:") else ""
        if label:
            a["labels"][label] = a["labels"].get(label, 0) + 1
        a["mentions"] += 1
        a["docs"].add(row.get("source_id") or "")
    for cid in sorted(acc):
        a = acc[cid]
        label = min(a["labels"], key=lambda k: (-a["labels"][k], k)) if a["labels"] else ""
        yield {
            "cluster_id": cid, "name": a["name"] or min(a["forms"], key=lambda f: (-len(f), f)),
            "kind_guess": _KIND_GUESS.get(label, ""), "forms": "|".join(sorted(a["forms"])),
            "mentions": a["mentions"], "documents": len(a["docs"]), "first_source_id": min(a["docs"]),
        }


# Tables computed after every document is done, from the rows of another table:
# {file: (columns, input table, function of that table's rows)}.
POST_TABLES = {"new_actors.csv": (NEW_ACTOR_COLUMNS, "mentions.csv", new_actor_rows)}


def main(argv: list[str] | None = None) -> int:
    """``python -m proxylens.actors sync``: copy data/curated/'s registry into the package."""
    import sys

    from proxylens.paths import curated_dir

    args = sys.argv[1:] if argv is None else argv
    if args != ["sync"]:
        print("usage: python -m proxylens.actors sync", file=sys.stderr)
        return 2
    changed = sync_packaged_registry(curated_dir())
    print(f"proxylens.actors: packaged registry {'updated: ' + ', '.join(changed) if changed else 'already current'}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
