"""The dashboard served for real-browser tests: `python -m dashboard` on a database built by the
real ETL, Debian's Chromium driven by Playwright, and a page wrapper that knows when Streamlit
has finished a run and what the page asked the network for.

Import what a test module needs (`from tests.browser_app import Visit, serve, ...`); one server
per test module (module-scoped fixtures), reused by every test in it.
"""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from bench.browser import free_port, serve  # noqa: F401 - served as the bench serves it

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("CONFLICT_TRENDS_SHOTS", "/tmp"))
LOCAL = "127.0.0.1"


def require_browser():
    """The Playwright sync API, or skip the calling module with the reason."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
    return sync_api


@contextlib.contextmanager
def chromium(sync_api):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _script_finished_field() -> int:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    return ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number


# Counts Streamlit's finished script runs: the server ends each run (or fragment run) with a
# ForwardMsg whose `script_finished` field is set, one message a WebSocket frame. A test reads
# the count before an action and waits for it to grow. Watching stApp's data-test-script-state
# instead misses runs: a quick run's "running" and "notRunning" can be committed to the page in
# one render, so the attribute never changes (seen under load: the run happened, the count
# stayed). The frame is read as protobuf's top-level fields, which needs no schema beyond the
# field number. A length is read into its own variable before it moves the cursor: in
# `i += varint()` JavaScript reads `i` before the call advances it, which lost the length's
# own byte and read the rest of every message as other fields (many "runs" a run).
RUN_COUNTER = """
window.__runs = 0;
window.__boot = Math.random();
(() => {
  const FINISHED = %d;
  const finished = (buf) => {
    const b = new Uint8Array(buf); let i = 0;
    const varint = () => { let v = 0, m = 1, x; do { x = b[i++]; v += (x & 127) * m; m *= 128; }
                           while (x & 128 && i < b.length); return v; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (field === FINISHED) { return true; }
      if (wire === 0) { varint(); } else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return false; }
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        // counted a frame later, once the page has taken the run's last message in
        if (e.data instanceof ArrayBuffer && finished(e.data)) {
          setTimeout(() => requestAnimationFrame(() => { window.__runs += 1; }), 0);
        }
      });
    }
  };
})();
""" % _script_finished_field()


class Visit:
    """A page in its own browser context, plus everything it asked the network for (requests off
    127.0.0.1 are recorded and aborted) and every dialog it tried to open."""

    def __init__(self, browser, viewport=(1500, 1100)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.context.add_init_script(RUN_COUNTER)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname == LOCAL:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()

    def __enter__(self) -> "Visit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def external(self) -> list[str]:
        out = list(self.blocked)
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme not in ("data", "blob", "about") and parsed.hostname != LOCAL and url not in out:
                out.append(url)
        return out

    # -- waiting for Streamlit ------------------------------------------------------------
    def runs(self) -> int:
        return self.page.evaluate("() => window.__runs || 0")

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
        self.page.wait_for_function("() => (window.__runs || 0) >= 1 && document.querySelector("
                                    "'[data-testid=\"stApp\"]').getAttribute('data-test-script-state')"
                                    " === 'notRunning'", timeout=60_000)
        self.idle()

    def idle(self, pause_ms: int = 150):
        """Wait until no run is going and none starts within `pause_ms`."""
        while True:
            self.page.wait_for_function(
                "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
                " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
                " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
                # elements whose code is still loading show a skeleton
                " && !document.querySelector('[data-testid=\"stSkeleton\"]'); }",
                timeout=60_000)
            before = self.runs()
            self.page.wait_for_timeout(pause_ms)
            state = self.page.evaluate("() => document.querySelector('[data-testid=\"stApp\"]')"
                                       ".getAttribute('data-test-script-state')")
            if self.runs() == before and state == "notRunning":
                return

    def act(self, action, *, expect_run: bool = True, timeout_ms: int = 30_000, tries: int = 3):
        """Do `action()` and wait for the run it starts (if `expect_run`) and any that follow.
        A click that did not take (no run, the address unchanged: the widget was being redrawn
        on a busy machine) is made again, as a person would, up to `tries` times. A page that
        reloaded (its run counter started again) or an address the app rewrote counts as the
        run having happened. When nothing takes, the error names what the page showed."""
        from playwright.sync_api import TimeoutError as Timeout

        url, boot = self.page.url, self.page.evaluate("() => window.__boot")
        for attempt in range(1, tries + 1):
            before = self.runs()
            action()
            if not expect_run:
                break
            try:
                self.page.wait_for_function(
                    f"() => (window.__runs || 0) > {before} || window.__boot !== {boot!r}",
                    timeout=timeout_ms // 2)
                break
            except Timeout:
                if self.page.url != url:
                    break
                if attempt == tries:
                    raise AssertionError(self.diagnose(f"no run after {tries} tries of {action!r}")) from None
        self.idle()

    def diagnose(self, what: str) -> str:
        """`what`, with the page's state, the sidebar's chips and a screenshot's path."""
        state = self.page.evaluate("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
                                   " return a && a.getAttribute('data-test-script-state'); }")
        chips = {key: self.chips(key) for key in ("f_topics", "f_sources", "f_countries")}
        shot = SHOTS / f"conflict-trends-failed-act-{int(time.time())}.png"
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(shot), full_page=True)
        return (f"{what}: runs {self.runs()}, script state {state}, address {self.page.url}, "
                f"chips {chips}, screenshot {shot}")

    # -- reading the page -------------------------------------------------------------------
    def params(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.page.url).query, keep_blank_values=True)

    def exceptions(self) -> list[str]:
        return [e.inner_text() for e in self.page.locator('[data-testid="stException"]').all()]

    def warnings(self) -> str:
        return " ".join(a.inner_text() for a in self.page.locator('[data-testid="stAlertContentWarning"]').all())

    def sidebar(self):
        return self.page.locator('[data-testid="stSidebar"]')

    def widget(self, key: str):
        """The element of the widget created with `key=` (Streamlit gives it class st-key-<key>)."""
        return self.page.locator(f".st-key-{key}")

    def chips(self, key: str) -> list[str]:
        """The labels of a multiselect's chosen values, as shown."""
        return [t.get_attribute("aria-label") for t in
                self.widget(key).locator(".react-aria-ComboBox [data-tag]").all()]

    def shot(self, name: str):
        if SHOTS.is_dir():
            self.page.screenshot(path=str(SHOTS / f"conflict-trends-{name}.png"), full_page=True)
