"""Sending what is queued: one e-mail digest per person, signed JSON POSTs per webhook endpoint.

A worker claims a recipient's due notifications with one conditional UPDATE (``state='pending'`` →
``'sending'``, ``claimed_by`` = a token of its own, ``attempts + 1``) and then works only on the rows carrying its
token: two workers running at once never send the same notification. A worker that dies while sending leaves rows
in ``sending``; after ``CLAIM_TIMEOUT_SECONDS`` they return to the queue — so a crash between the server's "250 OK"
and our UPDATE can deliver a message twice (at least once, never zero times; webhook receivers can deduplicate on
``notification``). E-mail rows are marked sent once per group of 50 recipients (one commit instead of 50), so such
a crash could repeat up to that many digests.

Failures are never dropped. A failed attempt puts the rows back with ``next_attempt_at`` after an exponential
backoff (``BACKOFF_SECONDS`` × 2^(attempt-1), at most ``BACKOFF_MAX_SECONDS``); after ``MAX_ATTEMPTS`` they end
``failed`` with the last error, which the pass reports. Retrying is not done when it cannot help: a webhook's 4xx
answer (but 408, 425, 429), a URL that is not http(s), a person without an e-mail address. An SMTP server that
cannot be reached (refused, timed out, disconnected) stops e-mail for the pass: the remaining digests are recorded
as failed attempts with the same error instead of each waiting for its own timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import smtplib
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q

from .conf import Config
from .facts import Names, chunks, load_facts
from .messages import Item, addressees, describe, email_message, obsolete, webhook_body
from .models import Delivery, Notification, WebhookEndpoint

PENDING, SENDING, SENT, FAILED, CANCELLED = (Notification.State.PENDING, Notification.State.SENDING,
                                             Notification.State.SENT, Notification.State.FAILED,
                                             Notification.State.CANCELLED)
RETRYABLE_HTTP = {408, 425, 429}


@dataclass
class DeliveryResult:
    sent: int = 0  # notifications delivered
    messages: int = 0  # e-mails and POSTs that went through
    retrying: int = 0  # notifications whose attempt failed and that will be tried again
    failed: int = 0  # notifications that failed for good in this pass
    cancelled: int = 0  # no longer relevant (task finished, deadline extended...)
    released: int = 0  # claims of a worker that stopped, back in the queue
    problems: list[str] = field(default_factory=list)  # one bilingual line per failed message
    facts: dict = field(default_factory=dict, repr=False)  # tasks read in this pass (by the queue, by e-mail...)
    names: Names = field(default_factory=Names, repr=False)


def backoff(attempts: int, config: Config) -> timedelta:
    return timedelta(seconds=min(config.BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), config.BACKOFF_MAX_SECONDS))


def new_token(worker: str) -> str:
    return f"{worker[:40]}:{uuid.uuid4().hex[:16]}"


def release_stale_claims(now: datetime, config: Config) -> int:
    """Rows left ``sending`` by a worker that stopped go back to the queue (or fail, out of attempts)."""
    stuck = Notification.objects.filter(state=SENDING,
                                        claimed_at__lt=now - timedelta(seconds=config.CLAIM_TIMEOUT_SECONDS))
    error = ("Tiến trình gửi đã dừng giữa chừng, có thể đã gửi / the sending worker stopped midway; "
             "it may have been delivered")
    failed = stuck.filter(attempts__gte=config.MAX_ATTEMPTS).update(state=FAILED, last_error=error, claimed_by="")
    back = stuck.update(state=PENDING, next_attempt_at=now, last_error=error, claimed_by="")
    return failed + back


def claim(rows, now: datetime, worker: str) -> tuple[str, list]:
    """Take the due pending rows of ``rows`` for this worker: (token, the rows as light named tuples)."""
    token = new_token(worker)
    n = rows.filter(state=PENDING, next_attempt_at__lte=now).update(
        state=SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1)
    if not n:
        return token, []
    return token, list(Notification.objects.filter(claimed_by=token, state=SENDING).order_by("pk")
                       .values_list("pk", "task_id", "window", "kind", "user_id", "endpoint_id", named=True))


def _mine(token: str, where: Q | None = None, ids: list[int] | None = None):
    """Querysets over the rows of a claim still being sent: all, those matching ``where`` (a recipient, a pk range:
    cheap through the ``notification_sending`` index), or ``ids`` a few hundred at a time."""
    rows = Notification.objects.filter(claimed_by=token, state=SENDING)
    if where is not None:
        rows = rows.filter(where)
    if ids is None:
        yield rows
    else:
        for part in chunks(ids):
            yield rows.filter(pk__in=list(part))


def succeed(token: str, now: datetime, where: Q | None = None) -> int:
    return sum(rows.update(state=SENT, sent_at=now, last_error="") for rows in _mine(token, where))


def fail(token: str, now: datetime, error: str, *, retry: bool, config: Config, result: DeliveryResult,
         where: Q | None = None) -> None:
    """Record a failed attempt on the claimed rows: back to the queue after a backoff, or failed for good."""
    error = error[:2000]
    for rows in _mine(token, where):
        if not retry:
            result.failed += rows.update(state=FAILED, last_error=error)
            continue
        result.failed += rows.filter(attempts__gte=config.MAX_ATTEMPTS).update(state=FAILED, last_error=error)
        for attempts in sorted(set(rows.values_list("attempts", flat=True))):
            result.retrying += rows.filter(attempts=attempts).update(
                state=PENDING, last_error=error, next_attempt_at=now + backoff(attempts, config))


def cancel(token: str, ids: list[int], reason: str) -> int:
    return sum(rows.update(state=CANCELLED, last_error=reason) for rows in _mine(token, ids=ids))


def _span(ids: list[int]) -> Q:
    """A batch of a claim, as the pk range it spans (the claim's rows are taken in pk order)."""
    return Q(pk__gte=min(ids), pk__lte=max(ids))


def _items(rows: list, today: date, config: Config, token: str, result: DeliveryResult) -> list[tuple[Any, Item]]:
    """The claimed rows still worth sending, with what to say; the others are cancelled with the reason."""
    facts = load_facts([r.task_id for r in rows], config, result.facts, result.names)
    keep, dropped = [], {}
    for row in rows:
        reason = obsolete(row.kind, row.window, facts.get(row.task_id))
        if reason:
            dropped.setdefault(reason, []).append(row.pk)
        else:
            task = facts[row.task_id]
            keep.append((row, Item(row.kind, task, describe(row.kind, task, today, config))))
    for reason, ids in dropped.items():
        result.cancelled += cancel(token, ids, reason)
    return keep


# ---------------------------------------------------------------------------------------------------- e-mail


def smtp_error(error: BaseException, config: Config) -> tuple[str, int | None, bool]:
    """(bilingual message, SMTP code, whether the connection is unusable) for an exception from sending."""
    where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                            for addr, (code, msg) in error.recipients.items())
        code = next(iter(error.recipients.values()))[0] if error.recipients else None
        return f"Máy chủ thư từ chối người nhận / the mail server refused the recipient ({refused})", code, False
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        broken = not isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError)
        return (f"Máy chủ thư {where} trả lời {error.smtp_code} {text} / the mail server answered "
                f"{error.smtp_code} {text}"), error.smtp_code, broken
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):  # smtplib re-raises timeouts
        return (f"Máy chủ thư {where} không trả lời sau {config.email_timeout:g} giây / the mail server did not "
                f"answer within {config.email_timeout:g} s"), None, True
    if isinstance(error, ConnectionRefusedError):
        return (f"Máy chủ thư {where} từ chối kết nối / the mail server refused the connection"), None, True
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"Máy chủ thư {where} ngắt kết nối / the mail server disconnected ({error})", None, True
    return f"Lỗi gửi thư qua {where} / mail error: {type(error).__name__}: {error}", None, True


