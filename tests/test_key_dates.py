"""Key dates: the CSV of dated events is parsed row by row (bad rows skipped with a reason, the
rest kept), and the real ETL copies it into `key_dates` and its bad rows into `ingest_errors`."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from conftest import run_etl
from etl import key_dates


@pytest.mark.parametrize("line, reason", [
    ("2013-21-08,Ghouta chemical attack", "is not a date like 2013-08-21"),
    ("21/08/2013,Ghouta chemical attack", "is not a date like 2013-08-21"),
    (",Ghouta chemical attack", "no date"),
    ("2013-08-21,", "no label"),
    ("1850-01-01,Too early", "is outside 1900-01-01 to 2100-12-31"),
    ("2013-08-21," + "x" * 121, "label longer than 120 characters"),
    ("2013-08-21,Label," + "p" * 81, "place longer than 80 characters"),
])
def test_a_bad_row_is_skipped_with_its_line_and_reason(line, reason):
    text = f"# comment\ndate,label,place,topic\n2011-03-15,Protests begin\n{line}\n2017-04-04,Khan Shaykhun\n"
    rows, errors = key_dates.parse(text, "/x/key_dates.csv")
    assert [r.label for r in rows] == ["Protests begin", "Khan Shaykhun"]
    assert len(errors) == 1
    path, item, kind, why = errors[0]
    assert (path, item, kind) == ("/x/key_dates.csv", "line 4", "malformed_row")
    assert reason in why


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out():
    rows, errors = key_dates.parse("topic,label,date\nchemical_weapons,Ghouta,2013-08-21\n", "f")
    assert errors == []
    assert rows == [key_dates.KeyDate(date(2013, 8, 21), "Ghouta", None, "chemical_weapons", 2)]


def test_a_file_without_date_and_label_columns_loads_nothing_and_says_why():
    rows, errors = key_dates.parse("when,what\n2013-08-21,Ghouta\n", "f")
    assert rows == []
    assert errors[0][2] == "malformed_input" and "no date or label column" in errors[0][3]


def test_the_shipped_file_loads_without_errors():
    rows, errors = key_dates.read(None)
    assert errors == []
    assert date(2013, 8, 21) in {r.day for r in rows}


def test_ingest_copies_key_dates_and_records_bad_rows_without_losing_articles(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_text(json.dumps({
        "title": "Officer defects in Daraa", "url": "https://example.org/1", "published": "2013-08-22",
        "source": "Levant Ledger", "body": "Daraa, Levant Ledger - A colonel defected from the army."}) + "\n")
    dates = tmp_path / "events.csv"
    dates.write_text("date,label,place\n2013-08-21,Ghouta <b>chemical</b> attack,Eastern Ghouta\n"
                     "2013-13-01,Bad month\n2014-06-29,Caliphate declared,\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    proc = run_etl("ingest", str(inputs), "--no-progress", "--workers", "0", "--key-dates", str(dates),
                   db=db, check=False)
    assert proc.returncode == 1, proc.stderr        # done, with something skipped
    assert "line 3" in proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT event_date, label, place, topic, line_no FROM key_dates "
                           "ORDER BY event_date").fetchall() == [
            (date(2013, 8, 21), "Ghouta <b>chemical</b> attack", "Eastern Ghouta", None, 2),
            (date(2014, 6, 29), "Caliphate declared", None, None, 4)]
        assert con.execute("SELECT input_path, item, error_kind FROM ingest_errors").fetchall() == [
            (str(dates.resolve()), "line 3", "malformed_row")]
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        con.close()
    # init (like retag and every ingest) reloads the file: an edited file replaces the table
    dates.write_text("date,label\n2015-09-30,Russian air strikes begin\n")
    run_etl("init", "--key-dates", str(dates), db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT label FROM key_dates").fetchall() == [("Russian air strikes begin",)]
    finally:
        con.close()
