"""The plans' history from git (issue 13): versions, events, what they tell, and `planfolio diff`'s reports.

Pure core: no MkDocs. The plugin keeps one `VersionCache` across `mkdocs serve` rebuilds.
"""

from .cache import VersionCache
from .derive import SLIP_LIMIT, CommitmentHistory, PlanDerived, derive, slip_findings
from .events import Event, events
from .git import NoHistory, Snapshot, UnknownRevision, Version
from .timeline import Diff, History, PlanDiff, PlanHistory, Step, diff, read_history

__all__ = [
    "SLIP_LIMIT",
    "CommitmentHistory",
    "Diff",
    "Event",
    "History",
    "NoHistory",
    "PlanDerived",
    "PlanDiff",
    "PlanHistory",
    "Snapshot",
    "Step",
    "UnknownRevision",
    "Version",
    "VersionCache",
    "derive",
    "diff",
    "events",
    "read_history",
    "slip_findings",
]
