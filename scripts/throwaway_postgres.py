"""A throwaway PostgreSQL cluster for the test suite: initdb in a temporary folder, start on a free port, stop
and delete at the end. Uses the server binaries of Debian's postgresql package (or any on PATH)."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def server_binaries():
    """The folder holding initdb and pg_ctl, or None when no PostgreSQL server is installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("initdb")
    candidates += [str(Path(on_path).parent)] if on_path else []
    return next((Path(c) for c in candidates if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists()), None)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_cluster():
    """Yield a DATABASE_URL for a fresh cluster; PostgreSQL refuses to run as root, so root runs it as postgres."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="registry-pg-"))
    run_as = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    subprocess.run([*run_as, binaries / "initdb", "-D", data, "-A", "trust", "-U", "postgres"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run([*run_as, binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/registry"
    finally:
        subprocess.run([*run_as, binaries / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