def deliver_email(now: datetime, today: date, config: Config, worker: str, result: DeliveryResult,
                  group: int = 50) -> None:
    """One digest per person. Recipients are claimed ``group`` at a time (one UPDATE, one read of the rows and
    their tasks per group); the group's delivered rows are marked sent together once its digests went out."""
    due = Notification.objects.filter(channel=Notification.Channel.EMAIL, state=PENDING, next_attempt_at__lte=now)
    user_ids = sorted(set(due.order_by().values_list("user_id", flat=True).distinct()))
    if not user_ids:
        return
    mailer = _Mailer(config)
    try:
        for part in chunks(user_ids, group):
            token, rows = claim(Notification.objects.filter(channel=Notification.Channel.EMAIL, user_id__in=part),
                                now, worker)
            if not rows:
                continue
            to = addressees(get_user_model().objects.filter(pk__in=part))
            kept: dict[int, list] = {}
            for row, item in _items(rows, today, config, token, result):
                kept.setdefault(row.user_id, []).append((row, item))
            delivered: list[int] = []
            records: list[Delivery] = []
            try:
                for user_id in sorted(kept):
                    records.append(_send_digest(mailer, to[user_id], user_id, kept[user_id], token, now, today,
                                                config, result, delivered))
            finally:  # one commit per group (a commit per digest costs more than the digest), even after an error
                with transaction.atomic():
                    if delivered:
                        result.sent += succeed(token, now, Q(user_id__in=delivered))
                    Delivery.objects.bulk_create(records)
    finally:
        mailer.close()


