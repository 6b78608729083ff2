import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_no_lint_errors():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_no_model_changes_without_migrations():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_no_medium_or_high_severity_issue():
    packages = [
        "catalog",
        "learners",
        "awards",
        "partners",
        "wallets",
        "quality",
        "guidance",
        "portal",
        "demo",
        "config",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *packages, "--severity-level", "medium"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_dependencies_have_no_known_vulnerabilities():
    import json

    import pytest

    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pytest.skip(f"pip-audit could not run here: {result.stderr.strip()[-300:]}")
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        pytest.skip("pip-audit's vulnerability data source (PyPI) is not reachable from this machine: audit not run")
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in audited if d["vulns"]}
    assert not vulnerable, vulnerable


def test_every_installed_distribution_is_pinned_in_the_constraints_file():
    """A fresh clone installs exactly the versions the suite passed with (scripts/constraints.txt)."""
    from importlib.metadata import distributions

    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "scripts" / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        pins[canonicalize_name(name)] = version
    unpinned = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in distributions()
        if canonicalize_name(d.metadata["Name"]) not in {"pip", "setuptools", "microcredential-registry"}
    }
    assert {name: version for name, version in unpinned.items() if pins.get(name) != version} == {}
