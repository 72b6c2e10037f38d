"""`dondoc serve` starts a real multi-worker server on a fresh data directory and serves the API docs offline."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {**os.environ, "DONDOC_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)  # the embedded default
    process = subprocess.Popen([sys.executable, "-m", "dondoc.cli", "serve", "--bind", f"127.0.0.1:{port}",
                                "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base + "/api/schema/")
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stdout.read().decode())
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def test_serve_answers_with_the_openapi_description_and_docs_whose_assets_it_serves_itself(server):
    status, schema = _get(server + "/api/schema/")
    assert status == 200 and "openapi: 3" in schema
    status, page = _get(server + "/api/docs/")
    assert status == 200 and "swagger-ui" in page
    assert "https://" not in page and "http://" not in page.replace("http://127.0.0.1", "")  # nothing from a CDN
    asset = page.split('src="')[1].split('"')[0]
    status, script = _get(server + asset)
    assert status == 200 and len(script) > 10_000
