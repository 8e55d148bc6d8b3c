"""Extractor benchmark: CPU microseconds per article for topics, places, people, and the
casualty and defection figures.

Articles come from bench/corpus.py (`iter_articles(n, seed)`), cleaned and split the way
etl/enrich.py does it (title line, body text, dateline place), so the extractors see what they
see during ingest. Each figure is the best of 3 passes over the same articles: the machine is
shared, and the minimum is the least disturbed measurement. Extractors are built before timing.

    python -m bench.extract
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

REPEATS = 3
MAX_ARTICLES = 3000
SEED = 7


def _docs(n: int) -> list[tuple]:
    """(Doc, dateline place) for min(n, MAX_ARTICLES) synthetic articles."""
    from bench.corpus import iter_articles
    from etl.enrich import clean_line, clean_text
    from etl.extract.dateline import dateline
    from etl.model import Doc

    out = []
    for art in iter_articles(min(n, MAX_ARTICLES), SEED):
        body = clean_text(art.get("body") or "")
        dl = dateline(body)
        out.append((Doc(title=clean_line(art.get("title") or ""), caption="", body=body),
                    dl.place if dl else None))
    return out


def _best_us(fn: Callable[[list[tuple]], None], docs: list[tuple]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t = time.process_time()
        fn(docs)
        best = min(best, time.process_time() - t)
    return best / len(docs) * 1e6


def run(n: int, workdir: Path) -> list[tuple[str, float, str]]:
    """Time each extractor on min(n, 3000) synthetic articles; `workdir` is unused (no files)."""
    from etl.paths import TAXONOMY as TAXONOMY_PATH
    from etl.extract.people import EntityFinder
    from etl.extract.places import PlaceFinder
    from etl.extract.taxonomy import load_taxonomy
    from etl.extract.topics import Tagger
    from etl.extract.casualties import casualties
    from etl.extract.defections import defections

    docs = _docs(n)
    tagger = Tagger(load_taxonomy(TAXONOMY_PATH))
    places = PlaceFinder()
    people = EntityFinder()

    def topics(items):
        for doc, _ in items:
            tagger.tag(doc)

    def place_mentions(items):
        for doc, dl in items:
            places.primary(places.find(doc, dl))

    def entities(items):
        for doc, _ in items:
            people.find(doc)

    found = [people.find(doc) for doc, _ in docs]     # defections read the people found

    def figures(items):
        for (doc, _), ents in zip(items, found):
            casualties(doc)
            defections(doc, ents, None)

    def every(items):
        for doc, dl in items:
            tagger.tag(doc)
            places.primary(places.find(doc, dl))
            people.find(doc)

    chars = sum(len(d.title) + len(d.body) for d, _ in docs) / len(docs)
    return [
        ("extract_articles", float(len(docs)), "articles"),
        ("extract_mean_article_chars", chars, "chars"),
        ("extract_topics_us_per_article", _best_us(topics, docs), "us"),
        ("extract_places_us_per_article", _best_us(place_mentions, docs), "us"),
        ("extract_people_us_per_article", _best_us(entities, docs), "us"),
        ("extract_all_us_per_article", _best_us(every, docs), "us"),
        ("extract_figures_us_per_article", _best_us(figures, docs), "us"),
    ]


if __name__ == "__main__":
    for name, value, unit in run(MAX_ARTICLES, Path(".")):
        print(f"{name}: {value:,.1f} {unit}")
