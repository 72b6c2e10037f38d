"""How long one `remind` pass takes over a national-scale database (not a test: run it by hand).

    .venv/bin/python tests/reminders/scale.py --db sqlite|postgres [--tasks 1000000] [--reuse] [--explain]

Fills a database with ``--tasks`` tasks in bulk (documents of 10 tasks, five years of deadlines 2022–2027, 500
agencies in a hierarchy with one focal point each and 20 officers, all with e-mail addresses; 10 % without a
deadline, past tasks mostly done, ~5 % of them still open and overdue, 3 % recurring), then times passes
against a real SMTP server (aiosmtpd in another process, discarding mail) and a local webhook receiver:

1. the first pass ever (every overdue task gets its weekly reminder at once: the worst case, a one-off);
2. the same day again (nothing new: what a `--loop` pass costs most of the time);
3. the next working day (the windows that opened overnight);
4. a week later.

Databases: SQLite in /tmp/dondoc-remind-scale/, or PostgreSQL ``helper_remind`` on 127.0.0.1 (re-created unless
``--reuse``). Reminder tables are emptied before the passes, so the first pass is always the first.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://postgres@127.0.0.1:5432/helper_remind"
SQLITE_DIR = Path("/tmp/dondoc-remind-scale")
TODAY = date(2026, 12, 7)  # a Monday


def log(text: str) -> None:
    print(text, flush=True)


def set_up_django(db: str, reuse: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dondoc.config.settings"
    if db == "postgres":
        import psycopg

        os.environ["DATABASE_URL"] = PG_URL
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'helper_remind'").fetchone()
            if exists and not reuse:
                conn.execute("DROP DATABASE helper_remind WITH (FORCE)")
            if not exists or not reuse:
                conn.execute("CREATE DATABASE helper_remind")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["DONDOC_DATA_DIR"] = str(SQLITE_DIR)
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        if not reuse and SQLITE_DIR.exists():
            for f in SQLITE_DIR.glob("dondoc.sqlite3*"):
                f.unlink()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n_tasks: int, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dondoc.tracking.models import Agency, Document, Profile, Task, TaskAgency

    rng = random.Random(seed)
    started = time.perf_counter()
    ministries = Agency.objects.bulk_create([Agency(name=f"Bộ số {i}", kind="ministry") for i in range(40)])
    provinces = Agency.objects.bulk_create([Agency(name=f"Ủy ban nhân dân tỉnh số {i}", kind="province")
                                            for i in range(34)])
    units = Agency.objects.bulk_create(
        [Agency(name=f"Cục số {i}", parent=ministries[i % 40]) for i in range(200)]
        + [Agency(name=f"Sở số {i}", parent=provinces[i % 34]) for i in range(226)])
    agencies = ministries + provinces + units
    User = get_user_model()
    password = make_password(None)
    people = User.objects.bulk_create(
        [User(username=f"daumoi{a.pk}", email=f"daumoi{a.pk}@example.gov.vn", password=password) for a in agencies]
        + [User(username=f"chuyenvien{i}", email=f"chuyenvien{i}@example.gov.vn", password=password)
           for i in range(20)])
    Profile.objects.bulk_create(
        [Profile(user=u, role=Profile.Role.FOCAL_POINT, agency=a) for u, a in zip(people, agencies, strict=False)]
        + [Profile(user=u, role=Profile.Role.OFFICER, agency=ministries[i] if i < 10 else None)
           for i, u in enumerate(people[len(agencies):])])

    created_field = Task._meta.get_field("created_at")
    created_field.auto_now_add = False  # the generator sets when each task was given
    first, last = date(2022, 1, 3), date(2027, 6, 30)
    span = (last - first).days
    docs_per_batch, per_doc = 2000, 10
    made = 0
    while made < n_tasks:
        with transaction.atomic():
            docs = []
            for _ in range(min(docs_per_batch, (n_tasks - made + per_doc - 1) // per_doc)):
                issued = min(first + timedelta(days=rng.randrange(span)), TODAY - timedelta(days=1))
                docs.append(Document(number=f"{made + len(docs)}/VP", issuer=rng.choice(ministries[:10]),
                                     issued_date=issued, content_hash=f"{made + len(docs):064x}",
                                     status=Document.Status.CONFIRMED))
            docs = Document.objects.bulk_create(docs)
            tasks, leads = [], []
            for doc in docs:
                for _ in range(min(per_doc, n_tasks - made - len(tasks))):
                    tasks.append(task_row(doc, rng, timezone))
                    leads.append(rng.choice(agencies))
            tasks = Task.objects.bulk_create(tasks, batch_size=5000)
            TaskAgency.objects.bulk_create(
                [TaskAgency(task=t, agency=a, role=TaskAgency.Role.LEAD, task_status=t.status, task_due=t.due_date)
                 for t, a in zip(tasks, leads, strict=True)],
                batch_size=5000)
            made += len(tasks)
        if made % 100_000 < docs_per_batch * per_doc:
            log(f"  {made:,} tasks ({time.perf_counter() - started:.0f} s)")
    created_field.auto_now_add = True
    log(f"filled {made:,} tasks in {time.perf_counter() - started:.0f} s")


def task_row(doc, rng: random.Random, timezone):
    from dondoc.tracking.models import Task

    given = doc.issued_date
    due = None if rng.random() < 0.10 else given + timedelta(days=rng.randint(7, 240))
    status, done_on, progress = Task.Status.OPEN, None, None
    if due is not None and due < TODAY:
        roll = rng.random()
        if roll < 0.92:
            status, done_on = Task.Status.DONE, min(due + timedelta(days=rng.randint(-20, 10)), TODAY)
        elif roll < 0.95:
            status = rng.choice((Task.Status.WITHDRAWN, Task.Status.TRANSFERRED))
    elif due is None and (TODAY - given).days > 200 and rng.random() < 0.8:
        status, done_on = Task.Status.DONE, given + timedelta(days=rng.randint(30, 200))
    elif rng.random() < 0.15:
        status, done_on = Task.Status.DONE, min(given + timedelta(days=rng.randint(1, 60)), TODAY)
    if status == Task.Status.OPEN and rng.random() < 0.6:
        progress = TODAY - timedelta(days=rng.randint(1, 120))
        progress = max(progress, given)
    done_on = max(done_on, given) if done_on else None
    return Task(
        document=doc, content="Rà soát, báo cáo kết quả thực hiện nhiệm vụ", status=status, due_date=due,
        original_due=due, done_on=done_on, done_late=(done_on > due) if done_on and due else None,
        last_progress_on=progress, recurrence=rng.choice(("quarterly", "monthly")) if rng.random() < 0.03 else "",
        created_at=timezone.make_aware(datetime.combine(given, datetime.min.time())),
    )


def start_sinks():
    """A mail server in another process (so it does not share our GIL) and a webhook receiver thread."""
    import http.server
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    smtpd = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
                              "aiosmtpd.handlers.Sink"])
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    hooks = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    return smtpd, port, f"http://127.0.0.1:{hooks.server_address[1]}/"


def explain(today: date) -> None:
    from django.db import connection

    from dondoc.reminders.conf import get_config
    from dondoc.reminders.queue import _open, _reminded

    config = get_config()
    overdue = (_open().filter(due_date__lte=today - timedelta(days=1))
               .filter(~_reminded("overdue", today, config.OVERDUE_REPEAT, "due_date")).values_list("pk", "due_date"))
    sql, params = overdue.query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            log("    " + " ".join(str(c) for c in row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database filled by an earlier run")
    parser.add_argument("--explain", action="store_true", help="print the overdue query's plan")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    set_up_django(args.db, args.reuse)

    from django.conf import settings
    from django.db import connection

    from dondoc.reminders.models import Delivery, Notification, Occurrence, Reminder, WebhookEndpoint
    from dondoc.reminders.runner import run_pass
    from dondoc.tracking.models import Task

    if not (args.reuse and Task.objects.exists()):
        fill(args.tasks)
    for model in (Delivery, Notification, Reminder, WebhookEndpoint, Occurrence):
        model.objects.all().delete()
    with connection.cursor() as cursor:  # statistics as on the day reminders are switched on
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total = Task.objects.count()
    opened = Task.objects.filter(status="open")
    log(f"{connection.vendor}: {total:,} tasks, {opened.count():,} open, "
        f"{opened.filter(due_date__lt=TODAY).count():,} overdue on {TODAY}")

    smtpd, port, hook_url = start_sinks()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DONDOC_REMINDERS = {"BASE_URL": "https://dondoc.example.gov.vn"}
    WebhookEndpoint.objects.create(name="bench", url=hook_url, secret="bench")
    try:
        if args.explain:
            explain(TODAY)
        days = [("first pass ever", TODAY), ("same day again", TODAY),
                ("next working day", TODAY + timedelta(days=1)), ("a week later", TODAY + timedelta(days=7))]
        for label, day in days:
            started = time.perf_counter()
            result = run_pass(day)
            seconds = time.perf_counter() - started
            q, d = result.queued, result.delivered
            phases = ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items())
            log(f"{label:>17} {day}: {seconds:6.2f} s ({phases}) — {q.reminders:,} reminders, "
                f"{q.notifications:,} notifications, {d.messages:,} messages, {d.sent:,} sent, "
                f"{len(result.occurrences.created)} occurrences")
    finally:
        smtpd.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
