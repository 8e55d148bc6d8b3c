"""Defection events against hand labels: sentences written in the pattern of real reporting
(tests/labels/defections_written.csv) and the seed page's four events
(tests/labels/defections_seed.csv over ../shared/seeds/). See tests/labels/README.md.

A gold event is found when a predicted event of the same text has its rank and count (and,
when the gold names a person, a name sharing the gold's last word). Figures per split (dev /
test by a hash of the sentence id; tuned on dev only):
  defections_<split>_recall     found gold events / gold events
  defections_<split>_precision  predicted events that match a gold event / predicted events
  defections_<split>_<field>    among found events, share with the gold destination,
                                is_background and approximate
Seed: `defections_seed_found` of `defections_seed_events` events found with every field right.
"""
from __future__ import annotations

import csv
import time
from pathlib import Path

from etl.evaluation.casualties import split_of
from etl.extract.defections import Defection, defections
from etl.extract.people import EntityFinder
from etl.model import Doc

LABELS = Path(__file__).resolve().parents[2] / "tests" / "labels"
WRITTEN = LABELS / "defections_written.csv"
SEED = LABELS / "defections_seed.csv"
SEEDS = Path("seeds")


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


def _gold(row: dict) -> dict | None:
    if not row["rank"] and not row["count"]:
        return None
    return {"rank": row["rank"] or None, "count": int(row["count"]) if row["count"] else None,
            "approximate": _flag(row["approximate"]), "person": row.get("person") or None,
            "destination": row["destination"] or None, "is_background": _flag(row["is_background"])}


def matches(pred: Defection, gold: dict) -> bool:
    if pred.rank != gold["rank"] or pred.count != gold["count"]:
        return False
    if gold["person"]:
        return bool(pred.person) and pred.person.split()[-1] == gold["person"].split()[-1]
    return True


def score(cases: list[tuple[list[Defection], list[dict]]], prefix: str) -> dict[str, float | int]:
    n_gold = sum(len(g) for _, g in cases)
    n_pred = sum(len(p) for p, _ in cases)
    found, right_pred = [], 0
    for preds, golds in cases:
        used: set[int] = set()
        for gold in golds:
            hit = next((i for i, p in enumerate(preds) if i not in used and matches(p, gold)), None)
            if hit is not None:
                used.add(hit)
                found.append((preds[hit], gold))
        right_pred += len(used)
    out: dict[str, float | int] = {f"{prefix}_gold_events": n_gold, f"{prefix}_predicted_events": n_pred,
                                   f"{prefix}_recall": len(found) / n_gold if n_gold else 0.0,
                                   f"{prefix}_precision": right_pred / n_pred if n_pred else 0.0}
    for name in ("destination", "is_background", "approximate"):
        out[f"{prefix}_{name}"] = (sum(getattr(p, name) == g[name] for p, g in found) / len(found)
                                   if found else 0.0)
    return out


def written_cases(finder: EntityFinder) -> dict[str, list[tuple[str, list[Defection], list[dict]]]]:
    """split -> [(id, predicted, gold)] over the written sentences."""
    texts: dict[str, tuple[str, int]] = {}
    golds: dict[str, list[dict]] = {}
    with WRITTEN.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts[row["id"]] = (row["text"], int(row["published_year"]))
            gold = _gold(row)
            golds.setdefault(row["id"], [])
            if gold:
                golds[row["id"]].append(gold)
    out: dict[str, list] = {"dev": [], "test": []}
    for sid, (text, year) in texts.items():
        doc = Doc(title="", caption="", body=text)
        out[split_of(f"defections:{sid}")].append((sid, defections(doc, finder.find(doc), year), golds[sid]))
    return out


def seed_events(shared: Path, finder: EntityFinder) -> tuple[list[Defection], list[dict]]:
    with SEED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    preds: list[Defection] = []
    for name in sorted({r["seed"] for r in rows}):
        doc = Doc(title="", caption="", body=(shared / SEEDS / name).read_text(encoding="utf-8"))
        preds += defections(doc, finder.find(doc), 2013)
    return preds, [g for g in map(_gold, rows) if g]


def seed_found(preds: list[Defection], golds: list[dict]) -> int:
    """Seed events found with every labelled field right."""
    return sum(any(matches(p, g) and p.destination == g["destination"] and p.is_background == g["is_background"]
                   and p.approximate == g["approximate"] for p in preds) for g in golds)


def figures_speed(shared: Path, finder: EntityFinder, repeats: int = 3) -> float:
    """FA-KES articles a second through both figure extractors (casualties and defections),
    best of `repeats` passes of CPU time; the people they read are found beforehand, as ingest
    finds them for the people table anyway."""
    from etl.evaluation.casualties import FAKES, fakes_doc, load_fakes
    from etl.extract.casualties import casualties
    docs = [fakes_doc(r) for r in load_fakes(shared / FAKES)]
    people = [finder.find(d) for d in docs]
    best = float("inf")
    for _ in range(repeats):
        t = time.process_time()
        for doc, ents in zip(docs, people):
            casualties(doc)
            defections(doc, ents, None)
        best = min(best, time.process_time() - t)
    return len(docs) / best


def evaluate_defections(shared: Path) -> dict[str, float | int]:
    finder = EntityFinder()
    out: dict[str, float | int] = {}
    if (shared / "corpus" / "fakes").exists():
        out["figures_fakes_articles_per_cpu_second"] = figures_speed(shared, finder)
    for split, cases in written_cases(finder).items():
        out.update(score([(p, g) for _, p, g in cases], f"defections_{split}"))
    if (shared / SEEDS).exists():
        preds, golds = seed_events(shared, finder)
        out["defections_seed_events"] = len(golds)
        out["defections_seed_found"] = seed_found(preds, golds)
    return out
