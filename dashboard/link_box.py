"""The sidebar's "Link to this view" box: the link as selectable text and a Copy button.

Why not `st.code` (which has a copy icon): its element brings Streamlit's syntax highlighter,
a large script that a browser new to the page fetches and evaluates on the first page for
this one box, a measurable part of the first page's main-thread time (docs/figures.md, first
page with a cold browser). This box is plain HTML and a few lines of script.
"""
from __future__ import annotations

import html

# the link's box: one click selects all of it (user-select: all), it wraps anywhere
BOX = ('<div class="share-link" style="display:flex;gap:.4rem;align-items:flex-start">'
       '<code class="share-link-url" style="flex:1;min-width:0;font-size:.78rem;line-height:1.35;'
       'word-break:break-all;user-select:all;background:rgba(172,177,195,.25);color:inherit;'
       'padding:.45rem .55rem;border-radius:.5rem">{url}</code>'
       '<button type="button" class="share-link-copy" title="Copy the link" aria-label="Copy the link" '
       'style="font:inherit;font-size:.8rem;padding:.35rem .6rem;border:1px solid rgba(49,51,63,.2);'
       'border-radius:.5rem;background:#fff;cursor:pointer">Copy</button></div>')
# copies the box's text: the Clipboard API where the page is a secure context (localhost,
# https), else the selection and execCommand, which also works over plain http on a network
COPY = """<script>
(() => {
  for (const box of document.querySelectorAll('.share-link')) {
    const button = box.querySelector('button'), text = box.querySelector('code');
    if (!button || !text || button.dataset.ready) continue;
    button.dataset.ready = '1';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text.textContent);
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(text);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        document.execCommand('copy');
      }
      button.textContent = 'Copied';
      setTimeout(() => { button.textContent = 'Copy'; }, 1500);
    });
  }
})();
</script>"""


def share_box(url: str) -> str:
    """The box's HTML for `url` (escaped: the link holds whatever a visitor typed)."""
    return BOX.format(url=html.escape(url, quote=True)) + COPY
