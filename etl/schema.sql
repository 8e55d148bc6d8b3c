-- The DuckDB schema: the contract between etl/ (writer) and dashboard/ (reader). Two more
-- things are part of it: the environment variable CONFLICT_TRENDS_DB names the database file
-- (both sides read it; etl/paths.py, dashboard/db.py), and the full-text index named by
-- `meta.index_dir` carries its own contract, `search-format.json` (how text became index terms;
-- etl/search/search-format.json is the source, see docs/architecture.md).
-- Version 8. Bump `schema_version` in table `meta` on any incompatible change.
-- Version 2 added the derived tables article_facets, place_index and entity_index (rebuilt by
-- the ETL from the tables above at the end of every ingest and retag). Version 3 dropped the
-- `snippet` field from evidence (see article_topics) and added articles.minhash. Version 4 added
-- the tables casualties and defections (figures read from the text) and the main event's
-- casualty columns of article_overview. The ETL upgrades a version-1, -2 or -3 file in place on
-- its next run (a version-3 file gets the two tables filled from its stored text); readers of
-- version 3 also read version-2 files, and readers of version 4 treat a file without the two
-- tables as one with no figures. Version 5 added the derived table facet_rollup (an ETL run
-- builds it in a version-4 file from article_facets; readers of version 5 count by scanning
-- article_facets in a file without it). Version 6 added the column `language` (as in articles) to
-- article_facets and to facet_rollup, with the facet `language` (the ETL adds the columns to a
-- version-5 file and rebuilds both; readers of version 6 treat a file without them as one whose
-- articles have no language). Version 7 added the derived table article_rows (the ETL builds it
-- in a version-6 file; readers of version 7 find an article's child rows by scanning in a file
-- without it). Version 8 added the derived table topic_rollup (the ETL builds it in a version-7
-- file from article_facets; readers of version 8 count a one-topic view by scanning
-- article_facets in a file without it).
--
-- One database file holds one consistent snapshot. The ETL never writes the live file in
-- place: it copies it, writes the copy, and atomically renames it over the live path, so a
-- reader either sees the old snapshot or the new one, never half a run.
-- Readers detect a new snapshot by `meta.snapshot_id` (or by the file's inode) and reopen.

-- Key/value facts about this snapshot: schema_version, snapshot_id (increments on every
-- swap), created_at, sample ('true' when built from the bundled synthetic demo corpus),
-- index_dir (this snapshot's full-text index directory, relative to the database's folder).
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per `python -m etl ingest|retag|reindex` invocation.
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id        INTEGER PRIMARY KEY,
    command       VARCHAR NOT NULL,     -- ingest | retag | reindex
    inputs        VARCHAR[],            -- the paths/globs as given
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,     -- running | ok | partial (some inputs failed) | failed
    n_inputs      INTEGER DEFAULT 0,    -- files looked at
    n_skipped_unchanged INTEGER DEFAULT 0, -- files skipped because unchanged since last run
    n_read        INTEGER DEFAULT 0,    -- articles read from inputs
    n_new         INTEGER DEFAULT 0,    -- new articles
    n_updated     INTEGER DEFAULT 0,    -- existing articles whose content changed
    n_unchanged   INTEGER DEFAULT 0,    -- articles seen again with identical content
    n_duplicates  INTEGER DEFAULT 0,    -- items that were exact copies of another article (new provenance only)
    n_failed      INTEGER DEFAULT 0,    -- errors recorded in ingest_errors for this run
    seconds       DOUBLE
);

