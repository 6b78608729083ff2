"""Create the project's virtualenv and install the project into it (only when pyproject.toml changed)."""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
# Exact versions of every dependency, so a fresh clone installs what the suite last passed with. Refresh after
# changing pyproject.toml: .venv/bin/pip freeze --exclude-editable > scripts/constraints.txt
CONSTRAINTS = ROOT / "scripts" / "constraints.txt"


def ensure_venv(extras):
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under the system Python, before the venv exists
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        print("Creating virtualenv in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    spec = f".[{','.join(extras)}]" if extras else "."
    inputs = (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes() + spec.encode()
    digest = hashlib.sha256(inputs).hexdigest()
    stamp = VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != digest:
        print(f"Installing {spec} …", flush=True)
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, "-e", spec], check=True, cwd=ROOT)
        stamp.write_text(digest)
    return str(PYTHON)


def reexec_in_venv(extras):
    """Run the calling script again with the virtualenv's Python, unless that is already the case."""
    python = ensure_venv(extras)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(python, [python, *sys.argv])


def ensure_node_modules(folder):
    """`npm ci` in ``folder`` when its package-lock.json changed (the Node.js programs tests run: the third-party
    verifier and wallets; and, for local runs, the fetched W3C suites)."""
    lock = folder / "package-lock.json"
    stamp = folder / "node_modules" / ".installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing Node.js packages in {folder.relative_to(ROOT)} …", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, check=True)
    stamp.write_text(digest)
