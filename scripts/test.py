#!/usr/bin/env python3
"""Install the test dependencies into .venv (first run only) and run the whole test suite — on SQLite, then
again on a throwaway PostgreSQL cluster when a PostgreSQL server is installed (CI installs it).

python3 scripts/test.py                  # everything, both databases
python3 scripts/test.py [pytest args]    # just those tests, on SQLite (set TEST_DATABASE_URL for another)
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import ROOT, ensure_node_modules, reexec_in_venv  # noqa: E402

reexec_in_venv(["dev"])

import throwaway_postgres  # noqa: E402

os.chdir(ROOT)
ensure_node_modules(ROOT / "tests" / "thirdparty")
if sys.argv[1:]:
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]])

PYTEST = [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadgroup"]
print("== The suite on SQLite ==", flush=True)
sqlite = subprocess.run(PYTEST).returncode
if throwaway_postgres.server_binaries() is None:
    print("\nNo PostgreSQL server is installed: the suite ran on SQLite only (.ci/run installs PostgreSQL).")
    sys.exit(sqlite)
# Tests that exercise no database behaviour of their own run once, on SQLite — Chromium on the pages, the Django-free
# credentials library, the static checks — and keep the whole command under 20 minutes on two cores.
ONCE = [
    "--ignore=tests/browser",
    "--ignore=tests/vc",
    "--ignore=tests/test_code_quality.py",
    "--ignore=tests/test_layering.py",
]
with throwaway_postgres.running_cluster() as url:
    print("\n== The suite on PostgreSQL (without the tests that run once) ==", flush=True)
    postgres = subprocess.run([*PYTEST, *ONCE], env={**os.environ, "TEST_DATABASE_URL": url})
sys.exit(sqlite or postgres.returncode)
