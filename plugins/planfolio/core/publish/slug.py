"""URL slugs and file names made from names (accounts, people, tags)."""

from __future__ import annotations

from slugify import slugify

# File systems allow 255 bytes a name; a slug stays far below it, with room for `-NN` and `.ics`.
MAX_SLUG_LENGTH = 64


def slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A URL slug (lower-case ASCII letters, digits and hyphens; other scripts transliterated) of a name, at most
    `max_length` characters, cut at a word where it can be: `Jürgen Weiß` -> `jurgen-weiss`."""
    return slugify(text, max_length=max_length, word_boundary=True) or slugify(text, max_length=max_length)


def unique_slugs(names: list[str], fallback: str) -> dict[str, str]:
    """A distinct slug for every name, numbered where two names would share one (also where two long names
    are cut to the same one). Never `index`: the page `x/index.md` would have the URL of `x.md`, the overview
    of the same folder; never `sitemap`: a person's Atom feed `x/<slug>.xml` would be the empty `x/sitemap.xml`
    planfolio writes beside the feeds (feeds.py)."""
    slugs: dict[str, str] = {}
    taken: set[str] = {"index", "sitemap"}
    for name in names:
        base = slug(name) or fallback
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
        taken.add(candidate)
        slugs[name] = candidate
    return slugs