class _Mailer:
    """One SMTP connection for the pass, opened on first use; once the server proved unreachable, ``broken``."""

    def __init__(self, config: Config) -> None:
        self.config, self.connection, self.broken = config, None, None

    def send(self, message) -> None:
        if self.connection is None:
            self.connection = get_connection(timeout=self.config.email_timeout)
            self.connection.open()
        self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # closing a connection the server already dropped
                self.connection.close()
        self.connection = None


def _send_digest(mailer: _Mailer, to, user_id: int, pairs: list, token: str, now: datetime, today: date,
                 config: Config, result: DeliveryResult, delivered: list[int]) -> Delivery:
    """Send one digest; on success the user joins ``delivered`` (whose rows are marked sent with the group's),
    else the failure is recorded on the user's rows of the claim."""
    mine = Q(user_id=user_id)
    ids = [row.pk for row, _ in pairs]
    record = Delivery(channel="email", user_id=user_id, address=to.email, started_at=now, claimed_by=token,
                      notifications=ids)
    started = time.monotonic()
    if mailer.broken:
        fail(token, now, mailer.broken, retry=True, config=config, result=result, where=mine)
        record.error, record.retry = f"Chưa gửi / not tried: {mailer.broken}", True
        return record
    if not to.email:
        record.error = f"Người nhận {to.name} chưa có địa chỉ thư điện tử / {to.name} has no e-mail address"
        fail(token, now, record.error, retry=False, config=config, result=result, where=mine)
        result.problems.append(record.error)
        return record
    message = email_message(to, [item for _, item in pairs], today, config)
    record.subject = message.subject[:255]
    try:
        mailer.send(message)
    except (OSError, smtplib.SMTPException) as error:
        text, code, is_broken = smtp_error(error, config)
        fail(token, now, text, retry=True, config=config, result=result, where=mine)
        record.error, record.status_code, record.retry = text, code, True
        result.problems.append(f"{to.email}: {text}")
        if is_broken:
            mailer.broken = text
            mailer.close()
    else:
        delivered.append(user_id)
        result.messages += 1
        record.ok = True
    record.duration_ms = int((time.monotonic() - started) * 1000)
    return record


