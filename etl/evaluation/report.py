"""`python -m etl evaluate`: every accuracy figure on real labelled data, one `name: value` line each."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator


EVALUATIONS = ("places", "ucdp", "dates", "topics", "topic_corpora", "html", "html_body", "feeds",
               "casualties", "defections")


def run_all(shared: Path, only: list[str] | None = None) -> Iterator[tuple[str, float | int | str]]:
    """Run each evaluation in turn (or those named in `only`); a failing one reports itself and
    the others still run."""
    from etl.evaluation.casualties import evaluate_casualties
    from etl.evaluation.dates import evaluate_dates
    from etl.evaluation.defections import evaluate_defections
    from etl.evaluation.feeds import evaluate_feeds
    from etl.evaluation.html_body import evaluate_body
    from etl.evaluation.html_gold import evaluate_metadata
    from etl.evaluation.places import evaluate_places
    from etl.evaluation.topic_corpora import evaluate_topic_corpora
    from etl.evaluation.topics import evaluate_topics
    from etl.evaluation.ucdp import evaluate_ucdp

    for name, fn in (("places", evaluate_places), ("ucdp", evaluate_ucdp), ("dates", evaluate_dates),
                     ("topics", evaluate_topics), ("topic_corpora", evaluate_topic_corpora),
                     ("html", evaluate_metadata),
                     ("html_body", evaluate_body), ("feeds", evaluate_feeds),
                     ("casualties", evaluate_casualties), ("defections", evaluate_defections)):
        if only and name not in only:
            continue
        try:
            figures = fn(shared)
        except Exception as exc:  # report, never hide: the line says which evaluation broke
            yield f"{name}_evaluation_error", f"{type(exc).__name__}: {exc}"
            continue
        for key, value in figures.items():
            yield key, value