-- Everything that could not be read, one row per failed input or item, with a specific reason.
CREATE TABLE IF NOT EXISTS ingest_errors (
    run_id      INTEGER NOT NULL,
    input_path  VARCHAR NOT NULL,
    item        VARCHAR NOT NULL DEFAULT '',  -- '' = the whole input; else "row 12", "item 3"...
    error_kind  VARCHAR NOT NULL,             -- unreadable_input | unknown_format | empty_input | malformed_row | ...
    reason      VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Input files seen, so an unchanged file is skipped on re-ingest without re-reading it.
CREATE TABLE IF NOT EXISTS input_files (
    input_path   VARCHAR PRIMARY KEY,  -- absolute path
    size_bytes   BIGINT NOT NULL,
    mtime_ns     BIGINT NOT NULL,
    sha256       VARCHAR NOT NULL,
    input_format VARCHAR,
    n_articles   INTEGER NOT NULL,
    last_run_id  INTEGER NOT NULL
);

-- One row per article (a story as text). Exact copies reached through several inputs or URLs
-- are one row with several `provenance` rows. Near-copies (syndication, small edits) are
-- separate rows sharing `dup_cluster`.
CREATE TABLE IF NOT EXISTS articles (
    article_id       VARCHAR PRIMARY KEY,  -- content_hash[:16] when first stored (a sha1 of the hash and the
                                           -- provenance key if that id is taken); kept when the text changes
    url              VARCHAR,              -- canonical URL when known
    source           VARCHAR,              -- outlet name ("Asharq Al-Awsat"), normalised
    title            VARCHAR,
    author           VARCHAR,
    published_at     TIMESTAMP,            -- NULL when no date could be established (never "today")
    date_precision   VARCHAR,              -- day | month | year | NULL
    date_source      VARCHAR NOT NULL,     -- metadata | text | sidecar | url | none
    dateline         VARCHAR,              -- the dateline as printed ("Amman, Asharq Al-Awsat")
    dateline_place   VARCHAR,              -- resolved English place name ("Amman")
    dateline_country VARCHAR,              -- ISO 3166-1 alpha-2 ("JO")
    primary_country  VARCHAR,              -- ISO 3166-1 alpha-2, the country the story is about
    primary_region   VARCHAR,              -- English ADM1 name ("Idlib"), within primary_country
    language         VARCHAR,              -- ISO 639-1 ("en", "ar")
    caption          VARCHAR,              -- photo caption, once, kept apart from body
    media_id         VARCHAR,
    body             VARCHAR NOT NULL,     -- plain text, paragraphs separated by a blank line
    word_count       INTEGER NOT NULL,
    content_hash     VARCHAR NOT NULL,     -- sha1 of normalised title+body: exact-copy detection
    simhash          UBIGINT NOT NULL,     -- 64-bit simhash of body shingles: near-copy detection
    dup_cluster      VARCHAR NOT NULL,     -- article_id of the cluster's first article (itself if alone)
    is_primary       BOOLEAN NOT NULL,     -- true for one article per dup_cluster: count these for unique stories
    input_format     VARCHAR NOT NULL,     -- format of the first input it came from
    input_path       VARCHAR NOT NULL,     -- first input it came from
    first_run_id     INTEGER NOT NULL,
    last_run_id      INTEGER NOT NULL,     -- last run that added or changed it
    extra            JSON,                 -- unmapped input fields (table columns, feed extras)
    minhash          USMALLINT[]           -- 32-bin MinHash of word 4-grams: copies that dropped a
                                           -- paragraph (etl/dedup/); NULL in files from schema 2
);

-- Every place an article was reached from. (input_path, item) is unique.
CREATE TABLE IF NOT EXISTS provenance (
    input_path   VARCHAR NOT NULL,
    item         VARCHAR NOT NULL,
    article_id   VARCHAR NOT NULL,
    url          VARCHAR,
    input_format VARCHAR NOT NULL,
    first_run_id INTEGER NOT NULL,
    last_run_id  INTEGER NOT NULL,
    PRIMARY KEY (input_path, item)
);

-- Topic taxonomy, copied from etl/taxonomy.toml at every ingest/retag. The dashboard reads
-- labels and colours from here.
CREATE TABLE IF NOT EXISTS topics (
    topic_id    VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    definition  VARCHAR NOT NULL,
    color       VARCHAR NOT NULL,      -- "#rrggbb"
    sort_order  INTEGER NOT NULL
);

-- Key dates drawn as labelled markers on every time chart, copied from a user-editable CSV file
-- (etl/key_dates.csv, or `--key-dates FILE`) at every init, ingest and retag; rows of the file
-- that cannot be used are in ingest_errors. Added to version 4 without a version change (a new
-- table only): the ETL creates it in an older file on its next run, and readers treat a file
-- without it as one with no key dates.
CREATE TABLE IF NOT EXISTS key_dates (
    event_date  DATE NOT NULL,
    label       VARCHAR NOT NULL,      -- what happened ("Ghouta chemical attack"), as written in the file
    place       VARCHAR,               -- where, as written (free text; NULL when not given)
    topic       VARCHAR,               -- a topic_id or free text the user relates it to (NULL when not given)
    line_no     INTEGER NOT NULL       -- line of the file it came from
);

-- One row per (article, topic) with the evidence that triggered it.
-- evidence: list of {field, start, end, text}; offsets are character offsets into
-- articles.title / articles.caption / articles.body, and text = that field[start:end].
-- (Schema 3 stores no display snippet: readers cut the passage around the offsets from the
-- stored text; schema 2 stored it, which doubled the data an ingest writes.)
CREATE TABLE IF NOT EXISTS article_topics (
    article_id  VARCHAR NOT NULL,
    topic_id    VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    n_matches   INTEGER NOT NULL,
    evidence    STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] NOT NULL
);

