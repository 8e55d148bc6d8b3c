"""People's names kept per snapshot (dashboard/queries/entities.py) on the sample database built
by the real ETL: the same names and kinds as a join with the entity table, a bounded cache, and
a new snapshot never served an old snapshot's names."""
from __future__ import annotations

import os
import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import queries as Q
from dashboard.queries import entities
from dashboard.queries.tables import ENTITY_TABLE
from dashboard.state import Filters


@pytest.fixture(scope="module")
def con(sample_db):
    connection = Q.connect(str(sample_db))
    yield connection
    connection.close()


def joined(con, ids: list[str]) -> dict[str, tuple[str, str] | None]:
    """What the join gave: each id's (name, kind), None when the entity table lacks it."""
    rows = con.execute(f"SELECT entity_id, name, kind FROM {ENTITY_TABLE} WHERE entity_id IN "
                       "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
    out: dict[str, tuple[str, str] | None] = dict.fromkeys(ids)
    out.update({r[0]: (r[1], r[2]) for r in rows})
    return out


def people_ids(con) -> list[str]:
    return [r[0] for r in con.execute(f"SELECT DISTINCT unnest(people) FROM {Q.VIEW_TABLE} ORDER BY 1").fetchall()]


def test_names_equal_the_entity_tables_cold_and_kept(con):
    ids = people_ids(con)[:200] + ["no-such-person", "x'; DROP TABLE meta; --"]
    expected = joined(con, ids)
    assert sum(v is not None for v in expected.values()) >= 20       # the sample names people
    entities.forget()
    assert entities.entities(con, ids) == expected                  # looked up
    assert entities.entities(con, list(reversed(ids))) == expected  # kept


def test_view_panel_and_sidebar_name_people_as_the_join_did(con):
    """The frames the pages get: names after their values, kinds of the sidebar's people, with
    the dtypes the join gave; the same whether the names are kept or looked up."""
    views = [Filters(), Filters(date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)),
             Filters(countries=("SY",)), Filters(q="army"), Filters(date_from=date(2030, 1, 1))]
    for f in views:
        frames = []
        for _ in range(2):
            entities.forget()
            frames.append((Q.view_top(con, f), Q.options(con, f)["people"]))
            frames.append((Q.view_top(con, f), Q.options(con, f)["people"]))
        top, people = frames[0]
        for other_top, other_people in frames[1:]:
            pd.testing.assert_frame_equal(top, other_top)
            pd.testing.assert_frame_equal(people, other_people)
        names = joined(con, list(top["value"]) + list(people["entity_id"]))
        for r in top.itertuples(index=False):
            entity = names[r.value] if r.facet == "people" else None
            assert r.name == (entity[0] if entity else r.value)
        for r in people.itertuples(index=False):
            entity = names[r.entity_id]
            assert r.name == (entity[0] if entity else r.entity_id)
            assert (r.kind == entity[1]) if entity else pd.isna(r.kind)
        assert list(people.columns) == ["entity_id", "name", "kind", "n"]
        assert top["name"].dtype == top["value"].dtype and people["kind"].dtype == people["entity_id"].dtype


def test_the_cache_keeps_at_most_its_bound(con, monkeypatch):
    monkeypatch.setattr(entities, "ENTITY_CACHE", 7)
    ids = people_ids(con)[:40]
    expected = joined(con, ids)
    entities.forget()
    for i in range(0, len(ids), 5):
        assert entities.entities(con, ids[i:i + 5]) == {k: expected[k] for k in ids[i:i + 5]}
        assert entities._NAMES.size(Q.snapshot_identity(con)) <= 7
    assert entities.entities(con, ids) == expected       # past the bound: looked up again, still right


def test_a_new_snapshot_is_never_served_the_old_ones_names(sample_db, tmp_path):
    live, new = tmp_path / "live.duckdb", tmp_path / "new.duckdb"
    shutil.copy(sample_db, live)
    shutil.copy(sample_db, new)
    first = Q.connect(str(live))
    person = people_ids(first)[0]
    entities.forget()
    old_name = entities.entities(first, [person])[person]
    assert old_name is not None
    first.close()
    writer = duckdb.connect(str(new))          # what the ETL's next run would write
    writer.execute("UPDATE entity_index SET name = 'Renamed Person' WHERE entity_id = ?", [person])
    writer.execute("UPDATE meta SET value = value || '-next' WHERE key = 'snapshot_id'")
    writer.close()
    os.replace(new, live)
    second = Q.connect(str(live))
    try:
        assert entities.entities(second, [person])[person] == ("Renamed Person", old_name[1])
    finally:
        second.close()
