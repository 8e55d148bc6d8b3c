"""Title, date and author accuracy, and speed, of the HTML reader on the gold sets in the
shared corpus that label page metadata:

* `trafilatura-eval` (`corpus/html/trafilatura-eval/`): 990 gzipped pages, gold title on 845,
  date on 728 and author on 538 of them, hand-labelled by trafilatura's authors;
* `newspaper4k` (`corpus/html/newspaper4k/`): 22 pages with newspaper4k's expected metadata
  (title, authors, publish date). These are newspaper's own outputs kept as regression
  fixtures, not hand labels: a few of their authors are wrong ("on December", "Print").

The article-extraction benchmark (`corpus/html/article-extraction-benchmark/`) labels the
body only; its figures are in `html_body`.

Every gold set is split in two by a hash of the page's file name (`split_of`): `dev` pages
are the ones the reader's rules were tuned on, `test` pages are only measured. Figures are
printed for both.

Matching rules:
* title exact: equal after lower-casing, dropping punctuation and soft hyphens, and collapsing
  spaces; title lenient (the figure before this split): or one contained in the other;
* date: the same calendar day. A few gold dates are typed day-first ("2022-29-11") and are
  read as such. The share at most one day off is reported too: pages often carry a UTC
  timestamp in metadata while the gold is the local date printed on the page;
* author (lenient): some name of the gold and some name found (split on commas, "and", "und",
  "&") are equal or one contains the other, after the same normalisation. A page with a gold
  author and none found is a miss.
"""
from __future__ import annotations

import ast
import gzip
import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import trafilatura

from etl.errors import InputError
from etl.readers import html

EVAL_DIR = Path("corpus/html/trafilatura-eval")
NEWSPAPER_DIR = Path("corpus/html/newspaper4k")
SPLITS = ("dev", "test")
_PUNCT = re.compile(r"[\W_]+")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)


def gold_dir(shared_dir: Path, relative: Path, marker: str) -> Path:
    """A gold set's folder, given either that folder (it holds `marker`) or the shared
    corpus root (the set is then at `relative` inside it)."""
    shared_dir = Path(shared_dir)
    return shared_dir if (shared_dir / marker).exists() else shared_dir / relative


def _eval_dir(shared_dir: Path) -> Path:
    return gold_dir(shared_dir, EVAL_DIR, "evaldata.json")


def split_of(name: str) -> str:
    """'dev' or 'test' for a page, from a hash of its file name: fixed across runs and
    machines, about half each."""
    return SPLITS[hashlib.sha256(name.encode("utf-8")).digest()[0] & 1]


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


def title_exact(gold: str, found: str | None) -> bool:
    return bool(norm_title(found)) and norm_title(gold) == norm_title(found)


def _names(value: str | None) -> list[str]:
    return [n for n in (norm_title(part) for part in _NAME_SEPARATORS.split(value or "")) if n]


def author_matches(gold: list[str], found: str | None) -> bool:
    """Lenient author match (see the module's docstring)."""
    wanted = [n for g in gold for n in _names(g)]
    return any(f == g or f in g or g in f for f in _names(found) for g in wanted)


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


@dataclass
class GoldPage:
    """One labelled page: which set and split it is in, its gold metadata, and its bytes."""

    gold_set: str
    name: str
    data: bytes
    title: str | None = None
    day: date | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def split(self) -> str:
        return split_of(self.name)


