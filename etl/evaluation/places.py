"""Accuracy of the primary region on FA-KES, whose crowd workers labelled each article's location.

FA-KES `location` is a Syrian governorate in lower case with its own spellings. They map to the
gazetteer's English ADM1 names in LABEL_REGIONS. FA-KES has no "rif dimashq": its workers filed
Eastern Ghouta, Douma and the other Damascus suburbs under "damascus", so "damascus" accepts
Damascus or Rif Dimashq (`places_region_accuracy`); `places_region_accuracy_strict` accepts
Damascus only. A label that is not a governorate (none in fakes-dev; the mapping would say) is
left out of both and counted in `places_unmapped_labels`.

The figures are given over all of fakes-dev and per half (`places_<dev|test>_region_accuracy`,
`..._strict`), split by a hash of the article's `unit_id` as the UCDP rows are by event id: tune
on dev, report test.

Error classes are reported as `places_error_<label>_as_<predicted>` counts, "none" when the
article got no Syrian region at all.

FA-KES is read with the csv module after decoding cp1252 (the few bytes cp1252 leaves
undefined are replaced), independently of the product's readers.
"""
from __future__ import annotations

import csv
import io
import time
from collections import Counter
from pathlib import Path

from etl.evaluation.ucdp import split_of
from etl.extract.dateline import dateline
from etl.extract.places import PlaceFinder
from etl.model import Doc

FAKES = Path("corpus/fakes/fakes-dev.csv")

LABEL_REGIONS: dict[str, frozenset[str]] = {
    "aleppo": frozenset({"Aleppo"}),
    "damascus": frozenset({"Damascus", "Rif Dimashq"}),
    "rif dimashq": frozenset({"Rif Dimashq"}),
    "idlib": frozenset({"Idlib"}),
    "deir ezzor": frozenset({"Deir ez-Zor"}),
    "homs": frozenset({"Homs"}),
    "raqqa": frozenset({"Raqqa"}),
    "hasakeh": frozenset({"Hasakah"}),
    "hama": frozenset({"Hama"}),
    "daraa": frozenset({"Daraa"}),
    "lattakia": frozenset({"Latakia"}),
    "quneitra": frozenset({"Quneitra"}),
    "tartous": frozenset({"Tartus"}),
    "sweida": frozenset({"Suwayda"}),
    "suwayda": frozenset({"Suwayda"}),
}
STRICT = {"damascus": frozenset({"Damascus"})}


def load_fakes(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("cp1252", errors="replace")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def predict(finder: PlaceFinder, row: dict[str, str]) -> tuple[str | None, str | None]:
    doc = Doc(title=row["article_title"], caption="", body=row["article_content"])
    found = dateline(doc.body)
    return finder.primary(finder.find(doc, found.place if found else None))


def evaluate_places(shared_dir: Path) -> dict[str, float]:
    rows = load_fakes(Path(shared_dir) / FAKES)
    finder = PlaceFinder()
    dateline("BEIRUT: A")   # builds the case-folded name index once, outside the timing
    total = correct = strict = unmapped = syria = 0
    split_counts = {split: Counter() for split in ("dev", "test")}
    errors: Counter[str] = Counter()
    chars = 0
    started = time.perf_counter()
    for row in rows:
        country, region = predict(finder, row)
        chars += len(row["article_title"]) + len(row["article_content"])
        label = row["location"].strip().lower()
        syria += country == "SY"
        accepted = LABEL_REGIONS.get(label)
        if accepted is None:
            unmapped += 1
            continue
        total += 1
        half = split_counts[split_of(row["unit_id"])]
        half["n"] += 1
        if region in accepted and country == "SY":
            correct += 1
            strict += region in STRICT.get(label, accepted)
            half["correct"] += 1
            half["strict"] += region in STRICT.get(label, accepted)
        else:
            predicted = region if country == "SY" and region else "none"
            errors[f"places_error_{label.replace(' ', '_')}_as_{predicted.lower().replace(' ', '_')}"] += 1
    seconds = time.perf_counter() - started
    figures: dict[str, float] = {
        "places_articles": float(len(rows)),
        "places_region_accuracy": correct / total if total else 0.0,
        "places_region_accuracy_strict": strict / total if total else 0.0,
        "places_primary_country_syria_share": syria / len(rows) if rows else 0.0,
        "places_unmapped_labels": float(unmapped),
        "places_us_per_3kb_with_dateline": seconds / chars * 3000 * 1e6 if chars else 0.0,   # dateline+find+primary
    }
    for split, half in split_counts.items():
        figures[f"places_{split}_articles"] = float(half["n"])
        figures[f"places_{split}_region_accuracy"] = half["correct"] / half["n"] if half["n"] else 0.0
        figures[f"places_{split}_region_accuracy_strict"] = half["strict"] / half["n"] if half["n"] else 0.0
    for key, count in errors.most_common(8):
        figures[key] = float(count)
    return figures
