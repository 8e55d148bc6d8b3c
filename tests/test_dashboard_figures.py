"""The Reported figures page and its queries, on databases built by the real ETL: the counting
rule (copies once, one event per day and place, the largest figure rather than the sum),
defections by rank and destination, the evidence sentences behind a period, and AppTest runs of
the page. Expected values are recomputed here in Python from the contract tables."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries as Q
from dashboard.pages.figures import sentence_html
from dashboard.state import Filters
from tests.conftest import run_etl

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")

STORIES = [
    # the same attack in Douma reported by two outlets on the same day: 14 and 20 killed
    {"title": "Air strike kills 14 in Douma", "date": "2013-03-02", "source": "Outlet A",
     "body": "Douma, Outlet A—At least 14 people were killed, including three children, when war planes "
             "struck a market in Douma on Saturday, a monitoring group said."},
    {"title": "Death toll in Douma market strike rises to 20", "date": "2013-03-02", "source": "Outlet B",
     "body": "Douma, Outlet B—The death toll from an air strike on a market in Douma rose to 20 on Saturday, "
             "among them five children, rescue workers said. The war has killed more than 70,000 people "
             "since March 2011."},
    # a copy of the first story (one word changed): the same duplicate cluster
    {"title": "Air strike kills 14 in Douma", "date": "2013-03-02", "source": "Outlet C",
     "body": "Douma, Outlet A—At least 14 people were killed, including three children, when war planes "
             "struck a market in Douma on Saturday, a monitoring group reported."},
    # another day, another place
    {"title": "Shelling kills seven in Aleppo", "date": "2013-03-20", "source": "Outlet A",
     "body": "Aleppo, Outlet A—Seven civilians were killed by shelling in the Aleppo district of Bustan "
             "al-Qasr on Wednesday, activists said."},
    # defections: one named officer reported twice, and a group of soldiers
    {"title": "General defects to Jordan", "date": "2013-03-09", "source": "Outlet A",
     "body": "Amman, Outlet A—Brigadier General Fawwaz Kanjo defected to Jordan on Saturday with "
             "approximately 20 soldiers, activists said. Some 40 generals have defected since 2011."},
    {"title": "Syrian general reaches Jordan", "date": "2013-03-10", "source": "Outlet B",
     "body": "Amman, Outlet B—Brigadier General Fawwaz Kanjo, who defected on Saturday, has reached "
             "Jordan with his family, a Jordanian official said."},
]


@pytest.fixture(scope="module")
def figures_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figures_page")
    (folder / "in").mkdir()
    (folder / "in" / "stories.jsonl").write_text("\n".join(json.dumps(s) for s in STORIES) + "\n",
                                                 encoding="utf-8")
    db = folder / "figures.duckdb"
    run_etl("ingest", str(folder / "in"), "--no-progress", db=db)
    return db


def reader(db: Path):
    return Q.cursor(Q.connect(str(db)))


def expected_killed(db: Path, grain: str = "month") -> dict[date, int]:
    """The counting rule, recomputed from the contract tables in Python."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""
            SELECT a.dup_cluster, a.published_at::DATE, coalesce(a.primary_region, a.dateline_place,
                   a.primary_country), c.killed
            FROM casualties c JOIN articles a USING (article_id)
            WHERE c.is_main_event AND NOT c.is_cumulative AND c.killed IS NOT NULL
              AND a.published_at IS NOT NULL AND a.is_primary""").fetchall()
    finally:
        con.close()
    story: dict[str, tuple] = {}
    for cluster, day, place, killed in rows:
        if cluster not in story or killed > story[cluster][2]:
            story[cluster] = (day, place or cluster, killed)
    event: dict[tuple, int] = defaultdict(int)
    for day, place, killed in story.values():
        event[(day, place)] = max(event[(day, place)], killed)
    out: dict[date, int] = defaultdict(int)
    for (day, _), killed in event.items():
        out[day.replace(day=1) if grain == "month" else day] += killed
    return dict(out)


def test_one_event_reported_by_two_stories_counts_its_largest_figure_not_the_sum(figures_db):
    trend = Q.reported_killed(reader(figures_db), Filters(grain="month"))
    assert dict(zip(trend["period"].dt.date, trend["killed"])) == {date(2013, 3, 1): 27}   # 20 + 7, not 14 + 20 + 7
    assert trend["events"].tolist() == [2] and trend["stories"].tolist() == [3]
    assert trend["children_killed"].tolist() == [5]


def test_syndicated_copies_count_once_even_when_copies_are_counted(figures_db):
    con = reader(figures_db)
    for copies in (False, True):
        trend = Q.reported_killed(con, Filters(grain="month", copies=copies))
        assert trend["killed"].tolist() == [27]


def test_reported_killed_equals_the_rule_recomputed_from_the_contract_tables(figures_db, sample_db):
    for db in (figures_db, sample_db):
        trend = Q.reported_killed(reader(db), Filters(grain="month"))
        assert dict(zip(trend["period"].dt.date, trend["killed"])) == expected_killed(db)


def test_defections_count_a_named_person_once_and_leave_recaps_out(figures_db):
    con = reader(figures_db)
    trend = Q.reported_defections(con, Filters(grain="month"))
    assert trend["defected"].tolist() == [21]          # Kanjo once + ~20 soldiers; not the 40 generals
    by_rank = Q.defections_by(con, Filters(), "rank")
    assert dict(zip(by_rank["value"], by_rank["defected"])) == {"soldier": 20, "brigadier general": 1}
    by_dest = Q.defections_by(con, Filters(), "destination")
    assert dict(zip(by_dest["value"], by_dest["defected"])) == {"JO": 21}


def test_the_evidence_behind_a_period_is_the_stories_sentences(figures_db):
    con = reader(figures_db)
    rows = Q.figure_evidence(con, Filters(grain="month"), "killed", date(2013, 3, 1), date(2013, 3, 31))
    assert rows["killed"].tolist() == [20, 7, 14]
    assert rows["counted"].tolist() == [True, True, False]
    texts = duckdb.connect(str(figures_db), read_only=True)
    try:
        for row in rows.itertuples(index=False):
            title, body = texts.execute("SELECT title, body FROM articles WHERE article_id = ?",
                                        [row.article_id]).fetchone()
            for ev in row.evidence:
                assert {"title": title, "body": body}[ev["field"]][ev["start"]:ev["end"]] == ev["text"]
    finally:
        texts.close()
    assert "rose to 20" in " ".join(e["text"] for e in rows["evidence"][0])


def test_an_evidence_sentence_is_escaped_and_its_numbers_marked():
    out = sentence_html("At least 14 <b>people</b> were killed, including three children.", "14 killed")
    assert "&lt;b&gt;people&lt;/b&gt;" in out and "<b>" not in out
    assert out.count("<mark") >= 3       # the sentence, "14" and "three"


def make_app(monkeypatch, db: Path, **params) -> AppTest:
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def chart_spec(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith(key):
            return json.loads(el.proto.spec)
    raise AssertionError(f"no plotly chart with key {key!r}")


def test_the_figures_page_renders_on_the_sample_database_from_a_shared_link(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="figures").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="f_page").value == "figures"
    chart_spec(at, "figures_chart_killed")
    assert any("largest figure among them counts" in c.value for c in at.caption)
    total = int(Q.reported_killed(reader(sample_db), Filters())["killed"].sum())
    assert at.metric[0].value == f"{total:,}"


def test_switching_to_defections_shows_them_by_rank_and_destination(monkeypatch, figures_db):
    at = make_app(monkeypatch, figures_db, page="figures").run()
    at.segmented_control(key="fig_measure").set_value("defected").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == "21"
    rank = chart_spec(at, "defections_by_rank")
    assert set(rank["data"][0]["y"]) == {"soldier", "brigadier general"}
    dest = chart_spec(at, "defections_by_destination")
    assert dest["data"][0]["y"] == ["Jordan"]


def test_a_database_without_the_figure_tables_says_how_to_upgrade_it(monkeypatch, figures_db, tmp_path):
    import shutil
    db = tmp_path / "v3.duckdb"
    shutil.copy(figures_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW article_overview")
    con.execute("DROP TABLE casualties")
    con.execute("DROP TABLE defections")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    at = make_app(monkeypatch, db, page="figures").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("python -m etl init --db" in i.value for i in at.info)
