"""Casualty figures: the number reader, the extractor on example sentences, the accuracy floors
on FA-KES, and the rows the real ETL writes (ingest, retag, and the upgrade of a version-3 file)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import shared_path
from tests.conftest import run_etl
from etl import store
from etl.extract.casualties import casualties
from etl.extract.numbers import numbers, sentences
from etl.model import Doc

NUMBERS = [
    # (text, [(value, low, approximate, bound)])
    ("at least 112 people", [(112, 112, True, "min")]),
    ("twenty-five civilians", [(25, 25, False, None)]),
    ("dozens of officers", [(24, 24, True, "min")]),
    ("some 40 generals", [(40, 40, True, None)]),
    ("between 20 and 30 people", [(30, 20, True, None)]),
    ("20-30 killed", [(30, 20, True, None)]),
    ("two hundred and five", [(205, 205, False, None)]),
    ("1,200 dead", [(1200, 1200, False, None)]),
    ("several hundred defected officers", [(200, 200, True, "min")]),
    ("in 2012 and 2013", []),
    ("since 2011", []),
    ("مقتل ٢٠ شخصا", [(20, 20, False, None)]),
    ("عشرات القتلى", [(24, 24, True, "min")]),
    ("A man", []),
]


@pytest.mark.parametrize("text,expected", NUMBERS)
def test_numbers_are_read_in_digits_words_ranges_and_hedges(text, expected):
    assert [(n.value, n.low, n.approximate, n.bound) for n in numbers(text)] == expected


def test_sentences_do_not_end_at_abbreviations():
    text = "The U.S. said Gen. Ali was killed. Then 5 died! Next"
    assert [text[a:b] for a, b in sentences(text)] == ["The U.S. said Gen. Ali was killed.", "Then 5 died!", "Next"]


EXAMPLES = [
    # (title, body, expected fields of the main event; None = no main event)
    ("", "At least 20 people were killed and 30 wounded in an air strike on Douma on Monday.",
     {"killed": 20, "injured": 30, "approximate": True}),
    ("", "The strike killed 12 civilians, including five children and three women.",
     {"killed": 12, "civilians_killed": 12, "children_killed": 5, "women_killed": 3, "approximate": False}),
    ("Death toll from Aleppo bomb attack at least 112", "", {"killed": 112, "approximate": True}),
    ("", "Dozens of people were killed. Among the dead were 10 children.",
     {"killed": 24, "children_killed": 10, "approximate": True}),
    ("", "Clashes left 12 soldiers and 8 rebels dead.", {"killed": 20, "combatants_killed": 20}),
    ("", "The death toll from an air strike on a market in Douma rose to 20 on Saturday, among them five "
         "children, rescue workers said.", {"killed": 20, "children_killed": 5}),
    ("", "Air raids killed nine children and 14 others, local activists said.", {"killed": 23, "children_killed": 9}),
    # a subset named after its figure
    ("", "Air strikes killed 20 people in Aleppo on Monday; five children were among them.",
     {"killed": 20, "children_killed": 5}),
    ("", "Shelling killed 14 civilians in Douma, six of them children.",
     {"killed": 14, "civilians_killed": 14, "children_killed": 6}),
    ("", "War planes bombed a refugee camp killing five women and a child.",
     {"killed": 6, "women_killed": 5, "children_killed": 1}),
    ("Strike on Syrias Idlib kills 18 including five children", "", {"killed": 18, "children_killed": 5}),
    ("Mortar fire in Damascus kills 12 wounds 50", "", {"killed": 12, "injured": 50}),
    ("", "208 were killed yesterday including 66 members of the regime forces.",
     {"killed": 208, "combatants_killed": 66}),
    ("", "At least 287 IS fighters among them 26 minors had been killed in the fight for Hasakeh.",
     {"killed": 287, "combatants_killed": 287, "children_killed": 26}),
    ("", "No casualties were reported after the shell hit an empty school.", {"killed": 0, "is_negated": True}),
    ("", "There were no immediate reports of casualties.", None),
    ("", "The war has killed more than 300,000 people since 2011.", None),
    ("", "A 10-year-old boy was hurt 3 km from the town.", {"injured": 1, "killed": None}),
    ("Thu Jul 30 2015 Al-Nusra Front Commander Killed in Lattakia", "", None),
    ("", "مقتل 20 مدنيا بينهم 5 أطفال في غارة على إدلب",
     {"killed": 20, "civilians_killed": 20, "children_killed": 5}),
    ("", "قتل 7 عناصر من قوات النظام و3 مدنيين في اشتباكات بريف حماة",
     {"killed": 10, "combatants_killed": 7, "civilians_killed": 3}),
    ("", "لم تسفر الغارة عن إصابات", {"killed": 0, "is_negated": True}),
]


@pytest.mark.parametrize("title,body,expected", EXAMPLES)
def test_the_main_event_has_the_figures_the_text_states(title, body, expected):
    events = casualties(Doc(title=title, caption="", body=body))
    main = [e for e in events if e.is_main_event]
    if expected is None:
        assert main == []
        return
    assert len(main) == 1
    for name, value in expected.items():
        assert getattr(main[0], name) == value, name


def test_a_cumulative_toll_is_kept_but_is_not_the_main_event():
    body = ("A car bomb killed 14 people in Azaz on Sunday, the Observatory said. "
            "The war has killed more than 300,000 people since it began in March 2011.")
    events = casualties(Doc(title="", caption="", body=body))
    assert [(e.killed, e.is_main_event, e.is_cumulative) for e in events] == [(14, True, False), (300000, False, True)]


def test_a_toll_repeated_in_headline_and_lead_is_one_event_with_both_sentences_as_evidence():
    doc = Doc(title="Syrian regime airstrikes kill 22 civilians near Damascus", caption="",
              body="At least 22 civilians have been killed by airstrikes on the outskirts of Damascus on Monday.")
    events = casualties(doc)
    assert len(events) == 1
    assert [(e.field, e.start, e.end) for e in events[0].evidence] == [
        ("title", 0, len(doc.title)), ("body", 0, len(doc.body))]
    assert all(getattr(doc, e.field)[e.start:e.end] == e.text for e in events[0].evidence)


def test_fakes_lead_event_civilians_meet_the_targets_on_dev_and_test(shared):
    from etl.evaluation.casualties import evaluate_fakes
    figures = evaluate_fakes(shared_path("corpus/fakes/fakes-dev.csv").parents[2])
    for split in ("dev", "test"):
        assert figures[f"casualties_fakes_{split}_civilians_exact"] >= 0.55, split
        assert figures[f"casualties_fakes_{split}_civilians_within20"] >= 0.70, split
        assert figures[f"casualties_fakes_{split}_civilians_zero_ok"] >= 0.80, split


ARTICLE = """Amman, Levant Ledger—At least 14 people were killed, including three children, when a car bomb
exploded in a market in Azaz on Sunday, a monitoring group said.

