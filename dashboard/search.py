"""Keyword search for the dashboard: query syntax -> tantivy queries over a snapshot's index.

Owns the user-facing query language (`parse`, `SYNTAX_HELP`), and read-only access to the
index directory named by the snapshot's `meta.index_dir` (`open_for_db`, `SearchIndex`).
User text never reaches tantivy's own query parser: `parse` builds a small tree of typed
nodes and `SearchIndex` turns it into tantivy Query objects.

How text becomes index terms is not known here: every index directory carries the ETL's
description of it (`search-format.json`: analyzer steps and the normalisation table, versioned),
and `Analyzer` is built from that file, so queries are analyzed exactly as the index's text was
(the dashboard imports nothing from etl/). See docs/search.md and docs/architecture.md.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Collection, Mapping, Sequence

import numpy as np
import pyarrow as pa
import tantivy

log = logging.getLogger(__name__)

FORMAT_FILE = "search-format.json"      # the index contract, beside every index directory
READABLE_FORMATS = {2}                  # the versions of it this module reads
# The contract as the ETL ships it (a data file, not code): the analyzer of a query parsed
# before any index is open (`parse` without one). An opened index always uses its own copy.
SHIPPED_FORMAT = Path(__file__).resolve().parents[1] / "etl" / "search" / FORMAT_FILE

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 16
MIN_PREFIX_CHARS = 2
MAX_STEM_CANDIDATES = 20_000
MAX_HIGHLIGHT_PREFIX_TERMS = 200
TITLE_BOOST = 2.0
SNIPPET_CHARS = 240
DIRECT_ID_HITS = 20_000      # above this many hits, ids come from the address table (see ids_by_address)

SYNTAX_HELP = """\
**Keyword search** (not case-sensitive)
- `defection army`: articles with **all** the words; word forms count too (defect, defected, defection)
- `=defect` or `"defect"`: this exact word only
- `"free syrian army"`: the exact phrase
- `syria OR iraq`: either word (write OR in capitals)
- `-regime` or `NOT regime`: without that word
- `defect*`: words starting with these letters
- `(syria OR iraq) -russia`: parentheses group
- Arabic works as typed: `الأسد` finds الاسد and الأسد. Names with hyphens and dots work: `al-Assad`, `U.N.`
"""



class FormatUnreadable(ValueError):
    """A search-format.json that is missing, damaged, or of a version this module does not read."""


class Analyzer:
    """Text -> index terms, as one search-format.json describes them: the normalisation table
    (str.translate) and then tantivy's analyzer steps (tokenizer, filters)."""

    def __init__(self, description: Mapping):
        version = description.get("format") if isinstance(description, Mapping) else None
        if not isinstance(version, int) or version not in READABLE_FORMATS:
            raise FormatUnreadable(f"index format {version}, this dashboard reads format "
                                   f"{', '.join(map(str, sorted(READABLE_FORMATS)))}")
        try:
            self.tokenizer: str = description["tokenizer"]
            steps = description["analyzer"]
            self.table: dict[int, int | None] = {
                int(k[2:], 16): (None if v is None else int(v[2:], 16))
                for k, v in description["normalise"]["table"].items()}
            builder = tantivy.TextAnalyzerBuilder(getattr(tantivy.Tokenizer, steps[0])())
            for step in steps[1:]:
                name, *args = step if isinstance(step, list) else (step,)
                builder = builder.filter(getattr(tantivy.Filter, name)(*args))
            self.words: tantivy.TextAnalyzer = builder.build()
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise FormatUnreadable(f"its search-format description cannot be read ({exc!r})") from exc
        self.key = json.dumps(description, sort_keys=True)     # two analyzers are equal when this is
        self._needs = (re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(self.table)) + "]")
                       if self.table else None)

    @classmethod
    def from_file(cls, path: Path) -> "Analyzer":
        try:
            description = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FormatUnreadable(f"no readable {FORMAT_FILE} ({exc})") from exc
        if _is_format_1(description):
            # an index written before the file held the table: format 1 indexed exactly the
            # terms the shipped format-2 description gives, so it stays searchable without a reindex
            return shipped_analyzer()
        return cls(description)

    def normalise(self, text: str) -> str:
        """The index's normalisation (Arabic diacritics, alef forms, ...), applied to query text."""
        if self._needs is None or text.isascii() or not self._needs.search(text):
            return text
        return text.translate(self.table)

    def normalise_with_positions(self, text: str) -> tuple[str, list[int] | None]:
        """Normalised text and, when characters were removed, each kept character's original index."""
        norm = self.normalise(text)
        if len(norm) == len(text):
            return norm, None
        positions = [i for i, ch in enumerate(text) if self.table.get(ord(ch), 0) is not None]
        return norm, positions

    def analyze(self, text: str) -> list[str]:
        """Index terms for `text` exactly as the writer produced them."""
        return self.words.analyze(self.normalise(text))


