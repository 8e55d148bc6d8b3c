"""The index contract: how text becomes index terms, read from search-format.json (beside this
module) and written beside every index directory the ETL builds.

The file is data, not code, so that the dashboard builds its query-side analyzer from exactly
what the index was built with (the copy beside the index it opens) without importing etl/.
Whoever changes the analyzer or the normalisation table edits the JSON file and bumps its
`format`; readers refuse a format they do not know and ask for `python -m etl reindex`.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import tantivy

FORMAT_FILE = "search-format.json"
DESCRIPTION: dict = json.loads((Path(__file__).with_name(FORMAT_FILE)).read_text(encoding="utf-8"))
FORMAT_VERSION: int = DESCRIPTION["format"]
# formats of an earlier index an incremental update may build on: version 1 indexed exactly the
# same terms (its description file only named the normalisation instead of holding the table)
UPDATABLE_VERSIONS = {1, FORMAT_VERSION}
WORDS_TOKENIZER: str = DESCRIPTION["tokenizer"]
ANALYZER_SPEC = tuple(tuple(step) if isinstance(step, list) else step for step in DESCRIPTION["analyzer"])
NORMALISE_TABLE: dict[int, int | None] = {
    int(k[2:], 16): (None if v is None else int(v[2:], 16)) for k, v in DESCRIPTION["normalise"]["table"].items()}
_NEEDS_NORMALISING = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(NORMALISE_TABLE)) + "]")


def normalise(text: str) -> str:
    """Apply NORMALISE_TABLE; text without any affected character is returned as is (fast path)."""
    if text.isascii() or not _NEEDS_NORMALISING.search(text):
        return text
    return text.translate(NORMALISE_TABLE)


def words_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer registered as WORDS_TOKENIZER, built from ANALYZER_SPEC."""
    builder = tantivy.TextAnalyzerBuilder(getattr(tantivy.Tokenizer, ANALYZER_SPEC[0])())
    for step in ANALYZER_SPEC[1:]:
        name, *args = step if isinstance(step, tuple) else (step,)
        builder = builder.filter(getattr(tantivy.Filter, name)(*args))
    return builder.build()


def write(index_dir: Path) -> None:
    """Write the description into `index_dir`, by rename (like tantivy's meta.json), so a
    hard-linked previous directory never shares a file that changes."""
    tmp = Path(index_dir) / (FORMAT_FILE + ".tmp")
    tmp.write_text(json.dumps(DESCRIPTION, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, Path(index_dir) / FORMAT_FILE)


def check(index_dir: Path) -> None:
    """Refuse to build on an index directory of a format this code does not update."""
    try:
        info = json.loads((Path(index_dir) / FORMAT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"not a search index directory: {index_dir} ({exc})") from exc
    if info.get("format") not in UPDATABLE_VERSIONS:
        raise ValueError(f"index {index_dir} has format {info.get('format')}, "
                         f"this code writes {FORMAT_VERSION}: rebuild it (python -m etl reindex)")
