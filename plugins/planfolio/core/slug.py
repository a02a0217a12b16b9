"""URL slugs and file names made from names (accounts, people)."""

from __future__ import annotations

from slugify import slugify


def slug(text: str) -> str:
    """A URL slug (lower-case ASCII letters, digits and hyphens; other scripts transliterated) of a name: `Jürgen Weiß` -> `jurgen-weiss`, `Zenith Robotics Ltd` -> `zenith-robotics-ltd`."""
    return slugify(text)


def unique_slugs(names: list[str], fallback: str) -> dict[str, str]:
    """A distinct slug for every name, numbered where two names would share one. Never `index`: the page
    `x/index.md` would have the URL of `x.md`, the overview of the same folder."""
    slugs: dict[str, str] = {}
    taken: set[str] = {"index"}
    for name in names:
        base = slug(name) or fallback
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        slugs[name] = candidate
    return slugs