FORMAT_1_NORMALISE = "arabic-light-1"      # the one normalisation a format-1 file could name


def _is_format_1(description: object) -> bool:
    """A format-1 description this module can stand in for: it named the normalisation
    (instead of holding its table) and listed the analyzer steps the shipped format still uses."""
    if not isinstance(description, Mapping) or description.get("format") != 1:
        return False
    shipped = json.loads(SHIPPED_FORMAT.read_text(encoding="utf-8"))
    return (shipped.get("format") == 2 and description.get("normalise") == FORMAT_1_NORMALISE
            and shipped["normalise"].get("name") == FORMAT_1_NORMALISE
            and description.get("tokenizer") == shipped["tokenizer"]
            and description.get("analyzer") == shipped["analyzer"])


@lru_cache(maxsize=1)
def shipped_analyzer() -> Analyzer:
    """The analyzer of the contract as shipped with the code (SHIPPED_FORMAT)."""
    return Analyzer.from_file(SHIPPED_FORMAT)


_STEM = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(
    tantivy.Filter.stemmer("english")).build()


def _stem(token: str) -> str:
    return _STEM.analyze(token)[0]


@dataclass(frozen=True)
class Word:
    """One index term. Plain words match their English word forms unless `exact`."""
    token: str
    exact: bool = False
    prefix: bool = False

    def __str__(self) -> str:
        return ("=" if self.exact else "") + self.token + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Phrase:
    """Consecutive terms; also what a hyphenated or dotted word (al-Assad, U.N.) becomes."""
    tokens: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        return '"' + " ".join(self.tokens) + ("*" if self.prefix else "") + '"'

    @property
    def acronym(self) -> str | None:
        """"un" for U.N.: single letters written with dots also match the word written solid."""
        if len(self.tokens) > 1 and all(len(t) == 1 for t in self.tokens) and not self.prefix:
            return "".join(self.tokens)
        return None


@dataclass(frozen=True)
class Not:
    child: "Node"

    def __str__(self) -> str:
        inner = str(self.child)
        return "-" + inner if isinstance(self.child, (Word, Phrase)) else "NOT (" + inner + ")"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]

    def __str__(self) -> str:
        return " ".join(f"({c})" if isinstance(c, Or) else str(c) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]

    def __str__(self) -> str:
        return " OR ".join(f"({c})" if isinstance(c, And) else str(c) for c in self.children)


Node = Word | Phrase | Not | And | Or


