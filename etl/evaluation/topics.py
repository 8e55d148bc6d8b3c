"""Accuracy of topic tagging on real labelled data.

Two measurements:

* Gold set (tests/labels/topics_gold.csv): FA-KES dev articles read and labelled by hand with
  the topics each article reports (see tests/labels/README.md), plus short sentences written
  for the topics FA-KES barely covers (defection, protest, sanctions, detention) and for Arabic
  (topics_gold_written.csv). Per-topic precision and recall, and micro averages over all
  (document, topic) pairs; `.fakes` / `.written` suffixes split the micro figures by source.
* The whole fakes-dev.csv: FA-KES crowd workers labelled each article's `cause_of_death`.
  The topic that cause implies should be tagged (`topic_cause_recall`, goal >= 0.90), and
  articles whose cause is not chemical should rarely be tagged chemical_weapons
  (`topic_chemical_false_positive_share`, lower is better; articles that merely recall an
  earlier gas attack are counted here too, so it is not zero by design).

FA-KES is read here with the csv module after decoding cp1252 (a few bytes cp1252 leaves
undefined are replaced), independently of the product's readers.
"""
from __future__ import annotations

import csv
import io
import time
from collections import Counter
from pathlib import Path

from etl.enrich import PlacedTagger
from etl.extract.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from etl.extract.topics import Tagger
from etl.model import Doc

FAKES = Path("corpus/fakes/fakes-dev.csv")
LABELS = Path(__file__).resolve().parents[2] / "tests" / "labels"
GOLD = LABELS / "topics_gold.csv"
GOLD_WRITTEN = LABELS / "topics_gold_written.csv"

# FA-KES cause_of_death -> topics any one of which counts as recalling it. FA-KES files air
# raids under "shelling", so either topic recalls it. "unknown" implies nothing.
CAUSE_TOPICS: dict[str, frozenset[str]] = {
    "shelling": frozenset({"airstrike", "shelling"}),
    "explosion": frozenset({"bombing"}),
    "chemical and toxic gases": frozenset({"chemical_weapons"}),
    "shooting": frozenset({"armed_clashes"}),
    "execution": frozenset({"execution"}),
}


def load_fakes(path: Path) -> list[dict[str, str]]:
    """FA-KES rows as dicts (cp1252 bytes; undefined bytes replaced)."""
    text = path.read_bytes().decode("cp1252", errors="replace")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def fakes_doc(row: dict[str, str]) -> Doc:
    return Doc(title=row["article_title"], caption="", body=row["article_content"])


def load_gold(path: Path = GOLD) -> dict[str, set[str]]:
    """unit_id -> set of topic ids from a gold CSV (columns unit_id, topics, notes)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["unit_id"]: {t for t in r["topics"].split(";") if t} for r in csv.DictReader(f)}


def load_gold_written(path: Path = GOLD_WRITTEN) -> list[tuple[str, str, set[str]]]:
    """(id, text, topics) rows of the hand-written sentences."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["id"], r["text"], {t for t in r["topics"].split(";") if t}) for r in csv.DictReader(f)]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def gold_pairs(tagger: Tagger | PlacedTagger, shared_dir: Path) -> list[tuple[str, str, set[str], set[str]]]:
    """(source, id, gold topics, predicted topics) for every gold document (`evaluate_topics`
    passes a PlacedTagger: the tagger as the ingest runs it, after the places stage)."""
    rows = {r["unit_id"]: r for r in load_fakes(Path(shared_dir) / FAKES)}
    out = []
    for unit_id, gold in load_gold().items():
        predicted = {t.topic_id for t in tagger.tag(fakes_doc(rows[unit_id]))}
        out.append(("fakes", unit_id, gold, predicted))
    for wid, text, gold in load_gold_written():
        predicted = {t.topic_id for t in tagger.tag(Doc(title="", caption="", body=text))}
        out.append(("written", wid, gold, predicted))
    return out


def evaluate_topics(shared_dir: Path, taxonomy_path: Path = DEFAULT_TAXONOMY) -> dict[str, float]:
    """All topic figures as `name -> value`, ready to print one per line."""
    taxonomy = load_taxonomy(taxonomy_path)
    tagger = Tagger(taxonomy)
    topic_ids = [t.topic_id for t in taxonomy.topics]
    figures: dict[str, float] = {}

    placed = PlacedTagger(tagger)
    pairs = gold_pairs(placed, Path(shared_dir))
    counts = {t: Counter() for t in topic_ids}
    by_source = {"fakes": Counter(), "written": Counter()}
    for source, _, gold, predicted in pairs:
        for t in topic_ids:
            key = ("tp" if t in gold and t in predicted else "fp" if t in predicted
                   else "fn" if t in gold else None)
            if key:
                counts[t][key] += 1
                by_source[source][key] += 1
    for t in topic_ids:
        c = counts[t]
        p, r, _ = _prf(c["tp"], c["fp"], c["fn"])
        figures[f"topic_precision.{t}"] = round(p, 4)
        figures[f"topic_recall.{t}"] = round(r, 4)
        figures[f"topic_support.{t}"] = c["tp"] + c["fn"]
    total = sum((counts[t] for t in topic_ids), Counter())
    p, r, f = _prf(total["tp"], total["fp"], total["fn"])
    figures.update({"topic_micro_precision": round(p, 4), "topic_micro_recall": round(r, 4),
                    "topic_micro_f1": round(f, 4)})
    for source, c in by_source.items():
        p, r, _ = _prf(c["tp"], c["fp"], c["fn"])
        figures[f"topic_micro_precision.{source}"] = round(p, 4)
        figures[f"topic_micro_recall.{source}"] = round(r, 4)
    figures["topic_gold_documents.fakes"] = sum(1 for s, *_ in pairs if s == "fakes")
    figures["topic_gold_documents.written"] = sum(1 for s, *_ in pairs if s == "written")

    rows = load_fakes(Path(shared_dir) / FAKES)
    docs = [fakes_doc(r) for r in rows]
    homes = [placed.home(d) for d in docs]   # the places stage, not timed with the tagger
    started = time.perf_counter()
    tagged = [{t.topic_id for t in tagger.tag(d, h)} for d, h in zip(docs, homes)]
    elapsed = time.perf_counter() - started
    hit = Counter()
    seen = Counter()
    chemical_fp = non_chemical = 0
    for row, topics in zip(rows, tagged):
        cause = row["cause_of_death"].strip().lower()
        if cause in CAUSE_TOPICS:
            seen[cause] += 1
            hit[cause] += bool(topics & CAUSE_TOPICS[cause])
        if cause != "chemical and toxic gases":
            non_chemical += 1
            chemical_fp += "chemical_weapons" in topics
    figures["topic_cause_recall"] = round(sum(hit.values()) / max(1, sum(seen.values())), 4)
    for cause in CAUSE_TOPICS:
        if seen[cause]:
            figures[f"topic_cause_recall.{cause.replace(' ', '_')}"] = round(hit[cause] / seen[cause], 4)
    figures["topic_chemical_false_positive_share"] = round(chemical_fp / max(1, non_chemical), 4)
    figures["topic_mean_topics_per_article"] = round(sum(map(len, tagged)) / max(1, len(tagged)), 2)
    figures["topic_tagger_us_per_article"] = round(elapsed / max(1, len(docs)) * 1e6, 1)
    return figures
