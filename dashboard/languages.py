"""Language codes (`articles.language`, ISO 639-1 as the ETL stores them) in words. Pure."""
from __future__ import annotations

from functools import lru_cache

import pycountry


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """'Arabic' for 'ar' (ISO 639-1; a three-letter code is looked up as ISO 639-3), else the
    code itself."""
    key = "alpha_2" if len(code) == 2 else "alpha_3"
    found = pycountry.languages.get(**{key: code.lower()}) if code.isalpha() and len(code) in (2, 3) else None
    return found.name if found is not None else code


def language_label(code: str) -> str:
    """'Arabic (ar)': the name with the code a link carries; the code alone when unnamed."""
    name = language_name(code)
    return code if name == code else f"{name} ({code})"
