"""Key dates on the dashboard's time charts (AppTest, on databases built by the real ETL): drawn
on the Trends small multiples and the Reported figures chart, hidden by the sidebar toggle, the
choice kept in the link, and a hostile label shown as text."""
from __future__ import annotations

import shutil


from conftest import run_etl
from test_dashboard_app import chart_spec, make_app, no_exceptions

KEY = "key_date"


def marks(spec: dict) -> tuple[list[dict], list[dict]]:
    layout = spec.get("layout", {})
    return ([s for s in layout.get("shapes", []) if s.get("name") == KEY],
            [a for a in layout.get("annotations", []) if a.get("name") == KEY])


def test_the_trend_chart_marks_the_sample_key_dates_with_labels_and_hover(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, topic="chemical_weapons", **{"from": "2013-01-01", "to": "2013-12-31"}).run()
    no_exceptions(at)
    lines, labels = marks(chart_spec(at, "trend_chart"))
    assert [a["text"] for a in labels] == ["Ghouta chemical attack"]
    assert labels[0]["x"].startswith("2013-08-01")          # the month that holds 21 Aug 2013
    assert "21 Aug 2013: Ghouta chemical attack (Eastern Ghouta; Chemical weapons)" in labels[0]["hovertext"]
    assert len(lines) == 1
    assert any("Dotted lines mark key dates" in c.value for c in at.caption)
    assert at.toggle(key="f_key_dates").value is True and "keydates" not in at.query_params


def test_the_toggle_hides_them_and_the_link_keeps_the_choice(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    assert marks(chart_spec(at, "trend_chart"))[1]
    at.toggle(key="f_key_dates").set_value(False).run()
    no_exceptions(at)
    assert at.query_params["keydates"] == "0"
    assert marks(chart_spec(at, "trend_chart")) == ([], [])
    shared = make_app(monkeypatch, sample_db, keydates="0").run()
    assert shared.toggle(key="f_key_dates").value is False
    assert marks(chart_spec(shared, "trend_chart")) == ([], [])


def test_the_reported_figures_chart_marks_them_too(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="figures").run()
    no_exceptions(at)
    _, labels = marks(chart_spec(at, "figures_chart_killed"))
    assert "Ghouta chemical attack" in {a["text"] for a in labels}


def test_a_hostile_label_is_drawn_as_text(monkeypatch, sample_db, tmp_path):
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(sample_db, db)
    events = tmp_path / "events.csv"
    events.write_text('date,label,place\n2013-08-21,<img src=x onerror=alert(1)>,"[x](http://198.51.100.7/a.png)"\n')
    run_etl("init", "--key-dates", str(events), db=db)      # an existing file: its key dates replaced
    at = make_app(monkeypatch, db, **{"from": "2013-01-01", "to": "2013-12-31"}).run()
    no_exceptions(at)
    _, labels = marks(chart_spec(at, "trend_chart"))
    assert labels[0]["text"].startswith("&lt;img src=x onerror=alert(1)&gt;"[:20])
    assert "<img" not in labels[0]["text"] and "<img" not in labels[0]["hovertext"]
    assert "[x](http://198.51.100.7/a.png)" in labels[0]["hovertext"]    # plotly shows markdown as-is