@dataclass
class ParsedQuery:
    """What the user typed, how it was read (`root`, `reading`) and what had to be fixed."""
    text: str
    root: Node | None
    notices: list[str] = field(default_factory=list)
    analyzer: Analyzer | None = field(default=None, compare=False, repr=False)   # what made the terms

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable was typed: callers should apply no keyword filter."""
        return self.root is None

    @property
    def reading(self) -> str:
        """The query as understood, in the same syntax (parsing it again gives the same tree)."""
        return "" if self.root is None else str(self.root)



_QUOTE_CHARS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"})
_OPERATORS = {"OR": "or", "|": "or", "||": "or", "AND": "and", "&": "and", "&&": "and", "NOT": "not"}
_SOFT_OPERATORS = {"or", "and", "not"}


def _shown(text: str, limit: int = 40) -> str:
    text = text if len(text) <= limit else text[:limit] + "…"
    return "“" + text + "”"


def _lex(q: str, notices: list[str]) -> list[tuple]:
    """Tokens: ("word", text, exact, prefix) ("phrase", text) ("(",) (")",) ("or",) ("and",) ("not",)."""
    out: list[tuple] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                notices.append("A quote was not closed: the rest of the query is read as one phrase.")
                j = n
            out.append(("phrase", q[i + 1:j]))
            i = j + 1
        elif c in "()":
            out.append((c,))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '"()':
                j += 1
            _lex_word(q[i:j], q[j] if j < n else "", out, notices)
            i = j
    return out


def _lex_word(t: str, following: str, out: list[tuple], notices: list[str]) -> None:
    if t in _OPERATORS:
        out.append((_OPERATORS[t],))
        return
    if t.lower() in _SOFT_OPERATORS and t != t.upper():
        notices.append(f"{_shown(t)} is searched as a word; write {t.upper()} in capitals "
                       "to use it as an operator.")
    negate = t.startswith("-")
    t = t.lstrip("-+")
    exact = t.startswith("=")
    t = t.lstrip("=")
    if not t:
        if negate and following in '"(' and following:
            out.append(("not",))
        elif negate or exact:
            notices.append("A lone “-” or “=” was ignored: write it right before a word, "
                           "like -regime or =defect.")
        return
    if negate:
        out.append(("not",))
    prefix = t.endswith("*")
    out.append(("word", t.rstrip("*"), exact, prefix))


def _limit_depth(tokens: list[tuple], notices: list[str]) -> list[tuple]:
    """Drop parentheses nested deeper than MAX_DEPTH (and their partners): keeps recursion bounded."""
    out, stack, dropped = [], [], False
    for tok in tokens:
        if tok[0] == "(":
            keep = len([k for k in stack if k]) < MAX_DEPTH
            stack.append(keep)
            dropped |= not keep
            if keep:
                out.append(tok)
        elif tok[0] == ")" and stack:
            if stack.pop():
                out.append(tok)
        else:
            out.append(tok)
    if dropped:
        notices.append(f"Parentheses nested deeper than {MAX_DEPTH} levels were flattened.")
    return out


class _Parser:
    """Recursive descent over the lexed tokens; every problem becomes a notice, never an error."""

    def __init__(self, tokens: list[tuple], notices: list[str], analyzer: Analyzer):
        self.analyzer = analyzer
        self.tokens = _limit_depth(tokens, notices)
        self.pos = 0
        self.notices = notices
        self.n_terms = 0
        self.warned: set[str] = set()

    def note(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.notices.append(message)

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        parts = [self.parse_and()]
        while self.pos < len(self.tokens):          # only a stray ")" stops parse_and early
            self.pos += 1
            self.note("close", "A “)” without a matching “(” was ignored.")
            parts.append(self.parse_and())
        return _and([p for p in parts if p is not None])

    def parse_and(self) -> Node | None:
        """Words side by side must all match; OR binds tighter: `a b OR c` is a AND (b OR c)."""
        items: list[Node] = []
        while (kind := self.peek()) not in (None, ")"):
            if kind in ("and", "or"):
                self.pos += 1
                if kind == "or" or not items or self.peek() in (None, ")", "or"):
                    self.note(kind, f"“{kind.upper()}” needs a word on each side; "
                              f"the lone {kind.upper()} was ignored.")
                continue
            item = self.parse_or()
            if item is not None:
                items.append(item)
        return _and(items)

    def parse_or(self) -> Node | None:
        parts = [self.parse_unary()]
        while self.peek() == "or":
            self.pos += 1
            while self.peek() == "or":
                self.pos += 1
            if self.peek() in (None, ")", "and"):
                self.note("or", "“OR” needs a word on each side; the lone OR was ignored.")
                break
            parts.append(self.parse_unary())
        return _or([p for p in parts if p is not None])

    def parse_unary(self) -> Node | None:
        negate = False
        while self.peek() == "not":
            self.pos += 1
            negate = not negate
        if self.peek() in (None, ")", "or", "and"):
            self.note("not", "“NOT” or “-” needs a word after it; it was ignored.")
            return None
        node = self.parse_primary()
        if node is None or not negate:
            return node
        return node.child if isinstance(node, Not) else Not(node)

    def parse_primary(self) -> Node | None:
        tok = self.tokens[self.pos]
        self.pos += 1
        kind = tok[0]
        if kind == "(":
            node = self.parse_and()
            if self.peek() == ")":
                self.pos += 1
            else:
                self.note("open", "A “(” was not closed; it is closed at the end of the query.")
            if node is None:
                self.note("empty", "Empty parentheses were ignored.")
            return node
        if kind == "phrase":
            text = tok[1].strip()
            return self.term(text.rstrip("*"), exact=True, prefix=text.endswith("*"), quoted=True)
        return self.term(tok[1], exact=tok[2], prefix=tok[3], quoted=False)

    def term(self, text: str, exact: bool, prefix: bool, quoted: bool) -> Node | None:
        shown = _shown(f'"{text}"' if quoted else text)
        tokens = tuple(self.analyzer.analyze(text))
        if not tokens:
            if text:
                self.note("nothing:" + text, f"{shown} was ignored: it has no letters or digits "
                          "that can be searched (words longer than 40 letters are not indexed).")
            elif quoted:
                self.note("emptyquote", "Empty quotes were ignored.")
            return None
        self.n_terms += len(tokens)
        if self.n_terms > MAX_TERMS:
            self.note("terms", f"Only the first {MAX_TERMS} words are searched.")
            return None
        if prefix and len(tokens) == 1 and len(tokens[0]) < MIN_PREFIX_CHARS:
            self.note("short:" + text, f"{shown}: a prefix needs at least {MIN_PREFIX_CHARS} "
                      "letters; searched as a whole word.")
            prefix = False
        if len(tokens) == 1:
            return Word(tokens[0], exact=exact and not prefix, prefix=prefix)
        return Phrase(tokens, prefix=prefix)


def _and(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, And) else (item,))
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, Or) else (item,))
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(isinstance(c, Not) for c in node.children)
    return False


def parse(q: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Read a keyword query. Never raises: problems are explained in `.notices`.

    Words become index terms with `analyzer` (an opened index's: `SearchIndex.analyzer`), by
    default that of the contract shipped with the code; a query parsed with another analyzer
    than an index's is read again by that index before it searches.

    The reading is best effort: unclosed quotes and parentheses are closed at the end, stray
    operators and punctuation are dropped, a query of only exclusions matches every article
    without those words.
    """
    notices: list[str] = []
    text = q if isinstance(q, str) else str(q or "")
    if len(text) > MAX_QUERY_CHARS:
        notices.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        text = text[:MAX_QUERY_CHARS]
    text = text.translate(_QUOTE_CHARS)
    analyzer = analyzer or shipped_analyzer()
    root = _Parser(_lex(text, notices), notices, analyzer).parse()
    if root is not None and _only_negative(root):
        notices.append("The query only excludes words, so it matches every article without them.")
    return ParsedQuery(text=q if isinstance(q, str) else text, root=root, notices=notices, analyzer=analyzer)



