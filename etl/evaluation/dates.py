"""Accuracy of date extraction on FA-KES (Syrian war news with crowd-labelled event dates).

FA-KES's `date` column is meant to be the date of the reported EVENT, and each
article_content starts with the scraped date line of its outlet ("Posted on April 4 2017 by…",
"Wed 05 Apr 2017…", "Last updated at Apr 232017…"). Two comparisons are measured:

* agreement (the headline): the publication date `publication_date` reads from the text,
  within one day of the label. This is what the product stores in `articles.published_at`.
* event_agreement: `event_date` applied to that publication date (the lead's "on Saturday",
  "yesterday", "on March 25" resolved relative to it), within one day of the label.

Measured on fakes-dev, resolving the lead's relative references agrees with the label
slightly less often than the publication date itself: where the two differ the crowd workers
mostly copied the printed date line, so the label behaves like a publication date with noise.
The headline therefore uses the publication date; `event_date` stays a separate feature.

"Within one day" allows for time zones and overnight events reported the next morning.
Articles with no date count as misses in `agreement`; `agreement_when_dated` excludes them.
Error classes (`errors.*`, shares of all rows) are by distance between publication date and
label. Most large distances are label errors: the article's own date line and lead agree with
each other ("AFP Monday 2 Feb 2015 … killed … on Monday") while the label says 2/13/15.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from etl.extract.dates import event_date, publication_date

FAKES = Path("corpus/fakes/fakes-dev.csv")


def _label(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%y").date()
    except ValueError:
        return None


def _error_class(days: int) -> str:
    days = abs(days)
    if days <= 1:
        return "ok"
    if days <= 7:
        return "off_2_to_7_days"
    if days <= 31:
        return "off_8_to_31_days"
    if days <= 366:
        return "off_1_to_12_months"
    return "off_over_a_year"


def load_fakes(path: Path) -> list[dict[str, str]]:
    """FA-KES rows as dicts. The file is cp1252 with a few bytes cp1252 leaves undefined."""
    text = path.read_bytes().decode("cp1252", errors="replace")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def evaluate_dates(shared_dir: Path, details: list | None = None) -> dict[str, float]:
    """Agreement of extracted dates with FA-KES labels (within one day), coverage and error classes.

    Keys: n, coverage (share with any date), agreement (publication date within one day of
    the label, over all labelled rows), agreement_when_dated, event_agreement (`event_date`
    within one day), disagreements_contradicted_by_lead, and `errors.<class>` shares over all
    labelled rows. When `details` is a
    list, one (unit_id, source, label, publication, event, class) tuple per row is appended.
    """
    rows = load_fakes(Path(shared_dir) / FAKES)
    counts: Counter[str] = Counter()
    n = dated = event_ok = lead_consistent = 0
    for row in rows:
        label = _label(row["date"])
        if label is None:
            continue
        n += 1
        pub = publication_date(None, row["article_title"], row["article_content"])
        if pub.value is None:
            cls, event = "no_date", None
        else:
            dated += 1
            event = event_date(pub, row["article_title"], row["article_content"])
            event_ok += abs((event - label).days) <= 1
            cls = _error_class((pub.value.date() - label).days)
            lead_consistent += cls != "ok" and abs((event - pub.value.date()).days) <= 1
        counts[cls] += 1
        if details is not None:
            details.append((row["unit_id"], row["source"], label, pub.value and pub.value.date(), event, cls))
    result = {
        "n": float(n),
        "coverage": dated / n if n else 0.0,
        "agreement": counts["ok"] / n if n else 0.0,
        "agreement_when_dated": counts["ok"] / dated if dated else 0.0,
        "event_agreement": event_ok / n if n else 0.0,
        # Of the dated rows that disagree with the label, the share whose lead places the event
        # within a day of the extracted date: the article contradicts its label.
        "disagreements_contradicted_by_lead": (
            lead_consistent / (dated - counts["ok"]) if dated > counts["ok"] else 0.0),
    }
    for cls, count in sorted(counts.items()):
        if cls != "ok":
            result[f"errors.{cls}"] = count / n
    return result

if __name__ == "__main__":
    import sys

    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared"
    for key, value in evaluate_dates(shared).items():
        print(f"{key:32s} {value:.4f}" if key != "n" else f"{key:32s} {int(value)}")