The war has killed more than 300,000 people since March 2011.

Brigadier General Fawwaz Kanjo defected to Turkey on Saturday with approximately 20 soldiers, activists said.
"""


@pytest.fixture(scope="module")
def figures_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figures")
    (folder / "in").mkdir()
    (folder / "in" / "azaz.txt").write_text("Car bomb kills 14 in Azaz\n\n" + ARTICLE, encoding="utf-8")
    db = folder / "figures.duckdb"
    run_etl("ingest", str(folder / "in"), "--no-progress", db=db)
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_ingest_writes_casualty_rows_with_sentence_evidence(figures_db):
    found = rows(figures_db, "SELECT event_no, killed, children_killed, is_main_event, is_cumulative, evidence "
                             "FROM casualties ORDER BY event_no")
    assert [r[:5] for r in found] == [(1, 14, 3, True, False), (2, 300000, None, False, True)]
    body, title = rows(figures_db, "SELECT body, title FROM articles")[0]
    for ev in found[0][5] + found[1][5]:
        assert {"title": title, "body": body}[ev["field"]][ev["start"]:ev["end"]] == ev["text"]


def test_article_overview_carries_the_main_events_figures(figures_db):
    assert rows(figures_db, "SELECT killed, civilians_killed, children_killed, women_killed, combatants_killed "
                            "FROM article_overview") == [(14, None, 3, None, None)]


def test_ingest_writes_defection_rows(figures_db):
    assert sorted(rows(figures_db, "SELECT rank, count, approximate, person, destination, is_background "
                                   "FROM defections"), key=str) == sorted([
        ("brigadier general", 1, False, "Fawwaz Kanjo", "TR", False),
        ("soldier", 20, True, None, "TR", False)], key=str)


def test_retag_recomputes_the_figure_tables_from_stored_text(figures_db, tmp_path):
    db = tmp_path / "retag.duckdb"
    shutil.copy(figures_db, db)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM casualties")
    con.execute("UPDATE defections SET count = 99")
    con.close()
    run_etl("retag", "--no-progress", db=db)
    for table in ("casualties", "defections"):
        query = f"SELECT * EXCLUDE (article_id) FROM {table} ORDER BY ALL"
        assert rows(db, query) == rows(figures_db, query)


def test_a_version_3_database_is_upgraded_in_place_and_gets_its_figures(figures_db, tmp_path):
    db = tmp_path / "v3.duckdb"
    shutil.copy(figures_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW article_overview")
    con.execute("DROP TABLE casualties")
    con.execute("DROP TABLE defections")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    run_etl("reindex", db=db)
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(store.SCHEMA_VERSION,)]
    for table in ("casualties", "defections"):
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert rows(db, query) == rows(figures_db, query)
    assert rows(db, "SELECT killed FROM article_overview") == [(14,)]


def _mixed_sentences(n: int = 2500) -> list[str]:
    """Random text made of the words the extractors' patterns look for, in all cases, with
    punctuation, digits, Arabic words and the letters case folding treats specially (İ ı ſ K),
    for checking the fast paths against the plain regular expressions."""
    import random

    from etl.extract import casualties as c
    from etl.extract import numbers as nm
    rng = random.Random(18)
    vocab = (c._KILL_WORDS + c._INJURE_WORDS + c._CLAUSE_WORDS + c._MONTH.split("|")
             + [w for rx, words in c._CUMULATIVE_PARTS + c._NEGATION_PARTS for w in words]
             + "death toll lost their lives no one nobody without any caused left so far to date this last past year "
               "months weeks in two over the war conflict has have that killed began started erupted since the start "
               "a an one child woman man policeman soldier of them whom including among claimed at least more than in "
               "excess as many up to close fewer less between about dozens twenty-five 1,200 20 30 2015 ſince "
               "ınjured KILLED Kılled İn وقتل 5 قتلى مقتل دون إصابات منذ بداية at 2 Jan. March 5- 7/ ’s — said but "
               "ΟΔΟΣ • é km GMT pm 0914 hours percent were have been people 15-11-2014 Jul 30".split())
    vocab += ["of whom", "of them", "among them", "among the dead", "death toll rose to", "the toll stood at",
              "killing", "claimed the lives of", "an estimated", "one of the", "a few", "a dozen", "a couple of",
              "a pair of", "a number of", "a hundred", "a thousand", "a to", "an or", "a -", "a and", "a–"]
    fillers = ["", " ", "  ", ", ", ". ", "; ", ": ", "-", "\n", " (", ") ", "'", "’"]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(1, 14)):
            w = rng.choice(vocab)
            w = rng.choice([w, w.upper(), w.capitalize(), w]) if rng.random() < 0.3 else w
            words.append(w + rng.choice(fillers) + (" " if rng.random() < 0.8 else ""))
        out.append("".join(words))
    out += [h.replace("\\s+", " ") + " 12 people" for h, _, _ in nm.HEDGES]
    return out


def test_fast_paths_read_text_as_the_plain_patterns_do():
    """The lower-case, literal-first patterns and the word prefilters find what the plain
    case-insensitive patterns find, at the same offsets (the casualty rows depend on it)."""
    import re

    from etl.extract import casualties as c
    from etl.extract import numbers as nm
    sents = _mixed_sentences()
    for s in sents:
        low = c._lower_latin(s)
        if low is not None:
            assert len(low) == len(s)
            # the patterns searched after a separator, in " " + low (both: the ASCII one where
            # low is ASCII); a match ends one past the word
            spaced = " " + low
            for words, clause_ends in ((c._ANY_AFTER_SEP_WIDE, c._CLAUSE_END_AFTER_SEP_WIDE),
                                       (c._ANY_AFTER_SEP, c._CLAUSE_END_AFTER_SEP))[:2 if low.isascii() else 1]:
                assert [m.span() for m in c._ANY.finditer(s)] == \
                    [(m.start(), m.end() - 1) for m in words.finditer(spaced)], s
                assert [("injured" if m.group("i") else "killed") for m in c._ANY.finditer(s)] == \
                    [("injured" if low[m.start()] in c._INJURE_LETTERS else "killed") for m in words.finditer(spaced)], s
                # as _nearest_kind asks: a clause end before a word's start, or after a word's end
                for m in c._ANY.finditer(s):
                    assert (c._CLAUSE_END.search(s, 0, m.start()) is None) == \
                        (clause_ends.search(spaced, 0, m.start() + 1) is None), s
                    assert (c._CLAUSE_END.search(s, m.end()) is None) == \
                        (clause_ends.search(spaced, m.end() + 1) is None), s
            assert [m.span() for m in c._ONE_PERSON.finditer(s)] == \
                [m.span() for m in c._ONE_PERSON_LOWER.finditer(low)], s
            assert c._ONE_NOUN_WORD.search(low) or not c._ONE_PERSON_LOWER.search(low), s
        assert c._may_hold(s, c._ONE_PERSON_STEMS) or not c._ONE_PERSON.search(s), s
        # the text before a number, as the figures reader cuts it: up to a word's end
        for end in [m.end() + 1 for m in re.finditer(r"\w\b", s)]:
            before = s[:end]
            for stems, pattern in ((c._SUBSET_STEMS, c._SUBSET), (("toll",), c._TOLL_BEFORE)):
                assert c._may_hold(before, stems) or not pattern.search(before), before
            assert c._death_before(before) == bool(c._DEATH_BEFORE.search(before)), before
        lowered = s.lower()
        assert c._is_cumulative(s, lowered) == (any(k in lowered for k in c._CUMULATIVE_WORDS)
                                                and bool(c.CUMULATIVE.search(s))), s
        assert c._search_by_part(c.NEGATION, c._NEGATION_BY_PART, s, lowered) == bool(c.NEGATION.search(s)), s
        for word in re.findall(r"[\w'’-]+", s):
            w = word.lower().strip("'’-")
            if w.isascii():
                assert (w in c._ANY_WORDS) == bool(c._ANY.fullmatch(w)), w
        folded = s.translate(nm._ARABIC_DIGITS)
        def found(positions):
            # where NUMBER reads a phrase, less a bare "a" / "an" (numbers() drops it, and it
            # ends where the word does: the candidate scan may leave it out)
            return {p for p in positions if (m := nm.NUMBER.match(folded, p)) and m.end() > m.start()
                    and not (m.group("lo") and m.group("lo").lower() in ("a", "an") and not m.group("hedge")
                             and m.end() == m.end("lo"))}
        assert found(nm._candidates(folded)) == found(nm._candidates_by_token(folded)), s
        low = folded.lower()
        if len(low) == len(folded) and "ı" not in low and "ſ" not in low:
            for p in nm._candidates_by_token(folded):
                plain, fast = nm.NUMBER.match(folded, p), nm._NUMBER_LOWER.match(low, p)
                assert (plain and (plain.span(), [g and g.lower() for g in plain.groups()])) == \
                    (fast and (fast.span(), list(fast.groups()))), s
    # the field lower-cased once reads each sentence as the sentence lower-cased on its own
    # the 12 characters either side of a number that the date test reads, at every length
    for pad in range(14):
        for text in (f"12{' ' * pad}September", f"12,{' ' * pad}2015 x", f"12{' ' * pad}GMT",
                     f"{'x' * pad}Sept. {' ' * pad}12", f"{'x' * pad}5-{' ' * pad}12"):
            num = re.search(r"12", text)
            assert c._is_date_part(text, *num.span(), c._field_lower(text, text.lower())) == \
                c._is_date_part(text, *num.span()), text
    for i in range(0, len(sents), 5):
        text = sents[i] + " " + sents[i - 1]
        flow = c._field_lower(text, text.lower())
        for lo, hi in nm.sentences(text) + [(0, len(text))]:
            assert c._figures(text, lo, hi, flow) == c._figures(text, lo, hi), text[lo:hi]
        for m in re.finditer(r"\d[\d,]*|\b(?:a|an|one|dozens|twenty-five)\b", text, re.IGNORECASE):   # number ends
            assert c._is_date_part(text, m.start(), m.end(), flow) == c._is_date_part(text, m.start(), m.end()), text
            assert c._group_after(text, m.end(), flow) == c._group_after(text, m.end()), text
            if flow is not None:
                sentence, low = text[lo:hi], flow[lo:hi]
                assert low == sentence.lower()
                assert c._negated_toll(sentence, low, True) == c._negated_toll(sentence, low), sentence
                assert c._is_cumulative(sentence, low, True) == c._is_cumulative(sentence, low), sentence


def _label_texts() -> list[Doc]:
    """Every text of the label corpora in tests/labels, and FA-KES's articles when ../shared
    is there."""
    import csv

    docs = []
    for path in sorted((Path(__file__).parent / "labels").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            docs += [Doc(title="", caption="", body=r["text"]) for r in csv.DictReader(f) if r.get("text")]
    fakes = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "fakes" / "fakes-dev.csv"
    if fakes.exists():
        from etl.evaluation.casualties import fakes_doc, load_fakes
        docs += [fakes_doc(r) for r in load_fakes(fakes)]
    return docs


def test_the_prefilters_change_no_casualty_row(monkeypatch):
    """casualties() on real text reads the same events with its prefilters as without them:
    the whole-word test before the one-person pattern, and the per-part search of the
    cumulative and negation patterns on the lower-cased sentence."""
    import re

    from etl.extract import casualties as c
    docs = _label_texts() + [Doc(title="", caption="", body=s) for s in _mixed_sentences(600)]
    assert len(docs) > 600
    fast = [[e.as_row() for e in casualties(d)] for d in docs]
    assert sum(map(len, fast)) > 300      # the texts do report casualties
    monkeypatch.setattr(c, "_ONE_NOUN_WORD", re.compile(""))      # the one-person pattern tried everywhere
    monkeypatch.setattr(c, "_search_by_part", lambda whole, parts, text, low, latin=False: bool(whole.search(text)))
    plain = [[e.as_row() for e in casualties(d)] for d in docs]
    assert fast == plain


def test_candidate_tokens_are_the_candidate_scans_positions():
    """numbers() finds the places a number phrase may start in lower-cased ASCII text by its
    tokens (a set intersection and str.find) instead of the candidate scan's pattern: the same
    positions, in the same order, on the mixed sentences, every label text and FA-KES (the
    whole texts and windows of them cut anywhere), and on short strings of separators, digits,
    underscores and the scan's words set side by side."""
    import random

    from etl.extract import numbers as nm
    rng = random.Random(7)
    texts = _mixed_sentences() + [d.body for d in _label_texts()]
    pieces = (list(" \t\n-_.,()'\"/x0123456789") + ["a ", "an ", "a", "an", "at least ", "at  least", "at\nleast",
              "in excess of ", "no fewer than", "up to", "as many as", "close to", "more than", "less than",
              "over", "a few", "a-", "a to ", "an estimated", "a hundred", "a-2", "one", "twenty", "dozens", "_1"]
              + nm._CANDIDATE_WORDS)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    checked = 0
    for text in texts:
        low = text.lower()
        if not low.isascii():
            continue
        for part in [low] + [low[i:i + rng.randint(1, 90)] for i in range(0, len(low), 41)]:
            scan = [m.start() for m in nm._CANDIDATE_BEFORE_ASCII.finditer(" " + part)]
            assert nm._candidates_ascii(part) == scan, part
            checked += bool(scan)
    assert checked > 10000
