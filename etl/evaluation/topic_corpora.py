"""Topic tagging measured per labelled corpus, each split into dev and test halves.

The taxonomy is tuned by looking at dev errors only; test figures are the ones to quote. The
split is a hash of each row's id (`split_of`), so it is the same on every machine and run, and
a row never moves between halves when others are added.

Corpora (labels in tests/labels/, see its README):

* `fakes_gold`: FA-KES dev articles read and labelled by hand (topics_gold.csv);
* `written`: short sentences written for rare topics and Arabic (topics_gold_written.csv);
* `events`: ACLED-style event notes written by hand in the pattern of real event descriptions,
  with negated and hedged casualty reports (topics_events_written.csv);
* `events_codebook`: a second set of such notes, written by codebook sub-event type (ACLED's
  armed clash, attack, air/drone strike, shelling/artillery/missile, remote explosive, grenade,
  suicide bomb, the protest and riot types, the three territory types, arrests, abductions,
  agreements, looting, bases established, disrupted weapons use) for Syria, Yemen, Myanmar,
  the Sahel, Nigeria, Sudan and Ukraine, before the taxonomy's fourth pass was tuned, then
  sexual violence, looting/property destruction and their everyday near misses before those
  two topics were added (topics_events_codebook.csv; its `sub_event` column is the type the
  note was written for);
* `events_regions`: a third set of such notes for regions and years the others lack (Iraq,
  Lebanon, Libya, Somalia, Ethiopia, Mozambique, the DRC, Colombia, India, Pakistan,
  Afghanistan, Burkina Faso, Haiti; 2019-2024), one ACLED sub-event type each, with near misses
  (bases established, weapons defused, decrees) and negated or unknown tolls, written and
  labelled before the tagger was run on them (topics_events_regions.csv);
* `events_periods`: a fourth set of such notes for regions and periods none of the others
  cover (the Sahel 2012-2016, Yemen 2015-2018, Ukraine 2022-2023, Sudan, Nigeria, Kashmir,
  Myanmar 2021, the Philippines, Venezuela, Kenya, Iraq 2014), every ACLED sub-event type,
  written and labelled before the tagger was run on them (topics_events_periods.csv);
* `events_fresh`: a fifth set of such notes, mostly for regions and periods none of the others
  cover (Gaza and the West Bank 2023-24, Papua, Mali 2020-23, Niger, Benin, Togo, South Sudan,
  Armenia and Azerbaijan, Iran, Ecuador, southern Thailand, the Red Sea, Syria 2023-24, Chad,
  Peru, Sri Lanka, Georgia, Russia 2023-24), every ACLED sub-event type, written and labelled
  before the tagger was run on them (topics_events_fresh.csv);
* `events_fresh3`: a sixth set of such notes for regions and periods the others cover least
  (Somalia 2010-14, Ethiopia's Amhara and Oromia, eastern DRC 2012-20, Cabo Delgado 2017-22,
  Burkina Faso 2016-22, Libya 2014-16, Afghanistan 2009-21, Pakistan, Colombia, Mexico, Haiti,
  Lebanon 2019-21, Iraq's 2019 protests, Bangladesh, India's north-east and Maoist belt,
  Cameroon, Egypt, Turkey, Sudan 2019, Nicaragua 2018, Rakhine 2024), every ACLED sub-event
  type, written and labelled before the tagger was run on them (topics_events_fresh3.csv);
* `events_fresh4`: a seventh set of such notes for regions and periods the others cover least
  (Donbas 2014-21, Sri Lanka 2004-09, Chechnya and Dagestan, Iraq 2014-17, Yemen 2019-22, South
  Sudan 2013-18, Myanmar 2022-24, Nigeria's north-east and middle belt, Mindanao,
  Nagorno-Karabakh, Venezuela, Kenya, Niger and Chad, Darfur, Kashmir 2020-25, Mozambique 2024),
  every coded event type, written and labelled before the tagger was run on them
  (topics_events_fresh4.csv);
* `events_fresh5`: an eighth set of such notes for regions and periods none of the others
  cover (the Balkans 1991-2008, Northern Ireland, Algeria, Sierra Leone, Liberia, Cote
  d'Ivoire, Burundi, Uganda, Nepal, Aceh, Maluku, Timor-Leste 1999, Tajikistan, Kyrgyzstan,
  Georgia 1993 and 2008, Peru 1983-97, El Salvador, Guatemala, Chile and Bolivia 2019, Hong
  Kong, Belarus, Zimbabwe, Kenya 2008, Casamance, Western Sahara, Sri Lanka 1983-96, Colombia
  1985-99), written and labelled before the tagger was run on them
  (topics_events_fresh5.csv);
* `events_fresh6`: a ninth set of such notes for the wars and unrest of 2022-25 (Sudan, Chad,
  Cameroon, the Sahel with Wagner and the Africa Corps, Israel, Gaza and Lebanon, Ukraine 2024,
  Armenia and Azerbaijan, Amhara, Myanmar, Pakistan, southern Thailand, Mindanao, Brazil,
  Ecuador, Kenya, Bangladesh, Georgia, Syria after Assad, the Red Sea), written and labelled
  before the tagger was run on them (topics_events_fresh6.csv);
* `events_fresh7`: a tenth set of such notes and wire copy for regions and periods none of the
  others cover (Iraq 2003-08, Afghanistan 2001-08, the 2011 uprisings, Albania 1997,
  Transnistria, Turkey 2013-16, Kazakhstan, Uzbekistan, Xinjiang and Tibet, Bangkok 2010, India
  1984-2023, the Ethiopia-Eritrea war, Somaliland, southern and West Africa, Latin American
  unrest, the riots of London, Paris and Athens, ETA, the Maidan, Lebanon 2006, Gaza 2008-09),
  written and labelled before the tagger was run on them (topics_events_fresh7.csv);
* `ucdp`: real UCDP GED news headlines (../shared/corpus/ucdp), a hash sample labelled by hand
  (topics_ucdp_headlines.csv);
* `fakes_cause`: every FA-KES dev article against its crowd-coded cause of death;
* `ucdp_coded`: every distinct headline of the UCDP GED rows for Mexico, Myanmar, the Central
  African Republic and the world sample (not the hand-labelled ones), against what UCDP codes
  for each event (see `evaluate_ucdp_coded`): no one labelled these for topics, so they test
  generalisation to reporting the taxonomy was not read against.

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
EVENTS_CODEBOOK = LABELS / "topics_events_codebook.csv"
EVENTS_REGIONS = LABELS / "topics_events_regions.csv"
EVENTS_PERIODS = LABELS / "topics_events_periods.csv"
EVENTS_FRESH = LABELS / "topics_events_fresh.csv"
EVENTS_FRESH3 = LABELS / "topics_events_fresh3.csv"
EVENTS_FRESH4 = LABELS / "topics_events_fresh4.csv"
EVENTS_FRESH5 = LABELS / "topics_events_fresh5.csv"
EVENTS_FRESH6 = LABELS / "topics_events_fresh6.csv"
EVENTS_FRESH7 = LABELS / "topics_events_fresh7.csv"
UCDP_LABELS = LABELS / "topics_ucdp_headlines.csv"
SPLITS = ("dev", "test")
EVENT_TOPICS = frozenset({"airstrike", "shelling", "bombing", "armed_clashes", "protest",
                          "territorial_control", "chemical_weapons"})
# Independent of the tagger's own cue list on purpose: it only decides which false positives
# to count as negation ones.
_NEGATION_WORD = re.compile(r"\b(no|not|nobody|none|without|denied|denies|unknown|neither)\b|no one",
                            re.IGNORECASE)

Item = tuple[str, Doc, frozenset[str]]   # (row id, document, gold topics)

# UCDP regions read for the coded corpus: name -> file in corpus/ucdp
CODED_REGIONS = {
    "mexico": "ged_mexico_1989_2023.csv",
    "myanmar": "ged_myanmar_1989_2023.csv",
    "car": "ged231_central_african_republic.csv",
    "world": "ged231_global_random_sample_1000.csv",
}
# Every UCDP event is organised violence that killed someone (state-based, non-state or
# one-sided). These are the topics that name its means; casualties is measured on its own.
VIOLENCE_TOPICS = frozenset({"airstrike", "shelling", "bombing", "armed_clashes", "execution",
                             "chemical_weapons"})


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
        "events_codebook": _sentence_items(EVENTS_CODEBOOK),
        "events_regions": _sentence_items(EVENTS_REGIONS),
        "events_periods": _sentence_items(EVENTS_PERIODS),
        "events_fresh": _sentence_items(EVENTS_FRESH),
        "events_fresh3": _sentence_items(EVENTS_FRESH3),
        "events_fresh4": _sentence_items(EVENTS_FRESH4),
        "events_fresh5": _sentence_items(EVENTS_FRESH5),
        "events_fresh6": _sentence_items(EVENTS_FRESH6),
        "events_fresh7": _sentence_items(EVENTS_FRESH7),
        "ucdp": ucdp_items(shared),
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def score(pairs: Iterable[tuple[str, Doc, frozenset[str], set[str]]]) -> dict[str, float]:
    """Figures for (id, doc, gold, predicted) rows of one corpus split."""
    all_c: Counter[str] = Counter()
    event_c: Counter[str] = Counter()
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
    tagger as the ingest runs it, told the story's country by the places stage
    (`etl.enrich.PlacedTagger`; evaluating an older tagger on the same split passes its own).
    `topics_only` drops the per-topic lines."""
    if tag is None:
        from etl.enrich import PlacedTagger
        from etl.extract.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
        from etl.extract.topics import Tagger
        placed = PlacedTagger(Tagger(load_taxonomy(DEFAULT_TAXONOMY)))
        tag = lambda doc: {t.topic_id for t in placed.tag(doc)}  # noqa: E731
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
    figures.update(evaluate_ucdp_coded(shared, tag))
    return figures


