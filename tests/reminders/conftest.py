"""Fixtures of the reminder tests: a real SMTP server on loopback (aiosmtpd), one that accepts connections and never
answers, a real HTTP receiver for webhooks, and tasks with chosen deadlines made through the tracking services."""

from __future__ import annotations

import email
import email.policy
import http.server
import itertools
import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import date

import pytest

# Reminders in these tests are only the ones a test asks for: the stale and no-deadline nudges and escalation are
# off unless a test turns them on (tasks are created "now", long before the days the tests pass as ``today``).
BASE = {"STALE_DAYS": None, "NO_DEADLINE_DAYS": None, "ESCALATE_AFTER": None, "BACKOFF_SECONDS": 60,
        "EMAIL_TIMEOUT": 2, "WEBHOOK_TIMEOUT": 2}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The shared ``users`` fixture sets passwords: PBKDF2 costs half a second each, MD5 nothing (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def remind_settings(settings):
    """Set DONDOC_REMINDERS from BASE plus the keys given: ``remind_settings(OVERDUE_REPEAT=3)``."""

    def configure(**keys):
        settings.DONDOC_REMINDERS = {**BASE, **keys}
        return settings.DONDOC_REMINDERS

    configure()
    return configure


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """aiosmtpd handler: keeps what arrives; ``refuse`` makes it answer 550 to the message's data."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Thư bị từ chối (policy)"
        with self.lock:
            self.envelopes.append(envelope)
        return "250 OK"


@dataclass
class SMTPServer:
    host: str
    port: int
    handler: Handler

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self.handler.lock:
            return [email.message_from_bytes(e.original_content, policy=email.policy.default)
                    for e in self.handler.envelopes]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _point_mail_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # pytest-django installs locmem
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "dondoc@example.gov.vn"


@pytest.fixture
def smtp(settings, remind_settings):
    from aiosmtpd.controller import Controller

    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _point_mail_at(settings, port)
    try:
        yield SMTPServer("127.0.0.1", port, handler)
    finally:
        controller.stop()


@pytest.fixture
def silent_smtp(settings, remind_settings):
    """A mail server that accepts the connection and never says a word (its greeting never comes)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    _point_mail_at(settings, listener.getsockname()[1])
    try:
        yield listener
    finally:
        listener.close()


@dataclass
class Receiver:
    url: str
    requests: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; 200 once exhausted
    delay: float = 0.0


@pytest.fixture
def receiver():
    state = Receiver(url="")
    lock = threading.Lock()

    class Handle(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                status = state.statuses.pop(0) if state.statuses else 200
                state.requests.append({"headers": dict(self.headers), "body": body, "status": status,
                                       "json": json.loads(body)})
            if state.delay:
                threading.Event().wait(state.delay)
            answer = b'{"ok": true}' if status < 400 else "lỗi máy chủ".encode()
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:  # the client gave up (timeout test)
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/dondoc"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


_numbers = itertools.count(1)


@pytest.fixture
def make_task(org):
    """An open task of a document issued by Bộ Tài chính, led by ``lead`` (default Bộ Tài chính), due ``due``."""
    from dondoc.tracking import services
    from dondoc.tracking.models import Document

    def make(due: date | None, *, lead=None, content=None, issuer=None, issued=date(2026, 1, 5), recurrence=""):
        n = next(_numbers)
        document = Document.objects.create(
            number=f"{n}/BTC-VP", type="Công văn", issuer=issuer or org.finance, issued_date=issued,
            title=f"Văn bản thử {n}", content_hash=f"{n:064d}",
        )
        content = content or f"Nhiệm vụ số {n}: rà soát, báo cáo kết quả thực hiện"
        if not recurrence:
            return services.add_task(document, content=content, lead=[lead or org.finance], due=due, draft=False)
        # a recurring task comes from a directive; reviewing the draft is where its rhythm is set
        task = services.add_task(document, content=content, lead=[lead or org.finance], due=due)
        services.correct_task(task, recurrence=recurrence)
        services.confirm_task(task)
        task.refresh_from_db()
        return task

    return make


@pytest.fixture
def emails(users):
    """Give the fixture users e-mail addresses."""
    for user in (users.officer, users.finance_focal, users.health_focal, users.leader):
        user.email = f"{user.username}@example.gov.vn"
        user.save(update_fields=["email"])
    return users