@dataclass(frozen=True)
class Scope:
    """Filters the index can apply itself, without a DuckDB round trip.

    `start`/`end` are inclusive dates (undated articles are then excluded); `sources` are
    exact `articles.source` values; `countries` ISO codes of `articles.primary_country`.
    """
    start: date | None = None
    end: date | None = None
    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    primary_only: bool = False


@dataclass(frozen=True)
class Hit:
    article_id: str
    score: float
    snippet_html: str    # safe HTML: article text escaped, matched words in <mark>


ArticleTexts = Mapping[str, Mapping[str, str | None]]   # article_id -> {"title", "caption", "body"}

_EPOCH = date(1970, 1, 1)
_GRAINS = ("day", "week", "month", "year")


class IndexUnavailable(Exception):
    """The index directory is missing, unreadable or of another format version."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class SearchIndex:
    """One snapshot's index, opened read-only. Use `SearchIndex.open(path)` (cached by path:
    a snapshot's directory never changes once written)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.analyzer = Analyzer.from_file(self.path / FORMAT_FILE)
        except FormatUnreadable as exc:
            raise IndexUnavailable(self.path, f"{exc}; rebuild the index with `python -m etl reindex`") from exc
        try:
            self._index = tantivy.Index.open(str(self.path))
        except Exception as exc:    # tantivy raises plain ValueError/OSError with a message
            raise IndexUnavailable(self.path, str(exc)) from exc
        self._index.register_tokenizer(self.analyzer.tokenizer, self.analyzer.words)
        self._schema = self._index.schema
        self._searcher = self._index.searcher()
        self._forms_cache: dict[Word, tuple[str, ...]] = {}
        self._address_lock = threading.Lock()
        self._address_ids: tuple[np.ndarray, pa.Array] | None = None

    @staticmethod
    def open(path: Path | str) -> "SearchIndex":
        return _open_cached(str(Path(path).resolve()))

    @property
    def num_docs(self) -> int:
        return self._searcher.num_docs


    def count(self, parsed: ParsedQuery, scope: Scope | None = None) -> int:
        """Number of matching articles (an empty query matches all)."""
        return self._searcher.search(self.query(parsed, scope), 1, count=True).count

    def matching_ids(self, parsed: ParsedQuery, limit: int | None = None,
                     scope: Scope | None = None) -> list[str]:
        """Ids of all (or the best `limit`) matching articles, best first.

        Costs about 1 µs per hit in Python; see docs/search.md before asking for millions.
        """
        return [aid for aid, _ in self.scored_ids(parsed, limit, scope)]

    def scored_ids(self, parsed: ParsedQuery, limit: int | None = None,
                   scope: Scope | None = None) -> list[tuple[str, float]]:
        """(article_id, relevance score) for matching articles, best first."""
        query = self.query(parsed, scope)
        total = self._searcher.search(query, 1, count=True).count
        n = total if limit is None else min(limit, total)
        if n <= 0:
            return []
        hits = self._searcher.search(query, n, count=False).hits
        doc = self._searcher.doc
        return [(doc(addr).get_first("article_id"), score) for score, addr in hits]

    def matching_table(self, parsed: ParsedQuery, scope: Scope | None = None) -> pa.Table:
        """`ids_table` of every matching article, best first: the same ids as `matching_ids`.

        Many hits are mapped to ids through `ids_by_address` (one Arrow `take`) instead of one
        stored-document read each, which is what makes a word found in half of a million
        articles affordable (about 4x fewer microseconds per hit).
        """
        query = self.query(parsed, scope)
        total = self._searcher.search(query, 1, count=True).count
        if total <= 0:
            return ids_table([])
        hits = self._searcher.search(query, total, count=False).hits
        if total <= DIRECT_ID_HITS:
            doc = self._searcher.doc
            return ids_table([doc(addr).get_first("article_id") for _, addr in hits])
        taken = self.ids_by_address()[1].take(pa.array(self._slots(hits)))
        return pa.table({"article_id": taken, "rank": pa.array(np.arange(len(hits), dtype=np.int32))})

    def matching_slots(self, parsed: ParsedQuery, scope: Scope | None = None) -> np.ndarray:
        """Positions in `ids_by_address()` of every matching document, best first: a reader
        that keeps its own array aligned with those positions (the dashboard maps them to
        integer row keys) looks hits up with one numpy take, without any stored-document read."""
        query = self.query(parsed, scope)
        total = self._searcher.search(query, 1, count=True).count
        if total <= 0:
            return np.zeros(0, np.int64)
        return self._slots(self._searcher.search(query, total, count=False).hits)

    def _slots(self, hits) -> np.ndarray:
        offsets, _ = self.ids_by_address()
        segs = np.fromiter((addr.segment_ord for _, addr in hits), np.int64, len(hits))
        docs = np.fromiter((addr.doc for _, addr in hits), np.int64, len(hits))
        return offsets[segs] + docs

    def ids_by_address(self) -> tuple[np.ndarray, pa.Array]:
        """(per-segment offsets, article ids): the id of document (segment s, doc d) is
        `ids[offsets[s] + d]`. Built once per opened index by reading every stored id
        (about 1 µs per article); call it early to keep that off the first query."""
        with self._address_lock:
            if self._address_ids is None:
                n = self._searcher.num_docs
                hits = self._searcher.search(tantivy.Query.all_query(), n, count=False).hits if n else []
                segs = np.fromiter((addr.segment_ord for _, addr in hits), np.int64, len(hits))
                docs = np.fromiter((addr.doc for _, addr in hits), np.int64, len(hits))
                n_segs = int(segs.max()) + 1 if len(hits) else 0
                sizes = np.zeros(n_segs, np.int64)
                if len(hits):
                    np.maximum.at(sizes, segs, docs + 1)
                offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
                slots: list[str | None] = [None] * int(sizes.sum())
                doc = self._searcher.doc
                for pos, (_, addr) in zip((offsets[segs] + docs).tolist(), hits):
                    slots[pos] = doc(addr).get_first("article_id")
                self._address_ids = (offsets, pa.array(slots, pa.string()))
            return self._address_ids

    def top_hits(self, parsed: ParsedQuery, n: int = 50, offset: int = 0,
                 scope: Scope | None = None,
                 texts: Callable[[list[str]], ArticleTexts] | None = None) -> list[Hit]:
        """The `n` best matches after `offset`, with snippets.

        The index does not store article text (DuckDB has it): pass `texts`, a function from
        a list of ids to {id: {"title", "caption", "body"}}, to get snippets; without it
        `snippet_html` is empty.
        """
        if n <= 0 or offset < 0:
            return []
        hits = self._searcher.search(self.query(parsed, scope), n, count=False, offset=offset).hits
        doc = self._searcher.doc
        scored = [(doc(addr).get_first("article_id"), score) for score, addr in hits]
        found = texts([aid for aid, _ in scored]) if texts and scored else {}
        terms = set(self.highlight_terms(parsed)) if found else set()
        out = []
        for aid, score in scored:
            row = found.get(aid) or {}
            body = "\n".join(t for t in (row.get("caption"), row.get("body")) if t)
            out.append(Hit(aid, float(score), _snippet(body, terms, self.analyzer) if row else ""))
        return out

    def histogram(self, parsed: ParsedQuery, grain: str = "month",
                  scope: Scope | None = None) -> list[tuple[date, int]]:
        """Matching dated articles per period [(period start, count)], periods without any
        match left out. `grain`: day, week (starting Monday), month or year."""
        if grain not in _GRAINS:
            raise ValueError(f"grain must be one of {_GRAINS}, not {grain!r}")
        agg = {"days": {"histogram": {"field": "day", "interval": 1, "min_doc_count": 1}}}
        result = self._searcher.aggregate(self.query(parsed, scope), agg)
        counts: dict[date, int] = {}
        for bucket in result.get("days", {}).get("buckets", []):
            if not bucket["doc_count"]:
                continue
            period = _period(_EPOCH + timedelta(days=int(bucket["key"])), grain)
            counts[period] = counts.get(period, 0) + int(bucket["doc_count"])
        return sorted(counts.items())

    def highlight_terms(self, parsed: ParsedQuery) -> list[str]:
        """Index terms that matched positively (word forms and prefix completions included),
        for marking words in an article's full text; see also `highlight_html`."""
        terms: set[str] = set()
        self._collect_terms(self._own(parsed).root, terms)
        return sorted(terms)

    def highlight_html(self, parsed: ParsedQuery, text: str) -> str:
        """`text` escaped as HTML with the query's words in <mark> (for the article drilldown)."""
        return _mark(text, set(self.highlight_terms(parsed)), self.analyzer)

    def highlight_spans(self, parsed: ParsedQuery, text: str) -> list[tuple[int, int]]:
        """Character spans in `text` of the query's words, for callers that merge them with
        marks of their own (the drilldown's evidence)."""
        return _matches(text or "", set(self.highlight_terms(parsed)), self.analyzer)[0]

    def snippet_html(self, parsed: ParsedQuery, text: str) -> str:
        """The best window of `text` for the query, escaped, words in <mark> (as in `top_hits`)."""
        return _snippet(text or "", set(self.highlight_terms(parsed)), self.analyzer)


    def parse(self, q: str) -> ParsedQuery:
        """`parse` with this index's analyzer."""
        return parse(q, self.analyzer)

    def _own(self, parsed: ParsedQuery) -> ParsedQuery:
        """`parsed` in this index's terms: a query parsed with another analyzer (the shipped
        contract, when this index was written by another version) is read again."""
        if parsed.analyzer is None or parsed.analyzer is self.analyzer or parsed.analyzer.key == self.analyzer.key:
            return parsed
        return parse(parsed.text, self.analyzer)

    def query(self, parsed: ParsedQuery, scope: Scope | None = None) -> tantivy.Query:
        """The tantivy Query for a parsed query restricted to `scope`."""
        root = self._own(parsed).root
        base = tantivy.Query.all_query() if root is None else self._node(root)
        filters = self._scope_filters(scope)
        if not filters:
            return base
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, base)]
                                           + [(tantivy.Occur.Must, f) for f in filters])

    def _node(self, node: Node) -> tantivy.Query:
        Q, Occur = tantivy.Query, tantivy.Occur
        if isinstance(node, Word):
            return self._fields(lambda f: self._word_query(node, f))
        if isinstance(node, Phrase):
            return self._fields(lambda f: self._phrase_query(node, f))
        if isinstance(node, Not):
            return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, self._node(node.child))])
        if isinstance(node, And):
            clauses = [(Occur.MustNot, self._node(c.child)) if isinstance(c, Not)
                       else (Occur.Must, self._node(c)) for c in node.children]
            if all(occ == Occur.MustNot for occ, _ in clauses):
                clauses.insert(0, (Occur.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        return Q.boolean_query([(Occur.Should, self._node(c)) for c in node.children])

    def _fields(self, make: Callable[[str], tantivy.Query]) -> tantivy.Query:
        title = tantivy.Query.boost_query(make("title"), TITLE_BOOST)
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, title),
                                            (tantivy.Occur.Should, make("body"))])

    def _word_query(self, word: Word, field_name: str) -> tantivy.Query:
        if word.prefix:
            return tantivy.Query.regex_query(self._schema, field_name, _regex_literal(word.token) + ".*")
        forms = self._forms(word)
        if len(forms) == 1:
            return tantivy.Query.term_query(self._schema, field_name, forms[0])
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self._schema, field_name, f)) for f in forms])

    def _phrase_query(self, phrase: Phrase, field_name: str) -> tantivy.Query:
        words = list(phrase.tokens)
        if phrase.prefix:
            q = tantivy.Query.phrase_prefix_query(self._schema, field_name, words)
        else:
            q = tantivy.Query.phrase_query(self._schema, field_name, words)
        if phrase.acronym:
            solid = tantivy.Query.term_query(self._schema, field_name, phrase.acronym)
            q = tantivy.Query.boolean_query([(tantivy.Occur.Should, q), (tantivy.Occur.Should, solid)])
        return q

    def _forms(self, word: Word) -> tuple[str, ...]:
        """The indexed words sharing `word`'s English stem (itself when exact or not English)."""
        cached = self._forms_cache.get(word)
        if cached is not None:
            return cached
        token = word.token
        forms = {token}
        if not word.exact and token.isascii() and token.isalpha() and len(token) >= 4:
            stem = _stem(token)
            common = os.path.commonprefix([token, stem])
            # Porter may change the stem's last letter (study -> studi), so look one letter back
            prefix = common[:max(3, min(len(common), len(stem) - 1))]
            for field_name in ("title", "body") if len(prefix) >= 3 else ():
                for term, _ in self._searcher.terms_with_prefix(field_name, prefix,
                                                                limit=MAX_STEM_CANDIDATES):
                    if term not in forms and term.isascii() and _stem(term) == stem:
                        forms.add(term)
        result = tuple(sorted(forms))
        self._forms_cache[word] = result
        return result

    def _scope_filters(self, scope: Scope | None) -> list[tantivy.Query]:
        if scope is None:
            return []
        out = []
        if scope.start is not None or scope.end is not None:
            lo = (scope.start - _EPOCH).days if scope.start else None
            hi = (scope.end - _EPOCH).days if scope.end else None
            out.append(tantivy.Query.range_query(self._schema, "day", tantivy.FieldType.Integer,
                                                 lower_bound=lo if lo is not None else -(2 ** 62),
                                                 upper_bound=hi if hi is not None else 2 ** 62))
        if scope.sources:
            out.append(tantivy.Query.term_set_query(self._schema, "source", list(scope.sources)))
        if scope.countries:
            out.append(tantivy.Query.term_set_query(self._schema, "country", list(scope.countries)))
        if scope.primary_only:
            out.append(tantivy.Query.term_query(self._schema, "primary", True))
        return out

    def _collect_terms(self, node: Node | None, terms: set[str]) -> None:
        if node is None or isinstance(node, Not):
            return
        if isinstance(node, Word):
            if node.prefix:
                for field_name in ("title", "body"):
                    for term, _ in self._searcher.terms_with_prefix(
                            field_name, node.token, limit=MAX_HIGHLIGHT_PREFIX_TERMS):
                        terms.add(term)
            else:
                terms.update(self._forms(node))
        elif isinstance(node, Phrase):
            terms.update(node.tokens)
            if node.acronym:
                terms.add(node.acronym)
        else:
            for child in node.children:
                self._collect_terms(child, terms)


