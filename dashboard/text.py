"""Values that came from a URL, a file or an article, shown as text and never as markup.

Streamlit reads markdown (and its own `:colour[...]`, `:material/...:` and `$maths$`
directives) in st.markdown, st.caption, st.warning/info/error, widget labels, tab labels and
radio options. A value such as `![i](http://198.51.100.7/x.png)` pasted into any of them would
make the reader's browser fetch an image from a stranger's server, so every such value goes
through `as_text` first. Table cells (st.dataframe) and select/multiselect options are drawn as
plain text by Streamlit and need nothing; st.html gets `html.escape` (see evidence.py).
"""
from __future__ import annotations

import re

# every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, which
# covers emphasis, links and images, headings, code, HTML tags and
# Streamlit's directives
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured markdown also turns bare `http://…`, `www.…` and `name@host` into links, even
# with their punctuation escaped: an invisible WORD JOINER (U+2060) inside each breaks the pattern
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def as_text(value) -> str:
    """`value` (any object; None is "") escaped so that markdown shows it exactly as typed."""
    if value is None:
        return ""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(value)))
