"""How text becomes index terms, read from the index's own description.

Every index directory carries the ETL's description of it (`search-format.json`: analyzer steps
and the normalisation table, versioned), and `Analyzer` is built from that file, so queries are
analyzed exactly as the index's text was (the dashboard imports nothing from etl/).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import tantivy


FORMAT_FILE = "search-format.json"      # the index contract, beside every index directory
READABLE_FORMATS = {2}                  # the versions of it this module reads
# The contract as the ETL ships it (a data file, not code): the analyzer of a query parsed
# before any index is open (`parse` without one). An opened index always uses its own copy.
SHIPPED_FORMAT = Path(__file__).resolve().parents[2] / "etl" / "search" / FORMAT_FILE


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