# ---------------------------------------------------------------------------------------------------- webhooks


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx) to record, not something to follow with our signed body


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post(endpoint: WebhookEndpoint, body: bytes, delivery: str, timeout: float) -> tuple[bool, int | None, str, bool]:
    """POST ``body`` to the endpoint: (delivered, HTTP status, bilingual error, worth retrying)."""
    if urlsplit(endpoint.url).scheme not in ("http", "https"):
        return False, None, f"Địa chỉ không phải http(s) / not an http(s) URL: {endpoint.url}", False
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "dondoc-reminders",
        "X-Dondoc-Signature": sign(endpoint.secret, body),
        "X-Dondoc-Delivery": delivery,
    })
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as answer:
            answer.read(1024)
            return True, answer.status, "", False
    except urllib.error.HTTPError as error:
        text = " ".join(error.read(500).decode("utf-8", errors="replace").split())
        retry = error.code >= 500 or error.code in RETRYABLE_HTTP
        return False, error.code, (f"Webhook {endpoint.url} trả lời {error.code} / answered {error.code}"
                                   + (f": {text}" if text else "")), retry
    except TimeoutError:
        return False, None, (f"Webhook {endpoint.url} không trả lời sau {timeout:g} giây / did not answer within "
                             f"{timeout:g} s"), True
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return False, None, (f"Webhook {endpoint.url} không trả lời sau {timeout:g} giây / did not answer "
                                 f"within {timeout:g} s"), True
        return False, None, f"Không kết nối được webhook {endpoint.url} / cannot connect: {reason}", True


def deliver_webhooks(now: datetime, today: date, config: Config, worker: str, result: DeliveryResult) -> None:
    due = Notification.objects.filter(channel=Notification.Channel.WEBHOOK, state=PENDING, next_attempt_at__lte=now)
    endpoint_ids = sorted(set(due.order_by().values_list("endpoint_id", flat=True).distinct()))
    for endpoint in WebhookEndpoint.objects.filter(pk__in=endpoint_ids).order_by("pk"):
        token, rows = claim(Notification.objects.filter(channel=Notification.Channel.WEBHOOK, endpoint=endpoint),
                            now, worker)
        if not rows:
            continue
        if not endpoint.active:
            fail(token, now, "Webhook đã tắt / the endpoint is disabled", retry=False, config=config, result=result)
            continue
        broken = None
        for batch in chunks(_items(rows, today, config, token, result), config.WEBHOOK_BATCH):
            ids = [row.pk for row, _ in batch]
            delivery = str(uuid.uuid4())
            record = Delivery(channel="webhook", endpoint=endpoint, address=endpoint.url, started_at=now,
                              claimed_by=token, notifications=ids)
            started = time.monotonic()
            if broken:
                fail(token, now, broken, retry=True, config=config, result=result, where=_span(ids))
                record.error, record.retry = f"Chưa gửi / not tried: {broken}", True
                record.save()
                continue
            body = webhook_body(delivery, now, [(row.pk, row.window, row.kind, item) for row, item in batch])
            ok, status, error, retry = post(endpoint, body, delivery, config.WEBHOOK_TIMEOUT)
            record.status_code, record.duration_ms = status, int((time.monotonic() - started) * 1000)
            if ok:
                result.sent += succeed(token, now, _span(ids))
                result.messages += 1
                record.ok = True
            else:
                fail(token, now, error, retry=retry, config=config, result=result, where=_span(ids))
                record.error, record.retry = error, retry
                result.problems.append(error)
                if retry:
                    broken = error  # the endpoint is down: the other batches wait with it
            record.save()


def deliver(now: datetime, today: date, config: Config, worker: str, facts: dict | None = None) -> DeliveryResult:
    """Send what is due; ``facts``: tasks the pass has read already (the queue's)."""
    result = DeliveryResult(facts=dict(facts or {}))
    result.released = release_stale_claims(now, config)
    deliver_email(now, today, config, worker, result)
    deliver_webhooks(now, today, config, worker, result)
    return result
