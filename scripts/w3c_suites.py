#!/usr/bin/env python3
"""Run the W3C VC Data Model 2.0 and Data Integrity EdDSA (eddsa-rdfc-2022) suites against the registry.

Fetches the suites and their two GitHub-only dependencies at the commits pinned below into var/w3c-suites/
(nothing of them is committed), installs their Node.js dependencies there with tests/conformance/package.json,
runs tests/conformance (the live server, a TLS proxy, the suites' localConfig.cjs) and prints, per suite, what
passed and every failing test with mocha's message. Exit status: pytest's, 0 when every test passes but those
tests/conformance/test_w3c_suites.py names as known failures.

python3 scripts/w3c_suites.py               # clone from GitHub
python3 scripts/w3c_suites.py --source DIR  # copy from DIR holding the four folders (a machine without GitHub)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import ROOT, reexec_in_venv  # noqa: E402

# Folder name: (repository, commit). The suites' own package.json files name the last two as `github:`
# dependencies without a commit; these are the commits they resolved to when the suites were first run here.
REPOSITORIES = {
    "vc-data-model-2.0-test-suite": (
        "https://github.com/w3c/vc-data-model-2.0-test-suite",
        "6e075243825f50c79017de4a27089d329c093d0f",
    ),
    "vc-di-eddsa-test-suite": (
        "https://github.com/w3c/vc-di-eddsa-test-suite",
        "a62061b23892deb44dbad67a0315d403fdf09440",
    ),
    "vc-test-suite-implementations": (
        "https://github.com/w3c/vc-test-suite-implementations",
        "a15c6cf73e588f93a5b532a02c051ad7b59777ab",
    ),
    "data-integrity-test-suite-assertion": (
        "https://github.com/w3c-ccg/data-integrity-test-suite-assertion",
        "8d84d182f022f02049135f7d1ad3d5d0181e5560",
    ),
}
SUITES = ROOT / "var" / "w3c-suites"
SUITE_FOLDERS = ("vc-data-model-2.0-test-suite", "vc-di-eddsa-test-suite")  # the other two are their libraries
REPORTS = SUITES / "reports"  # mocha's JSON reports, written by tests/conformance
OURS = ROOT / "tests" / "conformance"  # package.json, package-lock.json, .npmrc: installed beside the suites


def _cloned_commit(folder):
    if not (folder / ".git").exists():  # without this check git would answer for the project's own repository
        return None
    head = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    return head.stdout.strip() or None


def clone(name):
    repository, commit = REPOSITORIES[name]
    target = SUITES / name
    if _cloned_commit(target) == commit:
        return
    print(f"Cloning {repository} at {commit[:12]} …", flush=True)
    # Into a scratch folder first: a failed clone leaves what was fetched before in place.
    scratch = SUITES / f"{name}.cloning"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", repository, scratch], check=True)
        subprocess.run(["git", "-C", scratch, "checkout", "--quiet", "--detach", commit], check=True)
    except subprocess.CalledProcessError:
        shutil.rmtree(scratch, ignore_errors=True)
        sys.exit(f"Could not fetch {repository} at {commit}; without GitHub, use --source.")
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)


def copy(name, source):
    origin, target = source / name, SUITES / name
    if not origin.is_dir():
        sys.exit(f"{origin} is missing: --source names a folder holding {', '.join(REPOSITORIES)}.")
    if origin.resolve() == target.resolve():
        return
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(origin, target, ignore=shutil.ignore_patterns(".git", "node_modules"))


def install():
    """`npm ci` beside the suites: our package.json installs the two GitHub-only dependencies from their folders."""
    for name in ("package.json", "package-lock.json", ".npmrc"):
        shutil.copyfile(OURS / name, SUITES / name)
    print("Installing the suites' Node.js packages …", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SUITES, check=True)


def summary(suite):
    """Counts and failures from mocha's reports; a failed hook is listed with the tests it kept from running."""
    report = json.loads((REPORTS / f"{suite}.json").read_text())
    total = json.loads((REPORTS / f"{suite}.dry-run.json").read_text())["stats"]["tests"]
    stats = report["stats"]
    failed = sum(1 for test in report["tests"] if test["err"])  # the failures beside these are hooks'
    not_run = total - stats["passes"] - failed - stats["pending"]
    lines = [
        f"== {suite}: {stats['passes']}/{total} passed, {failed} failed, {not_run} did not run (a failed hook), "
        f"{stats['pending']} skipped by the suite"
    ]
    for test in report["failures"]:
        lines.append(f"  FAILED {test['fullTitle']}")
        lines.extend(f"      {line}" for line in test["err"].get("message", "").strip().splitlines())
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="a folder holding the four suite folders, instead of GitHub")
    arguments = parser.parse_args()
    SUITES.mkdir(parents=True, exist_ok=True)
    for name in REPOSITORIES:
        if arguments.source:
            copy(name, arguments.source.resolve())
        else:
            clone(name)
    install()
    shutil.rmtree(REPORTS, ignore_errors=True)
    pytest = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/conformance", "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env={**os.environ, "W3C_SUITES_DIR": str(SUITES)},
        check=False,
    )
    for suite in SUITE_FOLDERS:
        if (REPORTS / f"{suite}.json").exists():
            print("\n" + summary(suite))
    sys.exit(pytest.returncode)


if __name__ == "__main__":
    reexec_in_venv(["dev"])
    main()
