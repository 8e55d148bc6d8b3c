"""Keyword search for the dashboard: query syntax -> tantivy queries over a snapshot's index.

Owns the user-facing query language (`parse`, `SYNTAX_HELP`), and read-only access to the
index directory named by the snapshot's `meta.index_dir` (`open_for_db`, `SearchIndex`).
User text never reaches tantivy's own query parser: `parse` builds a small tree of typed
nodes and `SearchIndex` turns it into tantivy Query objects.

    analyzer    text -> index terms, built from the index's own search-format.json
    query       the parsed query's tree (Word, Phrase, Not, And, Or) and ParsedQuery
    parser      the query language: parse, SYNTAX_HELP
    index       SearchIndex (counts, ranked ids, hit tables, histograms), open_for_db, ids_table
    highlight   matched words marked in article text, snippets

How text becomes index terms is not known here: every index directory carries the ETL's
description of it (`search-format.json`: analyzer steps and the normalisation table, versioned),
and `Analyzer` is built from that file, so queries are analyzed exactly as the index's text was
(the dashboard imports nothing from etl/). See docs/search.md and docs/architecture.md.
Every public name is re-exported here (`search.parse`, `search.SearchIndex`, ...).
"""
from dashboard.search.analyzer import (FORMAT_FILE, READABLE_FORMATS, SHIPPED_FORMAT, Analyzer, FormatUnreadable,
                                       shipped_analyzer)
from dashboard.search.highlight import SNIPPET_CHARS
from dashboard.search.index import (DIRECT_ID_HITS, MAX_HIGHLIGHT_PREFIX_TERMS, MAX_STEM_CANDIDATES, TITLE_BOOST,
                                    ArticleTexts, Hit, IndexUnavailable, Scope, SearchIndex, ids_table, open_for_db)
from dashboard.search.parser import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, MIN_PREFIX_CHARS, SYNTAX_HELP, parse
from dashboard.search.query import And, Node, Not, Or, ParsedQuery, Phrase, Word

__all__ = [
    "FORMAT_FILE", "READABLE_FORMATS", "SHIPPED_FORMAT", "Analyzer", "FormatUnreadable", "shipped_analyzer",
    "SNIPPET_CHARS",
    "DIRECT_ID_HITS", "MAX_HIGHLIGHT_PREFIX_TERMS", "MAX_STEM_CANDIDATES", "TITLE_BOOST",
    "ArticleTexts", "Hit", "IndexUnavailable", "Scope", "SearchIndex", "ids_table", "open_for_db",
    "MAX_DEPTH", "MAX_QUERY_CHARS", "MAX_TERMS", "MIN_PREFIX_CHARS", "SYNTAX_HELP", "parse",
    "And", "Node", "Not", "Or", "ParsedQuery", "Phrase", "Word",
]
