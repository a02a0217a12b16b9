"""The people file: who may own plans and commitments, or sit on a team."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..settings import SettingsError
from . import yamltree
from .yamltree import Mapping, Scalar, Sequence


class People(frozenset[str]):
    """The names of a people file, and the path it is shown by (PF023 says where to add a person)."""

    path: str | None

    def __new__(cls, names: Iterable[str], path: str | None = None) -> People:
        people = super().__new__(cls, names)
        people.path = path
        return people

    def __eq__(self, other: object) -> bool:  # the path is in messages: another file is other people
        return isinstance(other, People) and other.path == self.path and frozenset.__eq__(self, other)

    def __ne__(self, other: object) -> bool:  # frozenset has its own, which would ignore the path
        return not self == other

    def __hash__(self) -> int:
        return hash((frozenset(self), self.path))


def load_people(people_file: Path, shown_as: str | None = None) -> People:
    """The names of a people file: a YAML list of names, or a mapping whose keys are names.

    They carry the file's path (`shown_as`, else as given), which PF023 names where to add a person.
    """
    try:
        text, problem = yamltree.decode(people_file.read_bytes())
    except OSError as error:
        raise SettingsError(f"cannot read the people file {people_file}: {error.strerror}") from None
    if problem is not None:
        raise SettingsError(f"{people_file}:{problem.line}:{problem.column}: {problem.message}")
    problems: list[yamltree.Problem] = []
    root = yamltree.parse(text or "", problems)
    if problems:
        first = problems[0]
        raise SettingsError(f"{people_file}:{first.line}:{first.column}: {first.message}")
    if type(root) is Sequence:
        names = [item.text for item in root.items if type(item) is Scalar]
        if len(names) != len(root.items):
            raise SettingsError(f"{people_file}: every entry of the people list must be a name")
    elif type(root) is Mapping:
        names = list(root.entries)
    else:
        raise SettingsError(f"{people_file}: the people file must be a YAML list of names, or a mapping by name")
    return People((name.strip() for name in names if name.strip()), shown_as or people_file.as_posix())
