"""The taxonomy file (etl/taxonomy.toml, its format documented at its top): topics with their
terms, exclusions and thresholds, and the settings of the tagger (field weights, background,
negation). `load_taxonomy(path)` reads and validates it; `etl.extract.topics.Tagger` matches it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / "taxonomy.toml"

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# "{air,drone} strike": alternatives in braces, expanded by etl.extract.topics.expand_term
BRACES = re.compile(r"\{([^{}]*)\}")


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message names the topic and the problem."""


@dataclass(slots=True, frozen=True)
class Topic:
    topic_id: str
    label: str
    definition: str
    color: str
    sort_order: int
    strong: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_raw: float = 1.0
    require_strong: bool = False
    # threshold in a short text (an event note, a headline); None: settings.short_min_raw
    short_min_raw: float | None = None


@dataclass(slots=True, frozen=True)
class Settings:
    title_weight: float = 2.0
    caption_weight: float = 1.0
    body_weight: float = 1.0
    saturation: float = 4.0
    min_raw: float = 1.0
    background_weight: float = 0.0
    background_cues: tuple[str, ...] = ()
    background_date_cues: tuple[str, ...] = ()
    background_trailers: tuple[str, ...] = ()
    short_text_chars: int = 0
    short_min_raw: float = 1.0
    negation_cues: tuple[str, ...] = ()
    negation_post_cues: tuple[str, ...] = ()
    negation_predicate_cues: tuple[str, ...] = ()
    negation_prepositions: tuple[str, ...] = ()
    negation_pseudo: tuple[str, ...] = ()
    negation_stops: tuple[str, ...] = ()
    negation_words: int = 5
    negation_post_words: int = 2
    negation_predicate_words: int = 8


@dataclass(slots=True, frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    settings: Settings = field(default_factory=Settings)


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Parse a taxonomy TOML file (format documented at the top of etl/taxonomy.toml)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid TOML: {exc}") from exc
    return parse_taxonomy(data, source=str(path))


def parse_taxonomy(data: dict, source: str = "taxonomy") -> Taxonomy:
    """Build a Taxonomy from already-parsed TOML data, validating every field."""
    raw_settings = data.get("settings", {})
    background = data.get("background", {})
    negation = data.get("negation", {})
    settings = Settings(
        title_weight=float(raw_settings.get("title_weight", 2.0)),
        caption_weight=float(raw_settings.get("caption_weight", 1.0)),
        body_weight=float(raw_settings.get("body_weight", 1.0)),
        saturation=float(raw_settings.get("saturation", 4.0)),
        min_raw=float(raw_settings.get("min_raw", 1.0)),
        background_weight=float(background.get("weight", 0.0)),
        background_cues=tuple(background.get("cues", ())),
        background_date_cues=tuple(background.get("date_cues", ())) + tuple(background.get("long_cues", ())),
        background_trailers=tuple(background.get("trailers", ())),
        short_text_chars=int(raw_settings.get("short_text_chars", 0)),
        short_min_raw=float(raw_settings.get("short_min_raw", 1.0)),
        negation_cues=tuple(negation.get("cues", ())),
        negation_post_cues=tuple(negation.get("post_cues", ())),
        negation_predicate_cues=tuple(negation.get("predicate_cues", ())),
        negation_prepositions=tuple(negation.get("prepositions", ())),
        negation_pseudo=tuple(negation.get("pseudo", ())),
        negation_stops=tuple(negation.get("stops", ())),
        negation_words=int(negation.get("words", 5)),
        negation_post_words=int(negation.get("post_words", 2)),
        negation_predicate_words=int(negation.get("predicate_words", 8)),
    )
    if settings.saturation <= 0:
        raise TaxonomyError(f"{source}: settings.saturation must be > 0")
    topics = []
    seen: set[str] = set()
    for order, block in enumerate(data.get("topic", []), start=1):
        topic_id = block.get("id", "")
        where = f"{source}: topic #{order} ({topic_id or 'no id'})"
        if not _TOPIC_ID.match(topic_id):
            raise TaxonomyError(f"{where}: id must be lower_snake_case")
        if topic_id in seen:
            raise TaxonomyError(f"{where}: duplicate id")
        seen.add(topic_id)
        for key in ("label", "definition", "color"):
            if not isinstance(block.get(key), str) or not block[key].strip():
                raise TaxonomyError(f"{where}: missing {key}")
        if not _HEX_COLOR.match(block["color"]):
            raise TaxonomyError(f"{where}: color must look like #rrggbb, got {block['color']!r}")
        lists = {}
        for key in ("strong", "terms", "weak", "exclude"):
            value = block.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TaxonomyError(f"{where}: {key} must be a list of strings")
            lists[key] = tuple(value)
        for key in ("strong", "terms", "weak", "exclude"):
            for term in lists[key]:
                if "{" in BRACES.sub("", term) or "}" in BRACES.sub("", term):
                    raise TaxonomyError(f"{where}: {key} {term!r}: braces cannot nest or stay open")
                if "*" in term and (term.count("*") > 1 or " * " not in BRACES.sub("", term)
                                      or not all(half.strip() for half in term.split(" * "))):
                    raise TaxonomyError(f"{where}: {key} {term!r}: one \" * \" between two phrases, outside braces")
        if not (lists["strong"] or lists["terms"] or lists["weak"]):
            raise TaxonomyError(f"{where}: no strong, terms or weak entries")
        topics.append(Topic(
            topic_id=topic_id, label=block["label"].strip(), definition=block["definition"].strip(),
            color=block["color"].upper(), sort_order=order,
            min_raw=float(block.get("min_raw", settings.min_raw)),
            short_min_raw=(float(block["short_min_raw"]) if "short_min_raw" in block else None),
            require_strong=bool(block.get("require_strong", False)), **lists,
        ))
    if not topics:
        raise TaxonomyError(f"{source}: no [[topic]] blocks")
    return Taxonomy(topics=tuple(topics), settings=settings)


def taxonomy_rows(taxonomy: Taxonomy) -> list[dict]:
    """Rows for the `topics` table, in display order."""
    return [
        {"topic_id": t.topic_id, "label": t.label, "definition": t.definition,
         "color": t.color, "sort_order": t.sort_order}
        for t in taxonomy.topics
    ]
