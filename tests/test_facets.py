"""The derived tables the ETL writes into every snapshot (article_facets, place_index,
entity_index) and the dashboard's use of them, on real databases built by the real ETL.

Expected values are recomputed here in Python from the contract tables they are derived from,
never from the SQL under test."""
from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dashboard import keyword_state
from dashboard import queries as Q
from dashboard.state import Filters
from etl import store
from tests.conftest import ROOT, run_etl

LISTS = ("topics", "c_any", "c_dl", "c_mn", "r_any", "r_dl", "r_mn", "p_any", "p_dl", "p_mn", "people")
FACET_TABLES = ("article_facets", "place_index", "entity_index")


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def expected_facets(db: Path) -> dict[str, dict]:
    """article_id -> {list column: set} recomputed from articles and the child tables."""
    out: dict[str, dict] = {}
    for aid, country, region in rows(db, "SELECT article_id, primary_country, primary_region FROM articles"):
        out[aid] = {c: set() for c in LISTS}
        if country is not None:
            out[aid]["c_any"].add(country)
        if region is not None:
            out[aid]["r_any"].add(region)
    for aid, topic in rows(db, "SELECT article_id, topic_id FROM article_topics"):
        out[aid]["topics"].add(topic)
    for aid, entity in rows(db, "SELECT article_id, entity_id FROM article_entities"):
        out[aid]["people"].add(entity)
    for aid, place, name, kind, code, region, lat, lon, role in rows(
            db, "SELECT article_id, place_id, name, kind, country_code, region, lat, lon, role FROM article_places"):
        f, suffix = out[aid], {"dateline": "dl", "mentioned": "mn"}[role]
        for col in (f"c_{suffix}", "c_any"):
            f[col].add(code)
        if kind in ("region", "city"):
            for col in (f"r_{suffix}", "r_any"):
                f[col].update(v for v in (name, region) if v is not None)
            if lat is not None and lon is not None:
                for col in (f"p_{suffix}", "p_any"):
                    f[col].add(place)
    return out


def stored_facets(db: Path) -> dict[str, dict]:
    out = {}
    for aid, *lists in rows(db, f"SELECT article_id, {', '.join(LISTS)} FROM article_facets"):
        for col, values in zip(LISTS, lists):
            assert len(values) == len(set(values)), f"{col} of {aid} repeats a value: {values}"
        out[aid] = {col: set(values) for col, values in zip(LISTS, lists)}
    return out


def demote_to_version_1(db: Path) -> None:
    """Make `db` look like a file written before schema version 2."""
    con = duckdb.connect(str(db))
    try:
        for table in FACET_TABLES:
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    finally:
        con.close()


def test_facet_rows_equal_a_recomputation_from_the_child_tables(sample_db):
    assert stored_facets(sample_db) == expected_facets(sample_db)
    assert rows(sample_db, """
        SELECT count(*) FROM articles a JOIN article_facets f USING (article_id)
        WHERE f.published_at IS NOT DISTINCT FROM a.published_at AND f.is_primary = a.is_primary
          AND f.source IS NOT DISTINCT FROM a.source AND f.title IS NOT DISTINCT FROM a.title
          AND f.primary_country IS NOT DISTINCT FROM a.primary_country
          AND f.dateline_place IS NOT DISTINCT FROM a.dateline_place
          AND f.language IS NOT DISTINCT FROM a.language""") == \
        rows(sample_db, "SELECT count(*) FROM articles")


def test_row_keys_are_dense_and_follow_publication_order(sample_db):
    found = rows(sample_db, "SELECT row_key, published_at, article_id FROM article_facets")
    assert sorted(k for k, _, _ in found) == list(range(1, len(found) + 1))
    by_key = [(p is None, p, aid) for _, p, aid in sorted(found)]
    assert by_key == sorted(by_key, key=lambda r: (r[0], r[1] or 0, r[2]))
    # stored in row_key order, so a date range is a contiguous run of rows
    assert [k for k, in rows(sample_db, "SELECT row_key FROM article_facets")] == sorted(k for k, _, _ in found)


