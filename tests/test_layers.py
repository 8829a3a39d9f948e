"""The layers stay apart: the domain and the models never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import segtui

PACKAGE = Path(segtui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_and_models_import_no_textual() -> None:
    offenders = []
    for folder in ("domain", "models"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for name in imported_modules(path):
                if (
                    name == "textual"
                    or name.startswith("textual.")
                    or name.startswith("segtui.ui")
                ):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_cli_imports_no_textual_at_start() -> None:
    """Headless commands load neither Textual nor python-docx."""
    code = (
        "import sys, segtui.cli, segtui.domain.segmentation, segtui.domain.segment_logging\n"
        "heavy = ('textual', 'docx', 'mailmerge')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_package_is_installed() -> None:
    """pyproject.toml lists every package folder, so a wheel leaves none out."""
    import tomllib

    root = PACKAGE.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(path.parent.relative_to(root).parts)
        for path in PACKAGE.rglob("__init__.py")
    }
    found.add("segtui.sample_data")
    assert found == listed
