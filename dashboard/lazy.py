"""Charts below the fold drawn when the reader scrolls near them, not with the page.

Why: every Trends action (a filter, a keyword, a switch back to the page, the first page)
drew both of the page's charts in the browser, and "Sources over time" — eight panels of bars,
about half the page's SVG nodes — sits below the first screen. Drawing it was a large share of
the first page's main-thread time and of each action (docs/figures.md, "The first page with a
cold browser" and "Interaction speed, eleventh pass"), for a chart the reader may never scroll
to. The server still sends the chart with the page (same elements, same figure,
same widget); only the browser's drawing of it waits.

How: Streamlit's chart element hands each figure to plotly.js's `Plotly.react` (and waits for
the promise it returns before it wires the chart's clicks). A script wraps `Plotly.react` (at
once, or when plotly.js sets `window.Plotly` on loading) so that a call for a chart inside an
element keyed in the script's keys that is not yet marked `data-shown` is held, and returns a promise
kept once the held call is made. The element is marked when it comes within `MARGIN` of the
visible part of the page's scrolling area; this is judged only when the page is quiet (the
script run over and no element still loading), because while a page is being built what
sits above an element is not at its full height yet and the element looks nearer than it is,
and on every scroll. Marking it makes the held calls, oldest first. The element keeps its
height meanwhile (Streamlit sizes it from the figure), so nothing jumps when it is drawn. The
mark stays for as long as the element is on the page: later reruns (a filter change once the
chart has been seen) draw it with the rest of the page, as before. Anything unexpected (no
`window.Plotly`, another plotly wrapper) leaves the chart drawn with the page, as before.
"""
from __future__ import annotations

import json
import re

MARGIN = 0.5        # of the scrolling area's height: drawing starts half a screen before the chart shows

# Idempotent: one wrapper and one watcher for the page; running it again (every run) only adds keys.
# Checks are coalesced to one per animation frame.
SCRIPT = """<script>
(() => {
  const lazy = window.__lazyCharts || (window.__lazyCharts = {keys: new Set(), held: new Map()});
  for (const key of %(keys)s) lazy.keys.add(key);
  if (lazy.schedule) { lazy.schedule(); return; }
  const margin = %(margin)s;
  const boxOf = (el) => {
    for (const k of lazy.keys) { const box = el.closest('.st-key-' + k); if (box) return box; }
    return null;
  };
  const wrap = (Plotly) => {
    if (!Plotly || Plotly.__lazyCharts || typeof Plotly.react !== 'function') return;
    const react = Plotly.react;
    Plotly.__lazyCharts = true;
    Plotly.react = function (el, ...rest) {
      const box = el instanceof Element ? boxOf(el) : null;
      if (!box || box.dataset.shown) return react.call(this, el, ...rest);
      return new Promise((resolve, reject) => {
        // a throw settles the promise too, so the chart's later draws are not stalled behind it
        const draw = () => new Promise((r) => r(react.call(this, el, ...rest))).then(resolve, reject);
        const before = lazy.held.get(el);
        // a second call before the first was drawn: both are made, in order, when it is near
        lazy.held.set(el, before ? () => before().then(draw, draw) : draw);
        lazy.schedule();
      });
    };
  };
  if (window.Plotly) wrap(window.Plotly);
  else {
    let plotly;
    Object.defineProperty(window, 'Plotly', {configurable: true, enumerable: true,
      get: () => plotly, set: (value) => { plotly = value; wrap(value); }});
  }
  const area = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowY;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  };
  const quiet = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    // without the attribute (another Streamlit) the page counts as quiet: the chart is then
    // drawn when near as judged now, never held for good
    const state = app && app.getAttribute('data-test-script-state');
    return (!state || state === 'notRunning') && !document.querySelector('[data-testid="stSkeleton"]');
  };
  const check = () => {
    lazy.frame = 0;
    if (!lazy.held.size || !quiet()) return;
    for (const [el, draw] of [...lazy.held]) {
      const box = el.isConnected ? boxOf(el) : null;
      if (!box) { lazy.held.delete(el); continue; }
      if (!box.dataset.shown) {
        const root = area(box);
        const top = root ? root.getBoundingClientRect().top : 0;
        const height = root ? root.clientHeight : window.innerHeight;
        const r = box.getBoundingClientRect();
        if (r.top < top + height * (1 + margin) && r.bottom > top - height * margin) box.dataset.shown = '1';
      }
      if (box.dataset.shown) { lazy.held.delete(el); draw(); }
    }
  };
  lazy.schedule = () => { if (!lazy.frame) lazy.frame = requestAnimationFrame(check); };
  // in the served page's <head> (dashboard/page_head.py) the script runs before <body> exists
  const watch = () => new MutationObserver(lazy.schedule).observe(document.body, {childList: true,
    subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  if (document.body) watch();
  else document.addEventListener('DOMContentLoaded', watch, {once: true});
  document.addEventListener('scroll', lazy.schedule, {capture: true, passive: true});
  window.addEventListener('resize', lazy.schedule, {passive: true});
  // a printed page shows every chart: what is held is drawn before the print is laid out
  window.addEventListener('beforeprint', () => {
    for (const [el, draw] of [...lazy.held]) {
      const box = el.isConnected ? boxOf(el) : null;
      lazy.held.delete(el);
      if (box) { box.dataset.shown = '1'; draw(); }
    }
  });
})();
</script>"""


def script(*keys: str) -> str:
    """The page script that holds the drawing of the charts keyed `keys` until they are near
    view. It must run before plotly.js is first used on the page: a chart drawn before it is not
    held. `python -m dashboard` serves it in the page's <head> (dashboard/page_head.py), before
    any of Streamlit's code; the app also sends it in the sidebar for a server started another
    way (`streamlit run`), where it usually, not always, comes first (React commits each
    element when its own code has arrived, in no fixed order)."""
    for key in keys:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
            raise ValueError(f"chart key {key!r}: letters, digits, _ and - only")
    return SCRIPT % {"keys": json.dumps(list(keys)), "margin": MARGIN}
