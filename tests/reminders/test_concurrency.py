"""Once per task, window and recipient: with passes running at the same time (PostgreSQL), after a worker died while
sending, and when a claim was taken by another worker first."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dondoc.reminders.conf import get_config
from dondoc.reminders.delivery import claim, release_stale_claims
from dondoc.reminders.models import Notification, Occurrence, Reminder, WebhookEndpoint
from dondoc.reminders.runner import run_pass

WED = date(2027, 2, 3)


@pytest.mark.django_db(transaction=True)
def test_passes_running_at_once_send_each_reminder_exactly_once(smtp, receiver, emails, org, make_task):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race between passes is real on PostgreSQL")
    WebhookEndpoint.objects.create(url=receiver.url, secret="s")
    tasks = [make_task(date(2027, 2, 11) + timedelta(days=n % 3), lead=(org.finance, org.health, org.tax)[n % 3])
             for n in range(24)]
    recurring = make_task(date(2027, 1, 31), recurrence="monthly")
    passes, barrier, errors = 4, threading.Barrier(4), []

    def one_pass(n):
        try:
            barrier.wait(5)
            run_pass(WED, worker=f"worker-{n}")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_pass, args=(n,)) for n in range(passes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []

    assert Reminder.objects.count() == len(tasks) + 1  # the new monthly occurrence is due 28/02: not yet
    assert Occurrence.objects.filter(previous=recurring).count() == 1
    # 25 tasks: finance's (and tax's, via its parent) → one focal point; health's → another; all → the webhook
    assert Notification.objects.filter(channel="email").count() == len(tasks) + 1
    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}
    mentioned = Counter()
    for message in smtp.messages:
        text = message.get_body(preferencelist=("plain",)).get_content()
        mentioned.update((message["To"], int(n)) for n in re.findall(r"^- #(\d+) ", text, re.M))
    assert len(mentioned) == len(tasks) + 1 and set(mentioned.values()) == {1}
    posted = Counter(r["notification"] for req in receiver.requests for r in req["json"]["reminders"])
    assert len(posted) == len(tasks) + 1 and set(posted.values()) == {1}


@pytest.mark.django_db
def test_a_claimed_notification_is_not_claimed_again_and_a_dead_workers_claim_returns(smtp, emails, make_task):
    make_task(date(2027, 2, 11))
    smtp.handler.refuse = True
    t0 = timezone.now()
    run_pass(WED, now=t0)  # queued, one failed attempt, due again at t0 + 60 s
    rows = Notification.objects.all()
    _, mine = claim(rows, t0 + timedelta(minutes=1), "worker-a")
    _, theirs = claim(rows, t0 + timedelta(minutes=1), "worker-b")
    assert len(mine) == 1 and theirs == []
    # worker-a dies while sending: the row stays "sending" until the claim times out
    smtp.handler.refuse = False
    assert run_pass(WED, now=t0 + timedelta(minutes=2)).delivered.sent == 0
    config = get_config()
    assert release_stale_claims(t0 + timedelta(minutes=5), config) == 0
    later = t0 + timedelta(minutes=1, seconds=config.CLAIM_TIMEOUT_SECONDS + 1)
    result = run_pass(WED, now=later)
    assert result.delivered.released == 1 and result.delivered.sent == 1
    row = Notification.objects.get()
    assert (row.state, row.attempts) == ("sent", 3) and len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_restarted_loop_sends_nothing_twice(smtp, emails, make_task):
    make_task(date(2027, 2, 11))
    make_task(date(2027, 1, 20))
    run_pass(WED, worker="before-restart")
    sent = len(smtp.messages)
    after = run_pass(WED, worker="after-restart")
    assert (after.queued.notifications, after.delivered.sent, len(smtp.messages)) == (0, 0, sent)