-- Places per article with their role. One row per (article, place_id, role).
CREATE TABLE IF NOT EXISTS article_places (
    article_id   VARCHAR NOT NULL,
    place_id     VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,     -- English canonical name
    kind         VARCHAR NOT NULL,     -- country | region | city
    country_code VARCHAR NOT NULL,     -- ISO 3166-1 alpha-2
    region       VARCHAR,              -- English ADM1 name
    lat          DOUBLE,
    lon          DOUBLE,
    role         VARCHAR NOT NULL,     -- dateline | mentioned
    n_mentions   INTEGER NOT NULL,
    evidence     STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] NOT NULL
);

-- People and organisations per article. One row per (article, entity_id).
CREATE TABLE IF NOT EXISTS article_entities (
    article_id  VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,      -- normalised key: one per real person/organisation
    name        VARCHAR NOT NULL,      -- display name
    kind        VARCHAR NOT NULL,      -- person | org
    title       VARCHAR,               -- rank or role where given
    n_mentions  INTEGER NOT NULL,
    evidence    STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] NOT NULL
);

-- Casualty figures the article reports: one row per reported event (a sentence's figures, with
-- "among them 5 children" from the next sentence folded in; a toll repeated later is folded
-- into its first mention). Counts are people; NULL = not stated. `evidence` lists the sentences
-- the figures came from, {field, start, end, text}: start/end are the sentence's character
-- offsets in articles.<field> and text is the sentence itself.
CREATE TABLE IF NOT EXISTS casualties (
    article_id        VARCHAR NOT NULL,
    event_no          INTEGER NOT NULL,    -- 1, 2... in reading order (title first) within the article
    killed            INTEGER,             -- people reported killed (all groups); 0 with is_negated
    injured           INTEGER,             -- people reported injured or wounded
    civilians_killed  INTEGER,             -- stated as civilians (or residents, patients, rescuers...)
    children_killed   INTEGER,             -- stated as children (part of the civilians)
    women_killed      INTEGER,             -- stated as women (part of the civilians)
    combatants_killed INTEGER,             -- stated as soldiers, fighters, militants, police...
    approximate       BOOLEAN NOT NULL,    -- some figure is hedged ("at least", "about"), vague
                                           -- ("dozens" is stored as 24, "scores" 40, "hundreds"
                                           -- 200) or a range (stored as its upper end)
    is_main_event     BOOLEAN NOT NULL,    -- the story's own event: the first that is not cumulative;
                                           -- at most one row per article
    is_cumulative     BOOLEAN NOT NULL,    -- a toll over a period ("since 2011", "so far this
                                           -- year", or 10,000 and more), not one event
    is_negated        BOOLEAN NOT NULL,    -- the text says there were none ("no casualties")
    evidence          STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] NOT NULL
);

