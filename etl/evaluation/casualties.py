"""Casualty figures against labelled data: FA-KES lead-event counts and UCDP GED deaths.

FA-KES (../shared/corpus/fakes/fakes-dev.csv): crowd workers labelled, per article, the lead
event's civilians (`nb_civilians`), children, women and non-civilians killed. FA-KES counts as
civilians everyone killed who is not said to be a combatant ("112 people were killed" ->
112), so the prediction compared with `nb_civilians` is the main event's civilians_killed when
the text states it, else its killed minus combatants_killed (0 when only combatants died).
`casualties_fakes_civilians_strict_*` compares the civilians_killed column alone.

Rows are split into dev and test by a hash of `unit_id` (DEV_SHARE of them dev); the extractor
was tuned looking at dev errors only. Figures per split:
  *_exact / *_within20: among rows labelled > 0, share predicted exactly / within ±20 %;
  *_zero_ok: among rows labelled 0, share predicted NULL or 0.

UCDP GED (../shared/corpus/ucdp/*.csv): each event row carries the headline of the report it
was coded from and its `best` death estimate. Only headlines that state a death figure can be
compared: `casualties_ucdp_stated` counts them, `casualties_ucdp_exact` / `_within20` compare
the headline's main-event killed with `best` (GED sums all reports of an event, so a headline
lower than `best` is expected: these are agreement rates, not accuracy).
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from etl.extract.casualties import casualties
from etl.model import Doc

FAKES = Path("corpus/fakes/fakes-dev.csv")
UCDP = Path("corpus/ucdp")
DEV_SHARE = 60     # percent of rows in dev


def split_of(row_id: str) -> str:
    """'dev' or 'test', fixed by the row id (sha1), the same on every machine and run."""
    return "dev" if int(hashlib.sha1(row_id.encode()).hexdigest()[:8], 16) % 100 < DEV_SHARE else "test"


def load_fakes(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("cp1252", errors="replace")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def fakes_doc(row: dict[str, str]) -> Doc:
    return Doc(title=row["article_title"], caption="", body=row["article_content"])


def main_event(doc: Doc):
    return next((e for e in casualties(doc) if e.is_main_event), None)


def civilians_as_fakes_counts(ev) -> int | None:
    """The main event's civilians the way FA-KES labels them (see the module docstring)."""
    if ev is None:
        return None
    if ev.civilians_killed is not None:
        return ev.civilians_killed
    if ev.killed is None:
        return None
    return max(0, ev.killed - (ev.combatants_killed or 0))


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _close(pred: int | None, gold: int) -> bool:
    return pred is not None and abs(pred - gold) <= 0.2 * gold


def score(pairs: list[tuple[int | None, int]], prefix: str) -> dict[str, float | int]:
    pos = [(p, g) for p, g in pairs if g > 0]
    zero = [(p, g) for p, g in pairs if g == 0]
    return {
        f"{prefix}_n_labelled_positive": len(pos),
        f"{prefix}_exact": sum(p == g for p, g in pos) / len(pos) if pos else 0.0,
        f"{prefix}_within20": sum(_close(p, g) for p, g in pos) / len(pos) if pos else 0.0,
        f"{prefix}_n_labelled_zero": len(zero),
        f"{prefix}_zero_ok": sum(p in (None, 0) for p, _ in zero) / len(zero) if zero else 0.0,
    }


def fakes_predictions(rows: list[dict[str, str]]) -> list[tuple[dict, object]]:
    return [(row, main_event(fakes_doc(row))) for row in rows]


def evaluate_fakes(shared: Path) -> dict[str, float | int]:
    rows = load_fakes(shared / FAKES)
    predicted = fakes_predictions(rows)
    out: dict[str, float | int] = {}
    for split in ("dev", "test"):
        part = [(r, ev) for r, ev in predicted if split_of(r["unit_id"]) == split]
        labelled = [(r, ev) for r, ev in part if _int(r["nb_civilians"]) is not None]
        out.update(score([(civilians_as_fakes_counts(ev), _int(r["nb_civilians"])) for r, ev in labelled],
                         f"casualties_fakes_{split}_civilians"))
        out.update(score([(ev.civilians_killed if ev else None, _int(r["nb_civilians"])) for r, ev in labelled],
                         f"casualties_fakes_{split}_civilians_strict"))
        for label, attr in (("nb_children", "children_killed"), ("nb_women", "women_killed"),
                            ("nb_noncivilians", "combatants_killed")):
            pairs = [(getattr(ev, attr) if ev else None, _int(r[label])) for r, ev in part
                     if _int(r[label]) is not None]
            figures = score(pairs, f"casualties_fakes_{split}_{label.removeprefix('nb_')}")
            out.update({k: v for k, v in figures.items() if not k.endswith(("_n_labelled_zero",))})
    return out


def ucdp_rows(shared: Path):
    for path in sorted((shared / UCDP).glob("*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                yield path.name, row


def evaluate_ucdp(shared: Path) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    seen: set[tuple[str, str]] = set()
    pairs: dict[str, list[tuple[int | None, int]]] = {"dev": [], "test": []}
    n = 0
    for name, row in ucdp_rows(shared):
        headline = (row.get("source_headline") or "").strip()
        best = _int(row.get("best"))
        if not headline or best is None or (name, row.get("id", "")) in seen:
            continue
        seen.add((name, row.get("id", "")))
        n += 1
        ev = main_event(Doc(title=headline, caption="", body=""))
        if ev is None or ev.killed is None:
            continue
        pairs[split_of(f"{name}:{row.get('id', '')}")].append((ev.killed, best))
    out["casualties_ucdp_headlines"] = n
    for split, part in pairs.items():
        pos = [(p, g) for p, g in part if g > 0]
        out[f"casualties_ucdp_{split}_stated"] = len(part)
        out[f"casualties_ucdp_{split}_exact"] = sum(p == g for p, g in pos) / len(pos) if pos else 0.0
        out[f"casualties_ucdp_{split}_within20"] = sum(_close(p, g) for p, g in pos) / len(pos) if pos else 0.0
        out[f"casualties_ucdp_{split}_headline_not_above_best"] = (
            sum(p is not None and p <= g for p, g in pos) / len(pos) if pos else 0.0)
    return out


def evaluate_casualties(shared: Path) -> dict[str, float | int]:
    return {**evaluate_fakes(shared), **evaluate_ucdp(shared)}