@lru_cache(maxsize=8)
def _open_cached(path: str) -> SearchIndex:
    return SearchIndex(Path(path))


def open_for_db(db_path: Path, index_dir_value: str | None) -> SearchIndex | None:
    """The index named by a snapshot's `meta.index_dir` (relative to the DB file's folder),
    or None when the snapshot has none or it cannot be opened (the reason is logged)."""
    if not index_dir_value:
        return None
    path = Path(db_path).parent / index_dir_value
    try:
        return SearchIndex.open(path)
    except IndexUnavailable as exc:
        log.warning("keyword search unavailable: %s", exc)
        return None


def ids_table(ids: Sequence[str], scores: Sequence[float] | None = None) -> pa.Table:
    """An Arrow table (article_id, rank[, score]) to register in DuckDB and join on."""
    columns = {"article_id": pa.array(list(ids), pa.string()),
               "rank": pa.array(range(len(ids)), pa.int32())}
    if scores is not None:
        columns["score"] = pa.array(list(scores), pa.float64())
    return pa.table(columns)



def _regex_literal(token: str) -> str:
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in token)


def _period(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    return day


def _matches(text: str, terms: Collection[str], analyzer: Analyzer) -> tuple[list[tuple[int, int]], list[int] | None]:
    """Character spans in `text` of tokens whose index term is in `terms`."""
    norm, positions = analyzer.normalise_with_positions(text)
    spans = []
    if terms:
        for tok in analyzer.words.pre_tokenize(norm).tokens:
            if tok.text in terms:
                a, b = tok.char_offset_from, tok.char_offset_to
                if positions is not None:
                    a, b = positions[a], positions[b - 1] + 1
                spans.append((a, b))
    return spans, positions


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def _mark(text: str, terms: Collection[str], analyzer: Analyzer) -> str:
    spans, _ = _matches(text, terms, analyzer)
    return _render(text, spans, 0, len(text))


def _snippet(text: str, terms: Collection[str], analyzer: Analyzer, width: int = SNIPPET_CHARS) -> str:
    """The `width`-character window of `text` holding the most distinct matched words."""
    text = " ".join(text.split())
    spans, _ = _matches(text, terms, analyzer)
    best_start, best_score = 0, 0
    for i, (a, _) in enumerate(spans):
        seen = set()
        for x, y in spans[i:]:
            if y > a + width:
                break
            seen.add(text[x:y].lower())
        if len(seen) > best_score:
            best_start, best_score = a, len(seen)
    start = max(0, best_start - width // 5) if best_score else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _render(text, spans, start, end)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
