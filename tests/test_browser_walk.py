"""A seeded random walk through the dashboard in real Chromium: N random widget actions in a row
(pick and remove topics, sources, countries, languages; date presets and typed dates; the copies
toggle, the place role, pages, the table pager and sort, the trend grain) and, after every one,
the check that no error box is shown, that the URL parses back to what the widgets show, and
that the headline count equals a count written directly in SQL on the database file.

A module of its own so that, on several test workers, it runs beside the other journeys rather than
after them (tests/conftest.py puts it first in the collection).
"""
from __future__ import annotations

import os
import random
import re
import time
from datetime import date, timedelta

import duckdb
import pytest

from dashboard.geo.countries import country_name
from dashboard.languages import language_label
from dashboard.state import Filters
from tests.browser_app import Visit, require_browser, serve
from tests.browser_reader import (NotShown, choose, eventually, pick, radio, sample_facts, sql_count, toggle,
                                  type_date, unpick, url_filters)

require_browser()

# CONFLICT_TRENDS_WALK_STEPS=1000 for a long soak; time a step: docs/figures.md ("CI time").
WALK_STEPS = int(os.environ.get("CONFLICT_TRENDS_WALK_STEPS", 200))
WALK_SEED = 1313
# A laptop's window rather than the other journeys' 1500 x 1100: most of a step's CPU is
# Chromium drawing the page again (raster and layout grow with its area), and nothing the walk
# checks depends on the size (the sidebar stays open, every page and widget is the same).
WALK_VIEWPORT = (1100, 750)


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("journeys") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def db(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def facts(db):
    return sample_facts(db)


SCREEN = """() => {
  const q = (s, root = document) => root.querySelector(s);
  const chips = (key) => [...document.querySelectorAll(`.st-key-${key} .react-aria-ComboBox [data-tag]`)]
      .map(t => t.getAttribute('aria-label'));
  const checked = (key) => { const i = q(`.st-key-${key} input[type=radio]:checked`);
                             return i ? i.closest('label').innerText.trim() : null; };
  const main = q('[data-testid="stMain"]');
  const metric = q('[data-testid="stMetricValue"]', main);
  const count = q('.st-key-article_count');
  const m = count && count.innerText.match(/^([\\d,]+) /);
  return {
    topics: chips('f_topics'), sources: chips('f_sources'), countries: chips('f_countries'),
    languages: chips('f_languages'),
    preset: (q('.st-key-f_preset input') || {}).value,
    from: (q('.st-key-f_from input[type=date]') || {}).value, to: (q('.st-key-f_to input[type=date]') || {}).value,
    copies: (q('.st-key-f_copies input[type=checkbox]') || {}).checked,
    page: checked('f_page'), role: checked('f_role'),
    metric: metric ? metric.innerText : null, listed: m ? m[1] : null,
    errors: document.querySelectorAll('[data-testid="stException"]').length,
  };
}"""
PAGE_LABELS = {"trends": "Trends", "map": "Map", "articles": "Articles", "data": "Data"}
ROLE_LABELS = {"any": "Any", "dateline": "Dateline", "mentioned": "Mentioned"}


def without_count(label: str) -> str:
    return re.sub(r" \([\d,]+\)$", "", label)


class Walk:
    """Random reader actions on one page, and the check that follows each."""

    def __init__(self, v: Visit, db, facts, seed: int):
        from dashboard import session
        self.v, self.db, self.rng = v, db, random.Random(seed)
        self.topic_label = dict(db.execute("SELECT topic_id, label FROM topics").fetchall())
        self.topics = [t for t, _ in facts["topics"]][:8]
        self.sources = facts["sources"][:6]
        self.countries = facts["countries"][:6]
        self.languages = [r[0] for r in db.execute(
            "SELECT language FROM articles WHERE language IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()]
        lo, hi = db.execute("SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles").fetchone()
        self.date_max = hi
        self.presets = session.date_presets(lo, hi)
        self.preset_for = lambda f: self.presets[session.preset_for(f.date_from, f.date_to, self.presets, hi)]
        self.log: list[str] = []

    # actions: each returns None when it does not apply to the current view
    def actions(self, f: Filters):
        acts = [self.add_topic, self.add_source, self.add_country, self.add_language, self.preset, self.preset,
                self.copies, self.role, self.go_to_page]
        if f.topics:
            acts.append(self.remove_topic)
        if f.sources:
            acts.append(self.remove_source)
        if f.countries:
            acts.append(self.remove_country)
        if f.languages:
            acts.append(self.remove_language)
        if self.v.widget("f_from").count():
            acts += [self.type_date, self.type_date]
        if f.page == "articles":
            acts += [self.table_page, self.sort]
        if f.page == "trends":
            acts.append(self.grain)
        return acts

    def add_topic(self, f):
        free = [t for t in self.topics if t not in f.topics]
        topic = self.rng.choice(free)
        pick(self.v, "f_topics", self.topic_label[topic])
        return f"add topic {topic}"

    def offered(self, column: str, f: Filters) -> set[str]:
        """Values the sidebar offers for the date range and copies toggle (those with articles)."""
        scope = Filters(date_from=f.date_from, date_to=f.date_to, copies=f.copies)
        where = ["TRUE" if scope.copies else "is_primary"]
        params = []
        if scope.date_from:
            where.append("published_at >= ?")
            params.append(scope.date_from)
        if scope.date_to:
            where.append("published_at < ?")
            params.append(scope.date_to + timedelta(days=1))
        return {r[0] for r in self.db.execute(
            f"SELECT DISTINCT {column} FROM articles WHERE {' AND '.join(where)}", params).fetchall()}

    def add_source(self, f):
        free = [s for s in self.sources if s not in f.sources and s in self.offered("source", f)]
        if not free:
            return None
        source = self.rng.choice(free)
        pick(self.v, "f_sources", source)
        return f"add source {source}"

    def add_country(self, f):
        free = [c for c in self.countries if c not in f.countries and c in self.offered("primary_country", f)]
        if not free:
            return None
        code = self.rng.choice(free)
        pick(self.v, "f_countries", country_name(code))
        return f"add country {code}"

    def add_language(self, f):
        free = [c for c in self.languages if c not in f.languages and c in self.offered("language", f)]
        if not free:
            return None
        code = self.rng.choice(free)
        pick(self.v, "f_languages", language_label(code))
        return f"add language {code}"

    def remove_topic(self, f):
        topic = self.rng.choice(f.topics)
        unpick(self.v, "f_topics", self.topic_label[topic] + " (")
        return f"remove topic {topic}"

    def remove_source(self, f):
        source = self.rng.choice(f.sources)
        unpick(self.v, "f_sources", source + " (")
        return f"remove source {source}"

    def remove_country(self, f):
        code = self.rng.choice(f.countries)
        unpick(self.v, "f_countries", country_name(code) + " (")
        return f"remove country {code}"

    def remove_language(self, f):
        code = self.rng.choice(f.languages)
        unpick(self.v, "f_languages", language_label(code) + " (")
        return f"remove language {code}"

    def preset(self, f):
        shown = self.screen()["preset"]
        label = self.rng.choice([p for p in self.presets.values() if p != shown and
                                 (shown == "Custom range" or p != self.preset_for(f))])
        choose(self.v, "f_preset", label)
        return f"dates {label}"

    def type_date(self, f):
        key = self.rng.choice(["f_from", "f_to"])
        day = date(2011, 1, 1) + timedelta(days=self.rng.randrange(0, (self.date_max - date(2011, 1, 1)).days))
        type_date(self.v, key, day)
        return f"type {key} {day}"

    def copies(self, f):
        toggle(self.v, "f_copies")
        return "toggle copies"

    def role(self, f):
        role = self.rng.choice([r for r in ROLE_LABELS if r != f.role])
        radio(self.v, "f_role", ROLE_LABELS[role])
        return f"role {role}"

    def go_to_page(self, f):
        page = self.rng.choice([p for p in ("trends", "articles", "articles", "map") if p != f.page])
        radio(self.v, "f_page", PAGE_LABELS[page])
        return f"page {page}"

    def table_page(self, f):
        if not self.v.widget("f_table_page").count():      # no articles: no pager to step
            return None
        step = self.v.widget("f_table_page").locator(
            '[data-testid="stNumberInputStepUp"]' if f.table_page == 1 or self.rng.random() < 0.6
            else '[data-testid="stNumberInputStepDown"]')
        if step.is_disabled():
            return None
        self.v.act(step.click)
        return "table page step"

    def sort(self, f):
        label = self.rng.choice(["Newest first", "Oldest first", "Title A–Z", "Source A–Z"])
        self.v.widget("f_sort").locator("[role=combobox]").first.click()
        option = self.v.page.locator('[role="option"]').filter(has_text=label).first
        self.v.act(option.click, expect_run=label != {"newest": "Newest first", "oldest": "Oldest first",
                                                      "title": "Title A–Z", "source": "Source A–Z"}[f.sort])
        return f"sort {label}"

    def grain(self, f):
        label = self.rng.choice([g for g in ("Day", "Week", "Month") if g.lower() != f.grain])
        self.v.act(self.v.widget("f_grain").get_by_role("radio", name=label).click)
        return f"grain {label}"

    # the check after every step
    def expected_screen(self, f: Filters, custom: bool) -> dict:
        """What the widgets must show for view `f`. Dates: the preset of those dates, or, with
        "Custom range" chosen, the same dates in the two boxes (empty for none)."""
        dates = ({"preset": "Custom range", "from": f.date_from.isoformat() if f.date_from else "",
                  "to": f.date_to.isoformat() if f.date_to else ""} if custom
                 else {"preset": self.preset_for(f)})
        return {"topics": [self.topic_label.get(t, t) for t in f.topics], "sources": list(f.sources),
                "countries": [country_name(c) for c in f.countries],
                "languages": [language_label(c) for c in f.languages], **dates,
                "copies": f.copies, "page": PAGE_LABELS[f.page], "role": ROLE_LABELS[f.role], "errors": 0}

    def screen(self) -> dict:
        s = self.v.page.evaluate(SCREEN)
        for name in ("topics", "sources", "countries", "languages"):
            s[name] = [without_count(label) for label in s[name]]
        s["page"] = re.sub(r"^\W+", "", s["page"] or "").strip()      # drop the icon ligature
        s["page"] = next((label for label in PAGE_LABELS.values() if s["page"].endswith(label)), s["page"])
        return s

    def check(self, step: int) -> Filters:
        f = url_filters(self.v)
        want = self.expected_screen(f, custom=self.screen()["preset"] == "Custom range")
        where = f"step {step}: " + " / ".join(self.log[-4:])
        # one read of the page per try (not one per field: eleven evaluations a try)
        eventually(lambda: {k: v for k, v in self.screen().items() if k in want}, want, where)
        if f.page in ("trends", "articles"):
            s = self.screen()
            shown = s["metric"] if f.page == "trends" else s["listed"]
            assert shown is not None, where
            assert int(shown.replace(",", "")) == sql_count(self.db, f), where
        return f


def test_a_seeded_random_walk_keeps_the_link_the_screen_and_the_counts_in_step(server, browser, db, facts):
    with Visit(browser, viewport=WALK_VIEWPORT) as v:
        walk_and_check(v, server, db, facts)


def walk_and_check(v: Visit, server: str, db, facts) -> None:
    v.open(server + "/")
    walk = Walk(v, db, facts, WALK_SEED)
    f = walk.check(0)
    started, done, not_shown, in_language = time.monotonic(), 0, 0, 0
    while done < WALK_STEPS:
        action = walk.rng.choice(walk.actions(f))
        try:
            what = action(f)
        except NotShown as exc:          # the screen is checked all the same
            walk.log.append(f"not shown: {exc}")
            not_shown += 1
            f = walk.check(done)
            continue
        if what is None:
            continue
        done += 1
        walk.log.append(what)
        f = walk.check(done)
        in_language += bool(f.languages)
    elapsed = time.monotonic() - started
    print(f"random walk: {done} steps in {elapsed:.0f} s ({elapsed / done:.2f} s a step), seed {WALK_SEED}, "
          f"{not_shown} options that never appeared, {in_language} steps with a language filter")
    assert not_shown <= WALK_STEPS // 10, walk.log
    assert v.external() == []
