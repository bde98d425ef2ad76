"""The house's rules (docs/ARCHITECTURE.md), checked on the code itself.

The layers are an import-linter contract in pyproject.toml, run by `make check`; these tests show
that the contract really catches a wrong import, and check what import-linter cannot see: an
import hidden inside a function to get round a cycle.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
PACKAGES: list[str] = CONTRACT["root_packages"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _sources(package: str) -> list[Path]:
    return [
        path
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and "migrations" not in path.parts
    ]


def _copy_of_the_house(destination: Path) -> None:
    """The project's modules (no tests, no migrations) and its contract, in `destination`."""
    for package in PACKAGES:
        for path in _sources(package):
            target = destination / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    shutil.copyfile(ROOT / "pyproject.toml", destination / "pyproject.toml")


def _lint(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(directory), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("house")
    _copy_of_the_house(directory)
    return directory


def test_the_house_keeps_its_layers(house: Path) -> None:
    result = _lint(house)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        # core is the leaf: it may not know the school's plans.
        ("core/text.py", "import planning.models", "core is not allowed to import planning"),
        # planning stands below tracking: a task's status belongs to planning.
        (
            "planning/models.py",
            "import tracking.models",
            "planning is not allowed to import tracking",
        ),
        # Frameworks know no domain: papers registers kinds, it does not import them.
        (
            "papers/registry.py",
            "import conferences.models",
            "papers is not allowed to import conferences",
        ),
        # Inside a function is still an import.
        (
            "documents/services.py",
            "def f():\n    import planning.services",
            "documents is not allowed",
        ),
    ],
)
def test_a_wrong_import_breaks_the_contract(
    house: Path, tmp_path: Path, module: str, wrong_import: str, broken: str
) -> None:
    copy = tmp_path / "house"
    shutil.copytree(house, copy)
    path = copy / module
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\n" + wrong_import + "\n", encoding="utf-8"
    )
    result = _lint(copy)
    assert result.returncode != 0
    assert broken in result.stdout


def _function_level_imports(path: Path) -> list[str]:
    """Imports of the project's own modules that stand inside a function or method.

    Allowed only in an AppConfig's `ready()`, which Django documents as the place to connect
    signals and registries once every app is loaded.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if (
                function is not None
                and function != "ready"
                and isinstance(child, ast.ImportFrom | ast.Import)
            ):
                names = (
                    [child.module or ""]
                    if isinstance(child, ast.ImportFrom)
                    else [alias.name for alias in child.names]
                )
                if child_level(child) or any(name.split(".")[0] in PACKAGES for name in names):
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno} in {function}()")
            visit(child, function)

    visit(tree, None)
    return found


def child_level(node: ast.Import | ast.ImportFrom) -> int:
    return node.level if isinstance(node, ast.ImportFrom) else 0


def test_no_import_of_the_project_hides_inside_a_function() -> None:
    found = [
        hit
        for package in PACKAGES
        for path in _sources(package)
        for hit in _function_level_imports(path)
    ]
    assert found == []
