"""Read-only access to one snapshot's full-text index (`SearchIndex`, `open_for_db`): a
`ParsedQuery` turned into tantivy queries, counts, ranked ids, Arrow tables of hits, histograms,
and the terms to highlight. See docs/search.md."""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa
import tantivy

from dashboard.search import highlight
from dashboard.search.analyzer import FORMAT_FILE, Analyzer, FormatUnreadable
from dashboard.search.parser import parse
from dashboard.search.query import And, Node, Not, ParsedQuery, Phrase, Word

log = logging.getLogger(__package__)     # "dashboard.search"


MAX_STEM_CANDIDATES = 20_000
MAX_HIGHLIGHT_PREFIX_TERMS = 200
TITLE_BOOST = 2.0
DIRECT_ID_HITS = 20_000      # above this many hits, ids come from the address table (see ids_by_address)


_STEM = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(
    tantivy.Filter.stemmer("english")).build()


def _stem(token: str) -> str:
    return _STEM.analyze(token)[0]


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
            out.append(Hit(aid, float(score), highlight.snippet(body, terms, self.analyzer) if row else ""))
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
        return highlight.marked(text, set(self.highlight_terms(parsed)), self.analyzer)

    def highlight_spans(self, parsed: ParsedQuery, text: str) -> list[tuple[int, int]]:
        """Character spans in `text` of the query's words, for callers that merge them with
        marks of their own (the drilldown's evidence)."""
        return highlight.term_spans(text or "", set(self.highlight_terms(parsed)), self.analyzer)[0]

    def snippet_html(self, parsed: ParsedQuery, text: str) -> str:
        """The best window of `text` for the query, escaped, words in <mark> (as in `top_hits`)."""
        return highlight.snippet(text or "", set(self.highlight_terms(parsed)), self.analyzer)


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
