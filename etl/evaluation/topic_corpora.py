"""Topic tagging measured per labelled corpus, each split into dev and test halves.

The taxonomy is tuned by looking at dev errors only; test figures are the ones to quote. The
split is a hash of each row's id (`split_of`), so it is the same on every machine and run, and
a row never moves between halves when others are added.

Corpora (labels in tests/labels/, see its README):

* `fakes_gold`: FA-KES dev articles read and labelled by hand (topics_gold.csv);
* `written`: short sentences written for rare topics and Arabic (topics_gold_written.csv);
* `events`: ACLED-style event notes written by hand in the pattern of real event descriptions,
  with negated and hedged casualty reports (topics_events_written.csv);
* `ucdp`: real UCDP GED news headlines (../shared/corpus/ucdp), a hash sample labelled by hand
  (topics_ucdp_headlines.csv);
* `fakes_cause`: every FA-KES dev article against its crowd-coded cause of death.

Per corpus and split: micro precision/recall over all (document, topic) pairs, the same over
the event-type topics alone (what an event's coded type asks for: air strike, shelling,
bombing, clashes, protest, territory, chemical weapons), per-topic figures, and
`casualties_negation_fp`: documents tagged `casualties` whose label says no one was hurt and
whose text holds a negation word (the product of error class 1).
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from etl.evaluation.topics import CAUSE_TOPICS, FAKES, LABELS, fakes_doc, load_fakes
from etl.model import Doc

UCDP_DIR = Path("corpus/ucdp")
EVENTS = LABELS / "topics_events_written.csv"
UCDP_LABELS = LABELS / "topics_ucdp_headlines.csv"
SPLITS = ("dev", "test")
EVENT_TOPICS = frozenset({"airstrike", "shelling", "bombing", "armed_clashes", "protest",
                          "territorial_control", "chemical_weapons"})
# Independent of the tagger's own cue list on purpose: it only decides which false positives
# to count as negation ones.
_NEGATION_WORD = re.compile(r"\b(no|not|nobody|none|without|denied|denies|unknown|neither)\b|no one",
                            re.IGNORECASE)

Item = tuple[str, Doc, frozenset[str]]   # (row id, document, gold topics)


def split_of(corpus: str, row_id: str) -> str:
    """'dev' or 'test' for one row, from a hash of its corpus and id (half each)."""
    digest = hashlib.sha1(f"{corpus}:{row_id}".encode("utf-8")).digest()
    return SPLITS[digest[0] & 1]


def _topics(cell: str) -> frozenset[str]:
    return frozenset(t for t in cell.split(";") if t)


def fakes_gold_items(shared: Path) -> list[Item]:
    rows = {r["unit_id"]: r for r in load_fakes(shared / FAKES)}
    with (LABELS / "topics_gold.csv").open(encoding="utf-8", newline="") as f:
        return [(r["unit_id"], fakes_doc(rows[r["unit_id"]]), _topics(r["topics"]))
                for r in csv.DictReader(f)]


def _sentence_items(path: Path) -> list[Item]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["id"], Doc(title="", caption="", body=r["text"]), _topics(r["topics"]))
                for r in csv.DictReader(f)]


def ucdp_items(shared: Path) -> list[Item]:
    """Labelled UCDP rows: the event's news headline(s) as the body (';' joins several)."""
    with UCDP_LABELS.open(encoding="utf-8", newline="") as f:
        labels = list(csv.DictReader(f))
    wanted: dict[str, dict[str, frozenset[str]]] = {}
    for r in labels:
        wanted.setdefault(r["file"], {})[r["id"]] = _topics(r["topics"])
    items = []
    for name, ids in sorted(wanted.items()):
        with (shared / UCDP_DIR / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                rid = row["id"].split(".")[0]
                if rid in ids:
                    items.append((f"{name}:{rid}", Doc(title="", caption="", body=row["source_headline"]),
                                  ids.pop(rid)))
    return items


def corpora(shared: Path) -> dict[str, list[Item]]:
    return {
        "fakes_gold": fakes_gold_items(shared),
        "written": _sentence_items(LABELS / "topics_gold_written.csv"),
        "events": _sentence_items(EVENTS),
        "ucdp": ucdp_items(shared),
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def score(pairs: Iterable[tuple[str, Doc, frozenset[str], set[str]]]) -> dict[str, float]:
    """Figures for (id, doc, gold, predicted) rows of one corpus split."""
    all_c, event_c = Counter(), Counter()
    per_topic: dict[str, Counter] = {}
    negation_fp = docs = 0
    for _, doc, gold, predicted in pairs:
        docs += 1
        for t in gold | predicted:
            key = "tp" if t in gold and t in predicted else "fp" if t in predicted else "fn"
            all_c[key] += 1
            per_topic.setdefault(t, Counter())[key] += 1
            if t in EVENT_TOPICS:
                event_c[key] += 1
        if ("casualties" in predicted and "casualties" not in gold
                and _NEGATION_WORD.search(doc.body + " " + doc.title)):
            negation_fp += 1
    out: dict[str, float] = {"documents": docs}
    for name, c in (("micro", all_c), ("event", event_c)):
        p, r = _prf(c["tp"], c["fp"], c["fn"])
        out[f"{name}_precision"], out[f"{name}_recall"] = round(p, 4), round(r, 4)
    out["casualties_negation_fp"] = negation_fp
    for t, c in sorted(per_topic.items()):
        p, r = _prf(c["tp"], c["fp"], c["fn"])
        out[f"precision.{t}"], out[f"recall.{t}"] = round(p, 4), round(r, 4)
        out[f"support.{t}"] = c["tp"] + c["fn"]
    return out


def evaluate_topic_corpora(shared_dir: Path, tag: Callable[[Doc], set[str]] | None = None,
                           topics_only: bool = False) -> dict[str, float]:
    """`topics.<corpus>.<split>.<figure>` for every corpus; `tag` defaults to the product's
    tagger (evaluating an older tagger on the same split passes its own). `topics_only` drops
    the per-topic lines."""
    if tag is None:
        from etl.extract.topics import DEFAULT_TAXONOMY, Tagger, load_taxonomy
        tagger = Tagger(load_taxonomy(DEFAULT_TAXONOMY))
        tag = lambda doc: {t.topic_id for t in tagger.tag(doc)}  # noqa: E731
    shared = Path(shared_dir)
    figures: dict[str, float] = {}
    for corpus, items in corpora(shared).items():
        for split in SPLITS:
            rows = [(i, d, g, tag(d)) for i, d, g in items if split_of(corpus, i) == split]
            for key, value in score(rows).items():
                if topics_only and "." in key:
                    continue
                figures[f"topics.{corpus}.{split}.{key}"] = value
    hit, seen = {s: 0 for s in SPLITS}, {s: 0 for s in SPLITS}
    for row in load_fakes(shared / FAKES):
        cause = row["cause_of_death"].strip().lower()
        if cause in CAUSE_TOPICS:
            split = split_of("fakes_cause", row["unit_id"])
            seen[split] += 1
            hit[split] += bool(tag(fakes_doc(row)) & CAUSE_TOPICS[cause])
    for split in SPLITS:
        figures[f"topics.fakes_cause.{split}.cause_recall"] = round(hit[split] / max(1, seen[split]), 4)
        figures[f"topics.fakes_cause.{split}.documents"] = seen[split]
    return figures
