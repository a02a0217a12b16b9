"""URL slugs and file names made from names (accounts, people)."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """A URL slug of a name: `Jürgen Weiß` -> `jurgen-weiss`; empty when nothing Latin is left."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique_slugs(names: list[str], fallback: str) -> dict[str, str]:
    """A distinct slug for every name, numbered where two names would share one."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = slug(name) or fallback
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        slugs[name] = candidate
    return slugs