def ucdp_coded_items(shared: Path) -> dict[str, list[tuple[str, Doc, str, float]]]:
    """region -> (row id, headline doc, type_of_violence, deaths) per distinct headline.

    A headline often reports several events: it is kept once, under its lowest event id, with
    the highest `best` death estimate among its events. Rows labelled by hand for the `ucdp`
    corpus are left out, and so are empty headlines."""
    labelled: set[tuple[str, str]] = set()
    with UCDP_LABELS.open(encoding="utf-8", newline="") as f:
        labelled = {(r["file"], r["id"]) for r in csv.DictReader(f)}
    out: dict[str, list[tuple[str, Doc, str, float]]] = {}
    for region, name in CODED_REGIONS.items():
        by_headline: dict[str, list] = {}
        with (shared / UCDP_DIR / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                headline = row["source_headline"].strip()
                rid = row["id"].split(".")[0]
                if not headline or (name, rid) in labelled:
                    continue
                deaths = float(row["best"] or 0)
                violence = row["type_of_violence"].split(".")[0]
                key = " ".join(headline.lower().split())
                held = by_headline.get(key)
                if held is None:
                    by_headline[key] = [int(rid), headline, violence, deaths]
                else:
                    if int(rid) < held[0]:
                        held[0], held[2] = int(rid), violence
                    held[3] = max(held[3], deaths)
        out[region] = [(str(rid), Doc(title="", caption="", body=text), violence, deaths)
                       for rid, text, violence, deaths in sorted(by_headline.values())]
    return out


def evaluate_ucdp_coded(shared_dir: Path, tag: Callable[[Doc], set[str]]) -> dict[str, float]:
    """`topics.ucdp_coded.<region|all>.<split>.<figure>` against UCDP's own coding.

    * `violence_recall`: share of headlines where a topic naming the means of violence fires
      (air strike, shelling, bombing, clashes, execution, chemical): every event is violent,
      but a headline may be only a report's title, so 1.0 is out of reach;
    * `casualties_recall`: share of headlines whose events killed someone (`best` > 0) tagged
      casualties; `casualties_on_no_deaths`: share of headlines whose events have `best` = 0
      tagged casualties (not all wrong: the headline may report other deaths);
    * `casualties_negation_fp`: of those, the ones whose text holds a negation word."""
    figures: dict[str, float] = {}
    counts: dict[tuple[str, str], Counter] = {}
    for region, rows in ucdp_coded_items(Path(shared_dir)).items():
        for rid, doc, violence, deaths in rows:
            split = split_of("ucdp_coded", f"{region}:{rid}")
            topics = tag(doc)
            for key in ((region, split), ("all", split)):
                c = counts.setdefault(key, Counter())
                c["documents"] += 1
                c[f"type{violence}"] += 1
                c[f"type{violence}_hit"] += bool(topics & VIOLENCE_TOPICS)
                c["violence_hit"] += bool(topics & VIOLENCE_TOPICS)
                if deaths > 0:
                    c["deadly"] += 1
                    c["casualties_hit"] += "casualties" in topics
                else:
                    c["no_deaths"] += 1
                    if "casualties" in topics:
                        c["casualties_on_no_deaths"] += 1
                        c["casualties_negation_fp"] += bool(_NEGATION_WORD.search(doc.body))
    for (region, split), c in sorted(counts.items()):
        prefix = f"topics.ucdp_coded.{region}.{split}."
        figures[prefix + "documents"] = c["documents"]
        figures[prefix + "violence_recall"] = round(c["violence_hit"] / max(1, c["documents"]), 4)
        for violence in ("1", "2", "3"):
            if c[f"type{violence}"]:
                figures[prefix + f"violence_recall.type{violence}"] = round(
                    c[f"type{violence}_hit"] / c[f"type{violence}"], 4)
        figures[prefix + "casualties_recall"] = round(c["casualties_hit"] / max(1, c["deadly"]), 4)
        figures[prefix + "casualties_on_no_deaths"] = round(
            c["casualties_on_no_deaths"] / max(1, c["no_deaths"]), 4)
        figures[prefix + "casualties_negation_fp"] = c["casualties_negation_fp"]
    return figures
