#!/usr/bin/env python3
"""Install the test dependencies into .venv (first run only) and run the whole test suite.

python3 scripts/test.py [pytest arguments]
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import ROOT, ensure_node_modules, reexec_in_venv  # noqa: E402

reexec_in_venv(["dev"])

os.chdir(ROOT)
ensure_node_modules(ROOT / "tests" / "thirdparty")
args = sys.argv[1:] or ["-n", "auto", "--dist", "loadgroup"]
os.execv(sys.executable, [sys.executable, "-m", "pytest", *args])
