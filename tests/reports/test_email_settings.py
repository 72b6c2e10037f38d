"""The e-mail settings come from the environment and agree with what the reminders read (``reminders.conf``)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

ENV = {"DONDOC_EMAIL_HOST": "smtp.example.gov.vn", "DONDOC_EMAIL_USER": "dondoc", "DONDOC_EMAIL_PASSWORD": "bí-mật",
       "DONDOC_EMAIL_USE_TLS": "1", "DONDOC_EMAIL_FROM": "Văn phòng <dondoc@example.gov.vn>",
       "DONDOC_BASE_URL": "https://dondoc.example.gov.vn/"}


@pytest.fixture
def fresh_settings(monkeypatch):
    """The settings module as it reads a given environment (Django's own settings object is left alone)."""
    import dondoc.config.settings as module

    def load(**env):
        for name in ("DONDOC_EMAIL_HOST", "DONDOC_EMAIL_PORT", "DONDOC_EMAIL_USER", "DONDOC_EMAIL_PASSWORD",
                     "DONDOC_EMAIL_USE_TLS", "DONDOC_EMAIL_USE_SSL", "DONDOC_EMAIL_FROM", "DONDOC_BASE_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(module)

    yield load
    monkeypatch.undo()
    importlib.reload(module)


def test_the_environment_sets_the_smtp_server_sender_and_links(fresh_settings):
    from dondoc.reminders.conf import make_config

    s = fresh_settings(**ENV)
    assert (s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL) == ("smtp.example.gov.vn", 587, True, False)
    assert (s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_TIMEOUT) == ("dondoc", "bí-mật", 30)
    assert s.DEFAULT_FROM_EMAIL == "Văn phòng <dondoc@example.gov.vn>"
    assert s.DONDOC_BASE_URL == "https://dondoc.example.gov.vn"
    assert make_config(s.DONDOC_REMINDERS).BASE_URL == "https://dondoc.example.gov.vn"


def test_defaults_and_the_port_that_goes_with_ssl(fresh_settings):
    s = fresh_settings()
    assert (s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL) == ("localhost", 25, False,
                                                                                   "dondoc@localhost")
    assert fresh_settings(DONDOC_EMAIL_USE_SSL="true").EMAIL_PORT == 465
    assert fresh_settings(DONDOC_EMAIL_USE_SSL="1", DONDOC_EMAIL_PORT="2465").EMAIL_PORT == 2465


def test_tls_and_ssl_together_are_refused_in_both_languages():
    env = {"DONDOC_EMAIL_USE_TLS": "1", "DONDOC_EMAIL_USE_SSL": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", "import dondoc.config.settings"], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode != 0
    assert "Chỉ bật một trong DONDOC_EMAIL_USE_TLS" in done.stderr and "set only one of" in done.stderr


def test_reminders_read_the_timeout_and_sender_from_these_settings(settings):
    from dondoc.reminders.conf import get_config

    settings.EMAIL_TIMEOUT, settings.DEFAULT_FROM_EMAIL = 30, "dondoc@example.gov.vn"
    config = get_config()
    assert (config.email_timeout, config.from_email) == (30, "dondoc@example.gov.vn")
