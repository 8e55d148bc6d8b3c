"""Title and date accuracy, and speed, of the HTML reader on the trafilatura evaluation pages
(`corpus/html/trafilatura-eval/` in the shared corpus: 990 gzipped pages, gold title on 845
and gold date on 728 of them).

Matching rules:
* title: equal after lower-casing, dropping punctuation and soft hyphens, and collapsing
  spaces; or one contained in the other (a site name appended, a kicker prepended);
* date: the same calendar day. A few gold dates are typed day-first ("2022-29-11") and are
  read as such. The share that is at most one day off is reported too: pages often carry a
  UTC timestamp in metadata while the gold is the local date printed on the page.
"""
from __future__ import annotations

import gzip
import json
import re
import time
from datetime import date
from pathlib import Path

import trafilatura

from etl.errors import InputError
from etl.readers import html

EVAL_DIR = Path("corpus/html/trafilatura-eval")
_PUNCT = re.compile(r"[\W_]+")


def gold_dir(shared_dir: Path, relative: Path, marker: str) -> Path:
    """A gold set's folder, given either that folder (it holds `marker`) or the shared
    corpus root (the set is then at `relative` inside it)."""
    shared_dir = Path(shared_dir)
    return shared_dir if (shared_dir / marker).exists() else shared_dir / relative


def _eval_dir(shared_dir: Path) -> Path:
    return gold_dir(shared_dir, EVAL_DIR, "evaldata.json")


def read_page(name: str, data: bytes):
    """The HTML reader's article for a page, or None when it refuses the page."""
    try:
        return next(iter(html.read(name, data)), None)
    except InputError:
        return None


def norm_title(title: str | None) -> str:
    return _PUNCT.sub(" ", (title or "").replace("\xad", "").lower()).strip()


def title_matches(gold: str, found: str | None) -> bool:
    g, f = norm_title(gold), norm_title(found)
    return bool(f) and (g == f or g in f or f in g)


def parse_gold_date(value: str) -> date | None:
    """'2020-02-18' -> date; tolerates the day-first slips in the gold ('2022-29-11')."""
    match = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", value or "")
    if not match:
        return None
    year, a, b = (int(x) for x in match.groups())
    if a > 12:
        a, b = b, a
    try:
        return date(year, a, b)
    except ValueError:
        return None


def parse_found_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def load_pages(shared_dir: Path, limit: int | None = None) -> list[tuple[str, dict, bytes]]:
    """(file name, gold entry, page bytes) for pages with a gold title or date, in gold order."""
    base = _eval_dir(shared_dir)
    gold = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    url_to_file = json.loads((base / "url_to_file.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in gold.items():
        if not (entry.get("title") or entry.get("date")):
            continue
        pages.append((url_to_file[url], entry, gzip.decompress((base / url_to_file[url]).read_bytes())))
        if limit is not None and len(pages) >= limit:
            break
    return pages


def evaluate_html(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    """Run the HTML reader over the gold pages and return accuracy figures.

    Keys: html_title_accuracy, html_date_accuracy, html_date_within_1_day, html_pages,
    html_title_gold, html_date_gold, html_failed (pages the reader refused), html_seconds.
    """
    pages = load_pages(shared_dir, limit)
    titles_ok = titles = dates_ok = dates_near = dates = failed = 0
    started = time.perf_counter()
    for name, entry, data in pages:
        article = read_page(name, data)
        if article is None or not hasattr(article, "title"):
            failed += 1
        if entry.get("title"):
            titles += 1
            titles_ok += article is not None and title_matches(entry["title"], article.title)
        gold_day = parse_gold_date(entry.get("date", ""))
        if gold_day is not None:
            dates += 1
            found = parse_found_date(article.published_raw) if article is not None else None
            dates_ok += found == gold_day
            dates_near += found is not None and abs((found - gold_day).days) <= 1
    seconds = time.perf_counter() - started
    return {
        "html_title_accuracy": round(titles_ok / titles, 4) if titles else 0.0,
        "html_date_accuracy": round(dates_ok / dates, 4) if dates else 0.0,
        "html_date_within_1_day": round(dates_near / dates, 4) if dates else 0.0,
        "html_pages": len(pages),
        "html_title_gold": titles,
        "html_date_gold": dates,
        "html_failed": failed,
        "html_seconds": round(seconds, 2),
    }


def compare_html_speed(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    """Pages/s of the HTML reader against one bare trafilatura call with metadata on the same
    bytes (the least any reader needing title, date and body must do)."""
    pages = load_pages(shared_dir, limit)
    started = time.perf_counter()
    for _, _, data in pages:
        trafilatura.bare_extraction(data, with_metadata=True)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    for name, _, data in pages:
        try:
            list(html.read(name, data))
        except InputError:
            pass
    reader = time.perf_counter() - started
    return {
        "html_pages": len(pages),
        "trafilatura_pages_per_s": round(len(pages) / bare, 1),
        "html_reader_pages_per_s": round(len(pages) / reader, 1),
        "html_reader_speed_ratio": round(bare / reader, 3),
    }


if __name__ == "__main__":
    import sys

    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared"
    print(evaluate_html(shared))
    print(compare_html_speed(shared))
