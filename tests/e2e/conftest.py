"""Browser tests: Debian's Chromium (``/usr/bin/chromium``), driven by Playwright, against a real server
(pytest-django's ``live_server``: Django's threaded server on a free port, on a database the test commits to).

Skipped, saying why, when Chromium or Playwright is missing; ``.ci/run`` installs Chromium from Debian's packages
and ``pyproject.toml``'s dev extra installs Playwright (never ``playwright install``: no browser is downloaded).
Screenshots of the main pages go to ``tests/e2e/artifacts/`` (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.service_fixtures import clock, fast_passwords, media  # noqa: F401  (autouse here too)

CHROMIUM = os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _skip_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium); .ci/run installs it"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would take the test's own (synchronous)
    # database calls for calls from async code, as Playwright's documentation for Django tests says.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
