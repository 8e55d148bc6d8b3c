"""Size limits on inputs and articles, each configurable by an environment variable (see the
README, "Limits"). Read once at import; a value that is not a positive number is ignored with
the default kept, so a typo never disables a limit."""
from __future__ import annotations

import os


def _positive(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


# The largest single document (HTML page, feed, text page) read whole, after decompression;
# a gzip-compressed document is refused as soon as it inflates past it, never held whole.
MAX_INPUT_BYTES = int(_positive("CONFLICT_TRENDS_MAX_INPUT_MB", 64) * (1 << 20))
# Any gzip input (tables included, which are streamed) is refused once its output passes
# this many times the compressed bytes read so far, beyond its first GZIP_RATIO_FLOOR bytes:
# text compresses 3-10x, a gzip bomb ~1000x.
MAX_GZIP_RATIO = _positive("CONFLICT_TRENDS_MAX_GZIP_RATIO", 100)
GZIP_RATIO_FLOOR = 8 << 20
# Characters kept of one short field (title, URL, source, author, caption, dateline...) and
# of one article's body; longer ones are cut, and an error row says so.
MAX_FIELD_CHARS = int(_positive("CONFLICT_TRENDS_MAX_FIELD_CHARS", 10_000))
MAX_BODY_CHARS = int(_positive("CONFLICT_TRENDS_MAX_BODY_CHARS", 2_000_000))
