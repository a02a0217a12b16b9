"""The house rules of the code (docs/how-planfolio-is-built.md): small functions, a pure core, stages that
import only from the stages before them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "planfolio"
CORE = PACKAGE / "core"
# What each stage of the core may import, besides itself and the shared modules at the core's top.
SHARED = {"model", "findings", "codes", "settings"}
STAGES = {"read": set(), "derive": {"read", "portfolio"}, "check": {"read", "derive"}, "publish": {"read", "derive", "check", "portfolio"}}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> list[str]:
    """The modules a file imports, as absolute `planfolio.…` names (relative imports resolved)."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
    return found


def test_no_function_is_longer_than_60_lines() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert long == []


def test_the_core_imports_neither_mkdocs_nor_the_adapter() -> None:
    for path in CORE.rglob("*.py"):
        for module in _imports(path):
            assert not module.startswith(("mkdocs", "material", "mermaid2", "jinja2", "markdown")), (path, module)
            assert not module.startswith("planfolio.") or module.startswith("planfolio.core"), (path, module)


def test_each_stage_imports_only_the_stages_before_it() -> None:
    for stage, allowed in STAGES.items():
        for path in (CORE / stage).glob("*.py"):
            for module in _imports(path):
                parts = module.split(".")
                if parts[:2] != ["planfolio", "core"] or len(parts) < 3:
                    continue
                assert parts[2] in {stage, *SHARED, *allowed}, f"{path.relative_to(PACKAGE)} imports {module}"


def test_the_shared_modules_import_no_stage() -> None:
    for name in SHARED:
        for module in _imports(CORE / f"{name}.py"):
            parts = module.split(".")
            assert parts[:2] != ["planfolio", "core"] or parts[2] in SHARED, (name, module)