-- Defections the article reports: one row per defection event (mentions of one named person are
-- one row; an unnamed officer in the lead who is then named is that person's row). `evidence`
-- as in casualties: the sentences the row came from.
CREATE TABLE IF NOT EXISTS defections (
    article_id    VARCHAR NOT NULL,
    event_no      INTEGER NOT NULL,        -- 1, 2... in reading order within the article
    person        VARCHAR,                 -- display name when named ("Mohammed Khalouf")
    entity_id     VARCHAR,                 -- article_entities.entity_id of that person, when found
    rank          VARCHAR,                 -- normalised: soldier | officer | sergeant | lieutenant |
                                           -- captain | major | lieutenant colonel | colonel | general |
                                           -- brigadier general | major general | lieutenant general |
                                           -- pilot | commander | police officer | minister | deputy
                                           -- minister | prime minister | ambassador | diplomat |
                                           -- member of parliament | governor | judge | NULL
    count         INTEGER,                 -- people: 1 when named or singular; stated or estimated
    approximate   BOOLEAN NOT NULL,        -- "approximately 20", "some 40", "dozens" (stored as 24)
    from_side     VARCHAR,                 -- army | police | government | rebel group | NULL
    to_side       VARCHAR,                 -- rebel group | government | ... when stated ("joined the FSA")
    destination   VARCHAR,                 -- ISO 3166-1 alpha-2 of the country they went to ("JO")
    when_text     VARCHAR,                 -- the time phrase as written ("in August 2012", "on Saturday")
    is_background BOOLEAN NOT NULL,        -- a recap ("since March 2011", a month and year before
                                           -- the article's year, "had defected"), not the news
    evidence      STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] NOT NULL
);

-- Derived tables: rebuilt by the ETL (store.rebuild_facets) from articles and the three child
-- tables above at the end of every ingest and retag, in the same snapshot, so they always agree
-- with them. They exist so a reader can filter and count articles with one scan and no join on
-- the VARCHAR article_id. Never written by anything else.

-- One row per article: what filters and charts need, with the child tables folded into lists.
-- Rows are stored in row_key order (published_at, undated last), so a date-range filter skips
-- whole row groups. List columns hold no duplicates; their order is not significant.
-- Place lists come in three roles: *_dl from the dateline, *_mn from places mentioned in the
-- text, *_any from either (and for countries/regions also the article's primary ones).
CREATE TABLE IF NOT EXISTS article_facets (
    article_id       VARCHAR NOT NULL,     -- articles.article_id (one row each)
    row_key          INTEGER NOT NULL,     -- unique, dense 1..n in storage order; valid for this snapshot only
    published_at     TIMESTAMP,            -- as in articles
    date_precision   VARCHAR,              -- as in articles
    is_primary       BOOLEAN NOT NULL,     -- as in articles: count these for unique stories
    source           VARCHAR,              -- as in articles
    title            VARCHAR,              -- as in articles
    primary_country  VARCHAR,              -- as in articles
    primary_region   VARCHAR,              -- as in articles
    dateline_place   VARCHAR,              -- as in articles
    topics           VARCHAR[] NOT NULL,   -- topic_ids from article_topics ([] when untagged)
    c_any            VARCHAR[] NOT NULL,   -- country codes: c_dl + c_mn + primary_country
    c_dl             VARCHAR[] NOT NULL,   -- country_code of article_places rows with role 'dateline'
    c_mn             VARCHAR[] NOT NULL,   -- country_code of article_places rows with role 'mentioned'
    r_any            VARCHAR[] NOT NULL,   -- region/city names: r_dl + r_mn + primary_region
    r_dl             VARCHAR[] NOT NULL,   -- name and region (ADM1) of 'dateline' places of kind region | city
    r_mn             VARCHAR[] NOT NULL,   -- name and region (ADM1) of 'mentioned' places of kind region | city
    p_any            VARCHAR[] NOT NULL,   -- place_ids: p_dl + p_mn
    p_dl             VARCHAR[] NOT NULL,   -- place_id of 'dateline' places of kind region | city with lat/lon
    p_mn             VARCHAR[] NOT NULL,   -- place_id of 'mentioned' places of kind region | city with lat/lon
    people           VARCHAR[] NOT NULL,   -- entity_ids from article_entities (people and organisations)
    language         VARCHAR               -- as in articles (last: version 6 added it to existing files)
);

-- One row per region/city place_id that has coordinates (the places p_* lists refer to), for maps.
CREATE TABLE IF NOT EXISTS place_index (
    place_id     VARCHAR NOT NULL,     -- article_places.place_id (one row each)
    name         VARCHAR NOT NULL,     -- English canonical name
    kind         VARCHAR NOT NULL,     -- region | city
    country_code VARCHAR NOT NULL,     -- ISO 3166-1 alpha-2
    region       VARCHAR,              -- English ADM1 name
    lat          DOUBLE NOT NULL,      -- mean over its article_places rows
    lon          DOUBLE NOT NULL
);

-- One row per entity_id in article_entities: display name and kind for the `people` lists.
CREATE TABLE IF NOT EXISTS entity_index (
    entity_id   VARCHAR NOT NULL,      -- article_entities.entity_id (one row each)
    name        VARCHAR NOT NULL,      -- display name
    kind        VARCHAR NOT NULL       -- person | org
);

-- Articles per calendar month, per is_primary, per language, per value of each facet the
-- dashboard counts, so a view filtered only by whole months (and the copies toggle, the place
-- role and languages) is counted without scanning article_facets. Rebuilt from article_facets
-- with it. `facet` names the article_facets column counted: source, primary_country, language
-- (single values; NULLs not counted), topics, c_any, c_dl, c_mn, r_any, r_dl, r_mn, p_any, p_dl, p_mn, people (lists: an article
-- counts once per value it holds); facet '' holds the month's articles (value NULL).
CREATE TABLE IF NOT EXISTS facet_rollup (
    month       DATE,                  -- date_trunc('month', published_at); NULL for undated articles
    is_primary  BOOLEAN NOT NULL,      -- as in article_facets
    facet       VARCHAR NOT NULL,      -- an article_facets column name, or '' for the totals
    value       VARCHAR,               -- the value counted (NULL for the totals)
    n           BIGINT NOT NULL,       -- articles of that month, is_primary and language with that value
    language    VARCHAR                -- as in article_facets (NULL: none known); a language filter
                                       -- sums only its rows (last: version 6 added it to existing files)
);

-- facet_rollup's counts split by topic: articles per calendar month, is_primary, language,
-- topic (each of article_facets.topics, an article counting once per topic it has) and value
-- of each facet below, so a view filtered only by whole months (and the copies toggle, the
-- place role and languages) and one topic is counted without scanning article_facets.
-- Rebuilt from article_facets with it. `facet` as in facet_rollup, for these only: source,
-- language, c_any, c_dl, r_any, r_dl, p_any, p_dl, people, and '' (the topic's articles,
-- value NULL); not the "mentioned" role's lists (a reader scans for those). Rows are stored
-- facet by facet, then by topic and month.
CREATE TABLE IF NOT EXISTS topic_rollup (
    month       DATE,                  -- date_trunc('month', published_at); NULL for undated articles
    is_primary  BOOLEAN NOT NULL,      -- as in article_facets
    topic       VARCHAR NOT NULL,      -- a topic_id the articles have
    facet       VARCHAR NOT NULL,      -- an article_facets column name, or '' for the totals
    value       VARCHAR,               -- the value counted (NULL for the totals)
    n           BIGINT NOT NULL,       -- articles of that month, is_primary, language and topic with that value
    language    VARCHAR                -- as in article_facets (NULL: none known)
);

-- Where one article's rows lie in the tables above, so a reader can fetch them without scanning
-- the whole table for a VARCHAR article_id (DuckDB keeps no index on it): per article and child
-- table (article_topics, article_places, article_entities, provenance) the first and last
-- `rowid` of its rows and their number; and per member of a near-copy cluster of two or more
-- (child 'articles', keyed by dup_cluster) the member's rowid in articles. Rowids are DuckDB's
-- row positions, valid for this snapshot only: the table is built after the last change to the
-- tables it points into, and a reader checks that it got `n` rows with the right key (else it
-- scans). Stored in article_id order, so a lookup by article_id reads one row group.
CREATE TABLE IF NOT EXISTS article_rows (
    article_id  VARCHAR NOT NULL,      -- the article (child 'articles': the cluster, dup_cluster)
    child       VARCHAR NOT NULL,      -- article_topics | article_places | article_entities |
                                       -- provenance | articles
    lo          BIGINT NOT NULL,       -- first rowid of the article's rows in `child`
    hi          BIGINT NOT NULL,       -- last rowid (the rows between that belong to other
                                       -- articles are filtered out by article_id)
    n           INTEGER NOT NULL       -- rows of the article in `child` within [lo, hi]
);

-- Flat view for notebooks and the DuckDB CLI: one row per unique story (cluster primary).
CREATE OR REPLACE VIEW article_overview AS
SELECT
    a.article_id, a.url, a.source, a.title, a.published_at, a.date_precision,
    a.dateline_place, a.dateline_country, a.primary_country, a.primary_region,
    coalesce((SELECT list(t.topic_id ORDER BY t.topic_id) FROM article_topics t
              WHERE t.article_id = a.article_id), []) AS topics,
    coalesce((SELECT list(e.name ORDER BY e.name) FROM article_entities e
              WHERE e.article_id = a.article_id AND e.kind = 'person'), []) AS people,
    coalesce((SELECT list(e.name ORDER BY e.name) FROM article_entities e
              WHERE e.article_id = a.article_id AND e.kind = 'org'), []) AS organisations,
    a.word_count, a.language, a.dup_cluster,
    -- the main casualty event's figures (casualties.is_main_event); NULL when not stated
    m.killed, m.civilians_killed, m.children_killed, m.women_killed, m.combatants_killed
FROM articles a
LEFT JOIN casualties m ON m.article_id = a.article_id AND m.is_main_event
WHERE a.is_primary;