def _as_list(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def trafilatura_pages(shared_dir: Path, limit: int | None = None) -> list[GoldPage]:
    """Pages of trafilatura's evaluation set with a gold title, date or author, in gold order."""
    base = _eval_dir(shared_dir)
    gold = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    url_to_file = json.loads((base / "url_to_file.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in gold.items():
        if not (entry.get("title") or entry.get("date") or entry.get("author")):
            continue
        name = url_to_file[url]
        pages.append(GoldPage("trafilatura-eval", name, gzip.decompress((base / name).read_bytes()),
                              title=entry.get("title") or None, day=parse_gold_date(entry.get("date", "")),
                              authors=_as_list(entry.get("author"))))
        if limit is not None and len(pages) >= limit:
            break
    return pages


def newspaper_pages(shared_dir: Path) -> list[GoldPage]:
    """newspaper4k fixtures with expected metadata and their page (see the module's docstring)."""
    base = gold_dir(shared_dir, NEWSPAPER_DIR, "head")
    pages = []
    for release in ("head", "older"):
        for meta in sorted((base / release / "metadata").glob("*.json")):
            page = base / release / "html" / f"{meta.stem}.html.gz"
            if not page.exists():
                continue
            entry = json.loads(meta.read_text(encoding="utf-8"))
            authors = entry.get("authors") or []
            if isinstance(authors, str):        # some fixtures hold the list's repr
                try:
                    authors = ast.literal_eval(authors)
                except (ValueError, SyntaxError):
                    authors = [authors]
            day = parse_gold_date(str(entry.get("publish_date") or ""))
            pages.append(GoldPage("newspaper4k", f"{release}/{meta.stem}", gzip.decompress(page.read_bytes()),
                                  title=entry.get("title") or None, day=day, authors=list(authors)))
    return pages


def load_pages(shared_dir: Path, limit: int | None = None) -> list[tuple[str, dict, bytes]]:
    """(file name, gold entry, page bytes) of the trafilatura evaluation pages (kept for the
    speed comparison and the bench)."""
    return [(p.name, {"title": p.title, "date": p.day}, p.data) for p in trafilatura_pages(shared_dir, limit)]


@dataclass
class PageResult:
    page: GoldPage
    found_title: str | None
    found_day: date | None
    found_author: str | None
    refused: bool


def page_results(pages: list[GoldPage]) -> Iterator[PageResult]:
    """What the reader finds on each page."""
    for page in pages:
        article = read_page(page.name, page.data)
        if article is None:
            yield PageResult(page, None, None, None, True)
        else:
            yield PageResult(page, article.title, parse_found_date(article.published_raw), article.author, False)


def score(results: list[PageResult], prefix: str) -> dict[str, float]:
    """Figures of one group of pages, each key starting with `prefix`."""
    titles = [r for r in results if r.page.title]
    dates = [r for r in results if r.page.day]
    authors = [r for r in results if r.page.authors]

    def share(hits, of):
        return round(hits / len(of), 4) if of else 0.0

    return {
        f"{prefix}_title_exact": share(sum(title_exact(r.page.title, r.found_title) for r in titles), titles),
        f"{prefix}_title_lenient": share(sum(title_matches(r.page.title, r.found_title) for r in titles), titles),
        f"{prefix}_date_same_day": share(sum(r.found_day == r.page.day for r in dates), dates),
        f"{prefix}_date_within_1_day": share(sum(r.found_day is not None and abs((r.found_day - r.page.day).days) <= 1
                                                 for r in dates), dates),
        f"{prefix}_author_lenient": share(sum(author_matches(r.page.authors, r.found_author) for r in authors),
                                          authors),
        f"{prefix}_pages": len(results),
        f"{prefix}_title_gold": len(titles),
        f"{prefix}_date_gold": len(dates),
        f"{prefix}_author_gold": len(authors),
        f"{prefix}_refused": sum(r.refused for r in results),
    }


def evaluate_html(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    """Run the HTML reader over the trafilatura evaluation pages and return accuracy figures.

    Keys: html_title_accuracy (lenient), html_date_accuracy, html_date_within_1_day,
    html_pages, html_title_gold, html_date_gold, html_failed (pages the reader refused),
    html_seconds; and `score`'s figures over all pages (`html_all_*`) and per split
    (`html_trafilatura-eval_dev_*`, `..._test_*`).
    """
    pages = trafilatura_pages(shared_dir, limit)
    started = time.perf_counter()
    results = list(page_results(pages))
    seconds = time.perf_counter() - started
    whole = score(results, "html_all")
    figures = {
        "html_title_accuracy": whole["html_all_title_lenient"],
        "html_date_accuracy": whole["html_all_date_same_day"],
        "html_date_within_1_day": whole["html_all_date_within_1_day"],
        "html_pages": len(pages),
        "html_title_gold": whole["html_all_title_gold"],
        "html_date_gold": whole["html_all_date_gold"],
        "html_failed": whole["html_all_refused"],
        "html_seconds": round(seconds, 2),
        **whole,
    }
    for split in SPLITS:
        figures.update(score([r for r in results if r.page.split == split], f"html_trafilatura-eval_{split}"))
    return figures


def evaluate_newspaper_metadata(shared_dir: Path) -> dict[str, float]:
    """`score`'s figures on the newspaper4k fixtures, per split."""
    results = list(page_results(newspaper_pages(shared_dir)))
    figures: dict[str, float] = {}
    for split in SPLITS:
        figures.update(score([r for r in results if r.page.split == split], f"html_newspaper4k_{split}"))
    return figures


def evaluate_metadata(shared_dir: Path) -> dict[str, float]:
    """Every title/date/author figure: trafilatura's evaluation pages and the newspaper4k
    fixtures, per split."""
    return {**evaluate_html(shared_dir), **evaluate_newspaper_metadata(shared_dir)}


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
    for key, value in evaluate_metadata(shared).items():
        print(f"{key}: {value}")
