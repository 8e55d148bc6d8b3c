"""Body-text accuracy of the HTML reader, on two public gold sets in the shared corpus.

* The article-extraction benchmark (`corpus/html/article-extraction-benchmark/`: 181 news and
  blog pages, gold article body). Scored as the benchmark scores it: the body and the gold are
  cut into word 4-grams, counted with repeats; a page's true positives, false positives and
  false negatives are divided by their sum, so a long article weighs as much as a short one;
  precision and recall are averaged over pages, and F1 is taken from the two averages.
* The newspaper4k fixtures (`corpus/html/newspaper4k/`: news pages with their expected
  article text, in English and nine other languages, Arabic among them), scored the same way.
* The trafilatura evaluation pages (`corpus/html/trafilatura-eval/`: 990 pages, each with
  snippets the body must contain and snippets it must not, such as menus and footers). A
  found "with" snippet is a true positive, a missing one a false negative, a found "without"
  snippet a false positive. Whitespace is collapsed on both sides.

The text scored is the article body as stored (the title is kept apart). A page the reader
refuses scores an empty body. The benchmark and the newspaper4k fixtures are also scored per
split (`_dev_`, `_test_`: `html_gold.split_of` on the page's file name), as the metadata
figures are: pages of the dev split were read while tuning the reader, test pages only
measured.
"""
from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from pathlib import Path

from etl.evaluation.html_gold import SPLITS, _eval_dir, gold_dir, read_page, split_of

BENCHMARK_DIR = Path("corpus/html/article-extraction-benchmark")
NEWSPAPER_DIR = Path("corpus/html/newspaper4k")
_WORD = re.compile(r"\w+")


def reader_body(name: str, data: bytes) -> str:
    """The body the HTML reader stores for a page; empty when it refuses the page."""
    return getattr(read_page(name, data), "body", "") or ""


def shingles(text: str, n: int = 4) -> Counter:
    """Word n-grams of `text` with their counts (a text shorter than n words is one n-gram)."""
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n])


def page_scores(gold: str, found: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page's body against its gold body; None where undefined
    (nothing found, or nothing to find)."""
    want, got = shingles(gold), shingles(found)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    if fp == fn == 0:
        return (1.0, 1.0) if tp else (None, None)
    return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def _shingle_figures(prefix: str, pairs) -> dict[str, float]:
    """Benchmark-style figures over (name, gold body, page bytes) triples."""
    precisions, recalls, refused, pages = [], [], 0, 0
    for name, gold, data in pairs:
        pages += 1
        body = reader_body(name, data)
        refused += not body
        p, r = page_scores(gold, body)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    p, r = statistics.mean(precisions or [0.0]), statistics.mean(recalls or [0.0])
    return {
        f"{prefix}_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        f"{prefix}_precision": round(p, 4),
        f"{prefix}_recall": round(r, 4),
        f"{prefix}_pages": pages,
        f"{prefix}_refused": refused,
    }


def evaluate_benchmark(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    base = gold_dir(shared_dir, BENCHMARK_DIR, "ground-truth.json")
    gold = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    pairs = [(f"{key}.html.gz", entry.get("articleBody", ""),
              gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()))
             for key, entry in list(gold.items())[:limit]]
    return {**_shingle_figures("html_body_benchmark", pairs), **_per_split("html_body_benchmark", pairs)}


def _per_split(prefix: str, pairs: list) -> dict[str, float]:
    """`_shingle_figures` of each split's pages (`split_of` the page's name, as html_gold
    splits the same pages)."""
    figures: dict[str, float] = {}
    for split in SPLITS:
        figures.update(_shingle_figures(f"{prefix}_{split}",
                                        [t for t in pairs if split_of(t[0]) == split]))
    return figures


def newspaper_pairs(shared_dir: Path) -> list[tuple[str, str, Path]]:
    """(name, expected text, page path) of the newspaper4k fixtures that have both."""
    base = gold_dir(shared_dir, NEWSPAPER_DIR, "head")
    out = []
    for release in ("head", "older"):
        for txt in sorted((base / release / "txt").glob("*.txt")):
            page = base / release / "html" / f"{txt.stem}.html.gz"
            if page.exists():
                out.append((f"{release}/{txt.stem}", txt.read_text(encoding="utf-8", errors="replace"), page))
    return out


def evaluate_newspaper(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    pairs = newspaper_pairs(shared_dir)[:limit]
    triples = [(n, gold, gzip.decompress(p.read_bytes())) for n, gold, p in pairs]
    figures = {**_shingle_figures("html_body_newspaper", triples), **_per_split("html_body_newspaper", triples)}
    arabic = [(n, gold, gzip.decompress(p.read_bytes())) for n, gold, p in pairs if "arabic" in n]
    if arabic:      # one CNN Arabic page on Syria (2013)
        figures["html_body_newspaper_arabic_page_f1"] = _shingle_figures("a", arabic)["a_f1"]
    return figures


def _collapse(text: str) -> str:
    return " ".join(text.split())


def evaluate_snippets(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    base = _eval_dir(shared_dir)
    gold = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    url_to_file = json.loads((base / "url_to_file.json").read_text(encoding="utf-8"))
    tp = fp = fn = pages = 0
    for url, entry in gold.items():
        if not (entry.get("with") or entry.get("without")):
            continue
        if limit is not None and pages >= limit:
            break
        pages += 1
        body = _collapse(reader_body(url, gzip.decompress((base / url_to_file[url]).read_bytes())))
        for snippet in entry.get("with") or ():
            if _collapse(snippet) in body:
                tp += 1
            else:
                fn += 1
        fp += sum(_collapse(snippet) in body for snippet in entry.get("without") or ())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "html_body_snippets_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "html_body_snippets_precision": round(p, 4),
        "html_body_snippets_recall": round(r, 4),
        "html_body_snippets_pages": pages,
    }


def evaluate_body(shared_dir: Path, limit: int | None = None) -> dict[str, float]:
    """Every body-text figure (see the module's docstring)."""
    shared_dir = Path(shared_dir)
    return {**evaluate_benchmark(shared_dir, limit), **evaluate_newspaper(shared_dir, limit),
            **evaluate_snippets(shared_dir, limit)}


if __name__ == "__main__":
    import sys

    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared"
    for key, value in evaluate_body(shared).items():
        print(f"{key}: {value}")
