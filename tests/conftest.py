"""Shared fixtures of the planfolio tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The folder of corpus plans, with `expected.yml` and `people.yml`."""
    return CORPUS


@pytest.fixture
def planfolio(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., tuple[int, str, str]]:
    """Run `planfolio ARGS...` in-process from an empty working folder (no mkdocs.yml, no SOURCE_DATE_EPOCH).

    Returns (exit status, stdout, stderr).
    """
    from planfolio.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run