def test_facets_built_in_many_chunks_equal_the_recomputation_and_keep_row_key_order(
        sample_db, tmp_path, monkeypatch):
    """Large databases fill article_facets chunk by chunk: small chunks (one that divides the
    row count, so the last key ends a chunk) give the same rows, keys dense 1..n and stored in
    key order."""
    from etl.store import facets
    db = tmp_path / "chunked.duckdb"
    shutil.copy(sample_db, db)
    n = rows(db, "SELECT count(*) FROM articles")[0][0]
    monkeypatch.setattr(facets, "FACET_CHUNK_ROWS", next((d for d in range(5, n // 2) if n % d == 0), 7))
    snap = store.Snapshot.open(db)
    try:
        snap.rebuild_facets()
        snap.commit()
    except BaseException:
        snap.abort()
        raise
    assert stored_facets(db) == expected_facets(sample_db)
    assert rows(db, "SELECT article_id, row_key FROM article_facets") == \
        rows(sample_db, "SELECT article_id, row_key FROM article_facets")
    assert n >= 4 * facets.FACET_CHUNK_ROWS      # several chunks


def test_place_and_entity_indexes_list_each_id_once(sample_db):
    places = defaultdict(list)
    for place, lat, lon in rows(sample_db, "SELECT place_id, lat, lon FROM article_places WHERE kind IN "
                                           "('region', 'city') AND lat IS NOT NULL AND lon IS NOT NULL"):
        places[place].append((lat, lon))
    stored = {p: (lat, lon) for p, lat, lon in rows(sample_db, "SELECT place_id, lat, lon FROM place_index")}
    assert set(stored) == set(places)
    for place, coords in places.items():
        assert stored[place] == pytest.approx((sum(c[0] for c in coords) / len(coords),
                                               sum(c[1] for c in coords) / len(coords)))
    entities = rows(sample_db, "SELECT entity_id FROM entity_index")
    assert sorted(e for e, in entities) == sorted(e for e, in rows(
        sample_db, "SELECT DISTINCT entity_id FROM article_entities"))


def test_init_creates_the_derived_tables_empty(empty_db):
    for table in FACET_TABLES:
        assert rows(empty_db, f"SELECT count(*) FROM {table}") == [(0,)]
    assert dict(rows(empty_db, "SELECT key, value FROM meta"))["schema_version"] == store.SCHEMA_VERSION


def test_a_version_1_database_is_upgraded_in_place(sample_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(sample_db, db)
    demote_to_version_1(db)
    run_etl("reindex", db=db)
    assert dict(rows(db, "SELECT key, value FROM meta"))["schema_version"] == store.SCHEMA_VERSION
    assert stored_facets(db) == expected_facets(sample_db)
    assert rows(db, "SELECT count(*) FROM place_index") == rows(sample_db, "SELECT count(*) FROM place_index")


def demote_to_version_2(db: Path) -> None:
    """Make `db` look like a version-2 file: evidence items carry a stored `snippet`."""
    con = duckdb.connect(str(db))
    try:
        for table in ("article_topics", "article_places", "article_entities"):
            con.execute(
                f'ALTER TABLE {table} ALTER evidence SET DATA TYPE STRUCT(field VARCHAR, "start" INTEGER, '
                f'"end" INTEGER, text VARCHAR, snippet VARCHAR)[] USING list_transform(evidence, lambda e: '
                f'{{"field": e.field, "start": e.start, "end": e."end", "text": e.text, "snippet": e.text}})')
        con.execute("ALTER TABLE articles DROP COLUMN minhash")
        con.execute("UPDATE articles SET simhash = 0")       # version 2 hashed other words
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    finally:
        con.close()


def test_a_version_2_database_loses_its_stored_snippets_keeps_the_evidence_and_gets_fingerprints(sample_db, tmp_path):
    db = tmp_path / "v2.duckdb"
    shutil.copy(sample_db, db)
    demote_to_version_2(db)
    assert "snippet" in rows(db, "SELECT data_type FROM duckdb_columns() WHERE table_name = 'article_topics' "
                                 "AND column_name = 'evidence'")[0][0]
    run_etl("reindex", db=db)
    assert dict(rows(db, "SELECT key, value FROM meta"))["schema_version"] == store.SCHEMA_VERSION
    for table in ("article_topics", "article_places", "article_entities"):
        kind = rows(db, f"SELECT data_type FROM duckdb_columns() WHERE table_name = '{table}' "
                        "AND column_name = 'evidence'")[0][0]
        assert "snippet" not in kind and "text" in kind
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert rows(db, query) == rows(sample_db, query)
    # fingerprints recomputed from the stored text, as a fresh ingest computes them
    query = "SELECT article_id, simhash, minhash FROM articles ORDER BY ALL"
    assert rows(db, query) == rows(sample_db, query)


def test_the_dashboard_asks_for_an_upgrade_of_a_version_1_file_and_etl_init_does_it(sample_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(sample_db, db)
    demote_to_version_1(db)
    with pytest.raises(Q.OutdatedSnapshot, match="python -m etl init --db"):
        Q.connect(str(db))
    run_etl("init", db=db)
    con = Q.connect(str(db))
    try:
        assert Q.article_count(con, Filters()) > 0
    finally:
        con.close()


def test_retag_refreshes_the_facet_topics(sample_db, tmp_path):
    db = tmp_path / "retag.duckdb"
    shutil.copy(sample_db, db)
    taxonomy = tmp_path / "taxonomy.toml"
    taxonomy.write_text((ROOT / "etl" / "taxonomy.toml").read_text(encoding="utf-8") + '''
[[topic]]
id = "army_watch"
label = "Army watch"
definition = "Any mention of an army."
color = "#123456"
terms = ["army"]
''', encoding="utf-8")
    run_etl("retag", "--taxonomy", str(taxonomy), "--no-progress", "--workers", "0", db=db)
    tagged = {aid for aid, in rows(db, "SELECT article_id FROM article_topics WHERE topic_id = 'army_watch'")}
    assert tagged
    assert {aid for aid, in rows(db, "SELECT article_id FROM article_facets "
                                     "WHERE list_contains(topics, 'army_watch')")} == tagged
    assert stored_facets(db) == expected_facets(db)


def test_the_keyword_trend_count_equals_a_direct_count(sample_db):
    con = Q.connect(str(sample_db))
    try:
        index = Q.search_index(con)
        assert index is not None
        for q in ("army", "regime OR defected", "the"):
            ids = index.matching_ids(keyword_state.parse(q))
            assert ids, q
            direct = con.execute("SELECT count(*) FROM articles WHERE is_primary AND published_at IS NOT NULL "
                                 "AND article_id IN (SELECT unnest(?))", [ids]).fetchall()[0][0]
            per_topic = dict(con.execute(
                "SELECT t.topic_id, count(*) FROM article_topics t JOIN articles a USING (article_id) "
                "WHERE a.is_primary AND a.published_at IS NOT NULL "
                "AND a.article_id IN (SELECT unnest(?)) GROUP BY 1", [ids]).fetchall())
            trend = Q.topic_trend(con, Filters(q=q))
            assert trend.groupby("period")["total"].first().sum() == direct, q
            for topic, n in trend.groupby("topic_id")["n"].sum().items():
                assert n == per_topic.get(topic, 0), (q, topic)
            topic = max(per_topic, key=per_topic.get)
            assert Q.article_count(con, Filters(q=q, topics=(topic,))) == \
                con.execute("SELECT count(*) FROM articles a JOIN article_topics t USING (article_id) "
                            "WHERE a.is_primary AND t.topic_id = ? AND a.article_id IN (SELECT unnest(?))",
                            [topic, ids]).fetchall()[0][0]
            # a language is not in the index: the count and the ranked page go through DuckDB
            in_arabic = Filters(q=q, languages=("ar",))
            n_arabic = con.execute("SELECT count(*) FROM articles WHERE is_primary AND language = 'ar' "
                                   "AND article_id IN (SELECT unnest(?))", [ids]).fetchall()[0][0]
            assert Q.article_count(con, in_arabic) == n_arabic, q
            assert len(Q.articles_page(con, in_arabic, 1000, 0, Q.RANKED)) == n_arabic, q
    finally:
        con.close()


def expected_rollup(db: Path) -> dict[tuple, int]:
    """(month, is_primary, language, facet, value) -> articles, counted here in Python from
    articles and article_facets."""
    out: dict[tuple, int] = defaultdict(int)
    language_of = dict(rows(db, "SELECT article_id, language FROM articles"))
    for aid, published, primary, source, country, *lists in rows(
            db, f"SELECT article_id, published_at, is_primary, source, primary_country, {', '.join(LISTS)} "
                "FROM article_facets"):
        month = published.date().replace(day=1) if published is not None else None
        language = language_of[aid]
        out[(month, primary, language, "", None)] += 1
        for facet, value in (("source", source), ("primary_country", country), ("language", language)):
            if value is not None:
                out[(month, primary, language, facet, value)] += 1
        for facet, values in zip(LISTS, lists):
            for value in set(values):
                out[(month, primary, language, facet, value)] += 1
    return dict(out)


def stored_rollup(db: Path) -> dict[tuple, int]:
    found = rows(db, "SELECT month, is_primary, language, facet, value, n FROM facet_rollup")
    out = {tuple(r[:5]): r[5] for r in found}
    assert len(out) == len(found), "a (month, is_primary, language, facet, value) repeats"
    return out


def test_the_monthly_rollup_equals_a_count_of_the_facet_rows(sample_db):
    expected = expected_rollup(sample_db)
    assert any(k[0] is None for k in expected) and any(k[3] == "p_dl" for k in expected)  # undated rows; places
    assert {k[2] for k in expected} >= {"ar", "en"}                                      # split by language
    assert stored_rollup(sample_db) == expected


def test_a_version_4_database_gets_its_rollup_from_etl_init(sample_db, tmp_path):
    db = tmp_path / "v4.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE facet_rollup")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    run_etl("init", db=db)
    assert dict(rows(db, "SELECT key, value FROM meta"))["schema_version"] == store.SCHEMA_VERSION
    assert stored_rollup(db) == expected_rollup(sample_db)


def demote_to_version_5(db: Path) -> None:
    """Make `db` look like a version-5 file: no languages in the derived tables."""
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM facet_rollup WHERE facet = 'language'")
        for table in ("article_facets", "facet_rollup"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN language")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    finally:
        con.close()


def test_a_version_5_file_reads_as_one_without_languages_until_etl_init_adds_them(sample_db, tmp_path):
    db = tmp_path / "v5.duckdb"
    shutil.copy(sample_db, db)
    demote_to_version_5(db)
    for attempt in ("before", "after"):
        con = Q.connect(str(db))
        try:
            arabic = Filters(languages=("ar",))
            counts = (Q.article_count(con, arabic), Q.headline(con, arabic)["n"],
                      len(Q.options(con, Filters())["languages"]))
        finally:
            con.close()
        if attempt == "before":         # no article has a known language: none is offered or counted
            assert counts == (0, 0, 0)
            run_etl("init", db=db)
    n_arabic = rows(db, "SELECT count(*) FROM articles WHERE is_primary AND language = 'ar'")[0][0]
    assert n_arabic > 0 and counts == (n_arabic, n_arabic, len(rows(db, "SELECT DISTINCT language FROM articles "
                                                                      "WHERE language IS NOT NULL")))
    assert dict(rows(db, "SELECT key, value FROM meta"))["schema_version"] == store.SCHEMA_VERSION
    assert stored_rollup(db) == expected_rollup(sample_db)
    assert stored_facets(db) == expected_facets(sample_db)
    assert rows(db, "SELECT article_id, language FROM article_facets ORDER BY row_key") == \
        rows(sample_db, "SELECT article_id, language FROM article_facets ORDER BY row_key")
