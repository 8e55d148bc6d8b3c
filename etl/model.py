"""Plain data types passed between readers, extractors, the pipeline and the store.

Readers yield `RawArticle`s (or `ItemError`s for single bad items); extractors take a
`Doc` and return the typed results below. Nothing here does I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import datetime

from etl.text import snippet


@dataclass(slots=True)
class RawArticle:
    """One article as a reader found it, before any enrichment."""

    input_path: str
    item: str                      # locator inside the input: "" for one-article files, "row 12", "item <guid>"
    input_format: str              # archive_text | html | feed | csv | jsonl | parquet
    body: str                      # plain text, paragraphs separated by a blank line
    title: str | None = None
    url: str | None = None
    source: str | None = None      # outlet name as given by the input
    author: str | None = None
    published_raw: str | None = None   # date string from structured metadata (meta tag, feed, column)
    language: str | None = None
    caption: str | None = None
    media_id: str | None = None
    dateline: str | None = None    # raw dateline prefix when a reader already split it off
    extra: dict = field(default_factory=dict)   # unmapped columns / metadata, JSON-serialisable


@dataclass(slots=True)
class ItemError:
    """A single unreadable item inside an otherwise readable input (a bad CSV row, a feed entry)."""

    input_path: str
    item: str
    kind: str      # short machine name, e.g. "malformed_row", "empty_item"
    reason: str    # human sentence, specific


@dataclass(slots=True, frozen=True)
class Doc:
    """The text fields extractors look at. Offsets in evidence refer to one of these fields."""

    title: str
    caption: str
    body: str


@dataclass(slots=True)
class Evidence:   # not frozen: extractors create tens per article and frozen init costs 4x
    field: str     # "title" | "caption" | "body"
    start: int     # character offset in that field
    end: int
    text: str      # the matched text, doc.<field>[start:end]
    source: str = dataclass_field(default="", repr=False, compare=False)   # doc.<field> itself

    @property
    def snippet(self) -> str:
        """About 120 characters of whole words around the match, for display; cut on demand
        (most evidence is only stored, and the store keeps offsets, not passages)."""
        return snippet(self.source, self.start, self.end) if self.source else self.text


@dataclass(slots=True)
class TopicTag:
    topic_id: str
    score: float
    evidence: list[Evidence]


@dataclass(slots=True)
class PlaceMention:
    place_id: str            # gazetteer id, e.g. "geonames:170063" or "country:SY"
    name: str                # canonical English name
    kind: str                # country | region | city
    country_code: str        # ISO 3166-1 alpha-2
    region: str | None       # English ADM1 name ("Idlib"), None for countries
    lat: float | None
    lon: float | None
    role: str                # dateline | mentioned
    evidence: list[Evidence]


@dataclass(slots=True)
class Entity:
    entity_id: str           # normalised key, one per real-world person/org ("bashar al-assad")
    name: str                # display name ("Bashar al-Assad")
    kind: str                # person | org
    title: str | None        # rank or role where given ("Brigadier General")
    evidence: list[Evidence]


@dataclass(slots=True, frozen=True)
class PubDate:
    value: datetime | None
    precision: str | None    # day | month | year | None when unknown
    source: str              # metadata | text | sidecar | url | none


@dataclass(slots=True, frozen=True)
class Dateline:
    place: str               # "Amman"
    outlet: str | None       # "Asharq Al-Awsat"
    end: int                 # offset in body where the story text starts
