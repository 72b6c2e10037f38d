"""What the HTTP benchmarks share: gunicorn started on a free loopback port and waited for, and the wrk script
that sends a token and cycles through a list of addresses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, workdir: Path, *, workers: int = 2, stderr=None):
    """``dondoc.config.wsgi`` under gunicorn with ``workers`` sync workers, once it accepts connections (at most
    60 s); yields (the master process, its port) and stops the whole process group afterwards."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dondoc.config.wsgi:application", "--workers",
                               str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                              env=env, cwd=workdir, start_new_session=True, stderr=stderr)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield server, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wrk_script(script: Path, paths: list[str], token: str) -> Path:
    """A wrk Lua script sending ``Authorization: Token ...`` to each of ``paths`` in turn."""
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    script.write_text(
        f'wrk.headers["Authorization"] = "Token {token}"\n'
        f"local paths = {{{lua_paths}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\n'
        "end\n"
    )
    return script
