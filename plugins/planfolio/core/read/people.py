"""The people file: who may own plans and commitments, or sit on a team; and, where it says, their GitHub handles."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from ..findings import code
from ..settings import SettingsError
from . import yamltree
from .yamltree import Mapping as MappingNode
from .yamltree import Node, Scalar, Sequence

# GitHub's rule for a user name: 1-39 letters, digits and single hyphens, no hyphen first or last. A handle
# that keeps to it is safe as written in Markdown (no markup, no space, no line break).
_GITHUB_HANDLE = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
_GITHUB_HANDLE_LENGTH = 39
_PERSON_KEYS = ("github",)
_MISSPELT = 0.75  # how close to `github` a key must be to be taken for it misspelt (`githb`, `GitHub`, `guthub`)


class People(frozenset[str]):
    """The names of a people file, and the path it is shown by (PF023 says where to add a person).

    `handles` maps a name to its GitHub handle where the file gives one (the digest @-mentions them). It is
    not part of equality: no check reads it, so a changed handle is no other context for a cached check."""

    path: str | None
    handles: Mapping[str, str]

    def __new__(cls, names: Iterable[str], path: str | None = None, handles: Mapping[str, str] | None = None) -> People:
        people = super().__new__(cls, names)
        people.path = path
        people.handles = MappingProxyType(dict(handles or {}))
        return people

    def __eq__(self, other: object) -> bool:  # the path is in messages: another file is other people
        return isinstance(other, People) and other.path == self.path and frozenset.__eq__(self, other)

    def __ne__(self, other: object) -> bool:  # frozenset has its own, which would ignore the path
        return not self == other

    def __hash__(self) -> int:
        return hash((frozenset(self), self.path))


def load_people(people_file: Path, shown_as: str | None = None) -> People:
    """The names of a people file: a YAML list of names, or a mapping whose keys are names. In the mapping, a
    value `{github: handle}` gives the person's GitHub handle; other values, and a person's other keys, are ignored.

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
    handles: dict[str, str] = {}
    if type(root) is Sequence:
        names = [item.text for item in root.items if type(item) is Scalar]
        if len(names) != len(root.items):
            raise SettingsError(f"{people_file}: every entry of the people list must be a name")
    elif type(root) is MappingNode:
        names = list(root.entries)
        for name, (_key, value) in root.entries.items():
            if type(value) is MappingNode and name.strip():
                handles.update(_handle(people_file, name.strip(), value))
    else:
        raise SettingsError(f"{people_file}: the people file must be a YAML list of names, or a mapping by name")
    return People((name.strip() for name in names if name.strip()), shown_as or people_file.as_posix(), handles)


def _handle(people_file: Path, name: str, person: MappingNode) -> dict[str, str]:
    """A person's `{github: handle}`, the handle checked against GitHub's rule: {name: handle}, or {} without one."""
    for key, (key_node, _value) in person.entries.items():
        # Other keys are the file's own (an e-mail address, say) and stay ignored, as they always were; one that
        # reads like a misspelt `github` would silently mention nobody.
        if key not in _PERSON_KEYS and difflib.get_close_matches(key.casefold(), _PERSON_KEYS, cutoff=_MISSPELT):
            raise SettingsError(f"{people_file}:{key_node.line}:{key_node.column}: unknown key {code(key)} for a person: did you mean `github`?")
    if "github" not in person.entries:
        return {}
    key_node, value = person.entries["github"]
    handle = _handle_text(value)
    if handle is None:
        raise SettingsError(f"{people_file}:{key_node.line}:{key_node.column}: `github` needs the person's GitHub handle, e.g. `github: dana-kim`")
    if len(handle) > _GITHUB_HANDLE_LENGTH or _GITHUB_HANDLE.fullmatch(handle) is None:
        hint = ": write it without the @" if handle.startswith("@") else ": 1-39 letters, digits and single hyphens, no hyphen first or last"
        raise SettingsError(f"{people_file}:{value.line}:{value.column}: {code(handle)} is not a GitHub handle{hint}")
    return {name: handle}


def _handle_text(value: Node) -> str | None:
    """The text of a handle as written; None where there is none (null, a list, a mapping)."""
    return value.text if type(value) is Scalar and not value.is_null else None
