"""Interaction speed as people feel it: real Chromium (Debian's, via Playwright) driving
`python -m dashboard` over a bench database, timing each action from the click or
key press to a settled page.

A page is settled when Streamlit's run indicator is gone, no element is stale or a placeholder
(skeleton), what the action asked for is on screen (the URL holds the new value, the article
is open, the chart is drawn) and the DOM has not changed for QUIET_MS; the figure is the time
of the *last* DOM change after the action (a MutationObserver records it), so the quiet
wait itself is not counted. Each timed action leads to a view not seen before in the session
(a new date preset, country, page-with-new-filters, article or keyword), so Streamlit's query
cache does not answer it: these are first-visit figures.

Figures (`name: value unit`): p50/p95 ms per action kind, and the first page with a cold
browser (a new Chromium and profile: browser start, every script and font fetched and compiled
again) to the Trends chart drawn, three ways:
`..._cold_server_and_browser`: the browser starts the moment a just-started server first
answers its health check (its warm-up, dashboard/warm.py, still running: someone opening the
link of a server that is starting); then on a second server start, `browser_server_warm_up`
(ms the warm-up took, from the server's log) and, once it is done,
`..._first_visit_warm_server`: the first visitor of a started server (what someone opening the
link of a running server gets); and `..._cold_browser`: the next cold browser on that server.
These three count the browser's start. `browser_first_page_new_profile`
does not: the page alone, from the navigation's start, in a new context (a fresh profile: nothing
cached, nothing compiled) of a browser already running — someone whose browser is open following
the link.
Beside each action's wall time, the renderer's main-thread work it caused, from Chromium's
`Performance.getMetrics` (CDP) read before the action and once the page settled:
`..._main_thread_ms_*` (TaskDuration: the wall time of every task on the main thread, which
a loaded machine stretches), `..._main_thread_cpu_ms_*` (ThreadTime: the CPU time of that
thread, which the load hardly moves: the measure to compare code by), `..._script_ms_*`
(ScriptDuration), `..._layout_ms_*` (LayoutDuration + RecalcStyleDuration); the bench's own
polling of the page adds a few ms. `browser_first_page_new_profile_main_thread_ms` is the
same for the first page in a new profile.
The 1-minute load average is printed before and after (`browser_load_average_*`): on a shared
machine every figure scales with it.
`python -m bench --only browser --articles 100000`; the database is the ingest benchmark's
(work/jsonl-N.duckdb) or built here from the same generator.
"""
from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from dashboard import timings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUIET_MS = 400
SAMPLES = 20
VIEWPORT = {"width": 1400, "height": 1000}
SIDEBAR = '[data-testid="stSidebar"]'
# records the time of every DOM change (performance.now(), ms since the page's time origin)
WATCH_DOM = """
window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
PAGE_STATE = """() => [performance.now(), window.__lastChange || 0,
  !!document.querySelector('[data-testid="stStatusWidget"]'),
  document.querySelectorAll('[data-stale="true"], [data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]').length]"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, log: Path | None = None, timeout: float = 120, *, command: list[str] | None = None,
          env: dict | None = None) -> Iterator[str]:
    """The dashboard as users start it (`python -m dashboard`, or `command`) on `db` at a free
    local port, with `env` added to the environment; yields its base URL once it answers its
    health check. The real-browser tests serve it the same way (tests/browser_app.py)."""
    port = free_port()
    full_env = dict(os.environ, CONFLICT_TRENDS_DB=str(db), PYTHONPATH=str(ROOT))
    full_env.update(env or {})
    argv = (command or [sys.executable, "-m", "dashboard"]) + [
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false"]
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(argv, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                said = Path(log).read_text(errors="replace")[-4000:] if log else ""
                raise RuntimeError(f"the dashboard did not start:\n{said}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if not isinstance(out, int):
            out.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser):
    page = browser.new_page(viewport=VIEWPORT)
    page.add_init_script(WATCH_DOM)
    return page


def now(page) -> float:
    return page.evaluate("performance.now()")


def settle(page, since: float, ready: Callable[[], bool] | None = None, timeout_ms: float = 120_000) -> float:
    """Wait for a settled page (see the module docstring); return ms from `since` (a
    performance.now() of this page) to its last DOM change."""
    start = time.monotonic()
    while True:
        t, last, running, stale = page.evaluate(PAGE_STATE)
        if (not running and not stale and last > since and t - last >= QUIET_MS
                and (ready is None or ready())):
            return last - since
        if (time.monotonic() - start) * 1000 > timeout_ms:
            raise TimeoutError(f"page did not settle within {timeout_ms / 1000:.0f} s ({page.url})")
        page.wait_for_timeout(40)


def chart_drawn(page) -> Callable[[], bool]:
    return lambda: page.locator(".js-plotly-plot .main-svg").count() > 0


def url_has(page, text: str) -> Callable[[], bool]:
    return lambda: text in page.url


def open_app(page, url: str, ready: Callable[[], bool] | None = None) -> float:
    """Go to `url` and wait for the settled page; ms from the navigation's start."""
    page.goto(url)
    page.wait_for_selector(SIDEBAR, timeout=120_000)
    return settle(page, 0.0, ready)


# -- the actions -------------------------------------------------------------------------------

# the server's log while the bench runs (timings on): each timed action also records the script
# runs it caused and their summed ms, to split its latency into server and browser
SERVER_LOG: Path | None = None
SERVER_RUNS: list[tuple[int, float]] = []
# the timed page's CDP session (Performance domain on) and each action's main-thread work
CDP = None
MAIN_THREAD: list[dict[str, float]] = []
# ms of main-thread work per line: Chromium's metrics (seconds) summed
WORK = {"main_thread": ("TaskDuration",), "main_thread_cpu": ("ThreadTime",), "script": ("ScriptDuration",),
        "layout": ("LayoutDuration", "RecalcStyleDuration")}


def watch_main_thread(page):
    """A CDP session on `page` with Chromium's Performance metrics on."""
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")
    return session


def main_thread(session) -> dict[str, float]:
    """The renderer's main-thread work so far, ms per WORK line."""
    got = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return {line: 1000 * sum(got.get(n, 0.0) for n in names) for line, names in WORK.items()}


def _log_size() -> int:
    return SERVER_LOG.stat().st_size if SERVER_LOG and SERVER_LOG.exists() else 0


def _runs_since(offset: int) -> tuple[int, float]:
    """(script runs, their summed ms) the server logged after byte `offset` of its log."""
    if SERVER_LOG is None:
        return 0, 0.0
    with open(SERVER_LOG, "rb") as f:
        f.seek(offset)
        lines = f.read().decode(errors="replace").splitlines()
    runs = [float(line.split()[-2]) for line in lines if line.startswith("timing: run main ")]
    return len(runs), sum(runs)


def _timed(page, act: Callable[[], None], ready: Callable[[], bool] | None) -> float:
    work = main_thread(CDP) if CDP is not None else None
    since, offset = now(page), _log_size()
    act()
    took = settle(page, since, ready)
    SERVER_RUNS.append(_runs_since(offset))
    if work is not None:
        after = main_thread(CDP)
        MAIN_THREAD.append({line: after[line] - work[line] for line in WORK})
    return took


def dropdown_options(page, box) -> list[str]:
    box.click()
    options = page.locator('[role="option"]')
    options.first.wait_for(timeout=30_000)
    texts = [t.strip() for t in options.all_inner_texts() if t.strip() != "Select all"]
    page.keyboard.press("Escape")
    return texts


def filter_changes(page, base: str, samples: int) -> list[float]:
    """Alternately: another date preset, and one more country, so every view is new."""
    open_app(page, base + "/", chart_drawn(page))
    preset_box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').first
    presets = [p for p in dropdown_options(page, preset_box) if p not in ("Custom range", "All dates")]
    country_box = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').nth(1)
    countries = [c.rsplit(" (", 1)[0] for c in dropdown_options(page, country_box)]
    times = []
    for i in range(samples):
        if i % 2 == 0:
            preset = presets[(i // 2) % len(presets)]

            def act(preset=preset):
                preset_box.click()
                page.locator('[role="option"]', has_text=preset).first.click()
            times.append(_timed(page, act, url_has(page, "from=")))
        else:
            country = countries[(i // 2) % len(countries)]

            def act(country=country):
                country_box.locator("input").click()
                page.keyboard.type(country)
                page.keyboard.press("Enter")
                page.keyboard.press("Escape")
            times.append(_timed(page, act, url_has(page, "country=")))
    return times


PAGES = ["Map", "Articles", "Data", "Trends"]


def page_switches(page, base: str, samples: int) -> list[float]:
    """Trends → Map → Articles → Data → Trends …, with another date preset (untimed) after each
    round so that every page is drawn for a view it has not shown yet."""
    open_app(page, base + "/", chart_drawn(page))
    preset_box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').first
    presets = [p for p in dropdown_options(page, preset_box) if p not in ("Custom range",)]
    times = []
    for i in range(samples):
        name = PAGES[i % len(PAGES)]
        radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"] label', has_text=name).first
        ready = chart_drawn(page) if name in ("Map", "Trends") else None
        expect = f"page={name.lower()}" if name != "Trends" else None

        def done(ready=ready, expect=expect):
            url_ok = (expect in page.url) if expect else ("page=" not in page.url)
            return url_ok and (ready() if ready else True)
        times.append(_timed(page, radio.click, done))
        if name == "Trends":
            preset = presets[(i // len(PAGES)) % len(presets)]
            since = now(page)
            preset_box.click()
            page.locator('[role="option"]', has_text=preset).first.click()
            settle(page, since)
    return times


def article_opens(page, base: str, samples: int) -> list[float]:
    """Click row k of the article table (a new article each time), time until it is shown,
    close it (untimed)."""
    times = []
    for i in range(samples):
        sort = ("newest", "oldest")[(i // 10) % 2]
        if i % 10 == 0:
            open_app(page, f"{base}/?page=articles&sort={sort}")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        box = grid.bounding_box()
        row = i % 10

        def act(row=row, box=box):
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 17 + 35 * row)
        times.append(_timed(page, act, lambda: page.locator('[class*="st-key-article_detail"]').count() > 0
                            and "article=" in page.url))
        since = now(page)
        page.locator('[class*="st-key-close_article"] button, button:has-text("Close")').first.click()
        settle(page, since, lambda: page.locator('[class*="st-key-article_detail"]').count() == 0)
    return times


def keywords(page, base: str, samples: int) -> list[float]:
    """Type a new keyword (each a different word from the bench corpus) and press Enter."""
    from bench.corpus import KNOWN_TERMS

    words = KNOWN_TERMS["mid"] + KNOWN_TERMS["rare"] + KNOWN_TERMS["common"]
    open_app(page, base + "/", chart_drawn(page))
    box = page.locator(f'{SIDEBAR} input[aria-label="Keyword"]')
    times = []
    for i in range(samples):
        word = words[i % len(words)]

        def act(word=word):
            box.fill(word)
            box.press("Enter")
        times.append(_timed(page, act, url_has(page, f"q={word}")))
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def first_page(playwright, base: str) -> float:
    """ms from starting a browser to the settled first page (trends, chart drawn)."""
    t0 = time.perf_counter()
    browser = launch(playwright)
    page = new_page(browser)
    t1 = time.perf_counter()
    try:
        settled = open_app(page, base + "/", chart_drawn(page))
    finally:
        browser.close()
    return (t1 - t0) * 1000 + settled


def first_page_new_profile(browser, base: str, work: dict | None = None) -> float:
    """ms from the navigation's start to the settled first page in a new browser context of
    a browser already running: someone whose browser is open follows the link in a profile
    with nothing of the dashboard cached (no HTTP cache, no compiled code). Unlike
    `first_page`, the browser's start is not counted. With `work` (a dict), its main-thread
    work (ms per WORK line) is put there."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_DOM)
        session = watch_main_thread(page)
        took = open_app(page, base + "/", chart_drawn(page))
        if work is not None:
            work.update(main_thread(session))
        return took
    finally:
        context.close()


def warm_up_ms(log: Path, timeout: float = 600) -> float:
    """Wait until the server's log says its warm-up is done; the ms it took."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("timing: warm-up "):
                return float(line.split()[-2])
        time.sleep(0.2)
    raise TimeoutError(f"no warm-up line in {log} within {timeout:.0f} s")


def database(n: int, work: Path) -> Path:
    """The ingest benchmark's database for `n` articles, else one built here the same way."""
    for name in (f"jsonl-{n}.duckdb", f"browser-{n}.duckdb"):
        if (work / name).exists():
            return work / name
    from bench import corpus
    src = work / f"jsonl-{n}"
    if not (src / ".complete").exists():
        src.mkdir(parents=True, exist_ok=True)
        corpus.write_jsonl(src / "articles.jsonl", n, seed=1)
        (src / ".complete").write_text("ok")
    db = work / f"browser-{n}.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db), "--no-progress"],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest of {src} failed ({proc.returncode})")
    return db


ACTIONS = {"filter_change": filter_changes, "page_switch": page_switches,
           "article_open": article_opens, "keyword": keywords}


def run(n: int, work: Path, samples: int = SAMPLES) -> Iterator[tuple[str, float, str]]:
    """Every browser figure for the `n`-article bench database, as (name, value, unit), each
    yielded as soon as it is measured."""
    if not Path(CHROMIUM).exists():
        print(f"browser: skipped, no Chromium at {CHROMIUM}", flush=True)
        return
    from playwright.sync_api import sync_playwright

    global SERVER_LOG, CDP
    db = database(n, work)
    yield "browser_load_average_before", os.getloadavg()[0], "load"
    log = work / "browser-streamlit.log"
    timed = {timings.ENV_VAR: "1"}      # the server logs each query and run (dashboard/timings.py)
    with sync_playwright() as p:
        with serve(db, log=log, env=timed) as base:
            yield "browser_first_page_cold_server_and_browser", first_page(p, base), "ms"
    with sync_playwright() as p, serve(db, log=log, env=timed) as base:
        yield "browser_server_warm_up", warm_up_ms(log), "ms"
        yield "browser_first_page_first_visit_warm_server", first_page(p, base), "ms"
        yield "browser_first_page_cold_browser", first_page(p, base), "ms"
        browser = launch(p)
        first_work: dict[str, float] = {}
        yield "browser_first_page_new_profile", first_page_new_profile(browser, base, first_work), "ms"
        for line, ms in first_work.items():
            yield f"browser_first_page_new_profile_{line}_ms", ms, "ms"
        SERVER_LOG = log
        try:
            for name, action in ACTIONS.items():
                page = new_page(browser)
                SERVER_RUNS.clear()
                MAIN_THREAD.clear()
                CDP = watch_main_thread(page)
                try:
                    times = action(page, base, samples)
                finally:
                    CDP = None
                    page.close()
                yield f"browser_{name}_p50", statistics.median(times), "ms"
                yield f"browser_{name}_p95", percentile(times, 0.95), "ms"
                yield f"browser_{name}_samples", len(times), "actions"
                # the server's share: its script runs per action and their summed time
                server = [ms for _, ms in SERVER_RUNS]
                yield f"browser_{name}_server_runs_mean", statistics.mean(r for r, _ in SERVER_RUNS), "runs"
                yield f"browser_{name}_server_ms_p50", statistics.median(server), "ms"
                yield f"browser_{name}_server_ms_p95", percentile(server, 0.95), "ms"
                # the browser's share, as work done on its main thread (less load-dependent)
                for line in WORK:
                    done = [w[line] for w in MAIN_THREAD]
                    yield f"browser_{name}_{line}_ms_p50", statistics.median(done), "ms"
                    yield f"browser_{name}_{line}_ms_p95", percentile(done, 0.95), "ms"
        finally:
            SERVER_LOG, CDP = None, None
            browser.close()
    yield "browser_load_average_after", os.getloadavg()[0], "load"
