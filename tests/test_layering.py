"""The direction of imports between the apps (docs/decisions/0004-layout.md): nothing imports upward.

catalog ← learners ← awards ← partners ← quality ← portal, workspace, demo; awards ← guidance ← portal, demo;
and awards ← wallets;
config is beneath them all, except its URL modules, which mount the apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app may import the apps listed for it, and nothing else of the project.
ALLOWED = {
    "catalog": {"config"},
    "learners": {"config", "catalog"},
    "awards": {"config", "catalog", "learners"},
    "partners": {"config", "catalog", "learners", "awards"},
    "quality": {"config", "catalog", "learners", "awards", "partners"},
    "guidance": {"config", "catalog", "learners", "awards"},
    "wallets": {"config", "catalog", "learners", "awards"},
    "portal": {"config", "catalog", "learners", "awards", "partners", "quality", "guidance"},
    "workspace": {"config", "catalog", "learners", "awards", "partners", "quality", "guidance"},
    "demo": {"config", "catalog", "learners", "awards", "partners", "quality", "guidance"},
}
PROJECT = set(ALLOWED) | {"config"}


def _project_imports(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        yield from (name.split(".")[0] for name in names if name.split(".")[0] in PROJECT)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_the_layers_beneath_them(app):
    offences = [
        f"{path.relative_to(ROOT)} imports {imported}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for imported in _project_imports(path)
        if imported != app and imported not in ALLOWED[app]
    ]
    assert not offences, "\n".join(offences)


def test_config_modules_other_than_urls_import_no_app():
    offences = [
        f"{path.relative_to(ROOT)} imports {imported}"
        for path in sorted((ROOT / "config").rglob("*.py"))
        if path.name not in ("urls.py", "api_urls.py")
        for imported in _project_imports(path)
        if imported != "config"
    ]
    assert not offences, "\n".join(offences)
