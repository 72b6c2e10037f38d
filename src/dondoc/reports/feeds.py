"""Calendar feeds and open-data exports of tasks, as plain functions over querysets the caller has already narrowed
to what the reader may see (``policy.visible_tasks``).

Calendar applications cannot send headers, so a feed's address carries its own credential: a *feed token*
(``feed_token``), signed with the site's secret, that names one user and opens nothing but that user's calendar
feeds (an API token in a URL would open every endpoint, and calendar services keep the URLs they poll). Changing
the user's password, or deactivating the user, revokes every feed token issued before.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac

from dondoc.tracking import selectors
from dondoc.tracking.models import Task
from dondoc.tracking.states import Bucket

from .ics import Deadline, calendar

FEED_SALT = "dondoc.reports.calendar-feed"
CHUNK = 2000


# ------------------------------------------------------------------------------------------------ feed tokens


def _fingerprint(user) -> str:
    return salted_hmac(FEED_SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def feed_token(user) -> str:
    """A token for ``?token=`` in the user's calendar feed addresses."""
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=FEED_SALT, compress=True)


def user_for_feed_token(token: str):
    """The active user a feed token was issued to, or None (forged, damaged, or revoked since)."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user


# ------------------------------------------------------------------------------------------------ calendar


def task_url(task_id: int) -> str:
    base = getattr(settings, "DONDOC_BASE_URL", "") or ""
    return f"{base.rstrip('/')}/api/tasks/{task_id}/" if base else ""


def deadlines(tasks: QuerySet[Task], today: date, *, url: Callable[[int], str] = task_url,
              limit: int | None = None) -> list[Deadline]:
    """Open tasks with a deadline, as calendar events (overdue ones marked), the earliest ``limit`` of them;
    ``url`` gives each event's link from the task's id."""
    rows = list(tasks.filter(status=Task.Status.OPEN, due_date__isnull=False).select_related("document")
                .only("id", "content", "due_date", "document__number", "document__title")
                .order_by("due_date", "id")[:limit])
    leads: dict[int, dict] = {}
    for start in range(0, len(rows), CHUNK):
        leads.update(selectors.lead_names([t.pk for t in rows[start:start + CHUNK]]))
    return [Deadline(task_id=t.pk, content=" ".join(t.content.split()), due=t.due_date,
                     lead="; ".join(a["name"] for a in leads.get(t.pk, {}).get("lead", [])) or "—",
                     document=t.document.number or (t.document.title or "")[:80], url=url(t.pk),
                     overdue=t.due_date < today)
            for t in rows]


def calendar_feed(tasks: QuerySet[Task], *, name: str, today: date, url: Callable[[int], str] = task_url,
                  limit: int | None = None) -> str:
    host = (getattr(settings, "DONDOC_BASE_URL", "") or "dondoc").split("://")[-1].strip("/") or "dondoc"
    return calendar(deadlines(tasks, today, url=url, limit=limit), name=name, host=host)


# ------------------------------------------------------------------------------------------------ exports

EXPORT_FIELDS = ("id", "content", "state", "state_label", "lead", "support", "due_date", "original_due",
                 "deadline_text", "recurrence", "progress_percent", "extensions", "done_on", "document_id",
                 "document_number", "document_type", "is_public", "created_at", "parent_id")


_ROW = ("id", "content", "bucket", "due_date", "original_due", "deadline_text", "recurrence", "progress_percent",
        "extensions", "done_on", "document_id", "document__number", "document__type", "is_public", "created_at",
        "parent_id")


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _records(tasks: QuerySet[Task], buckets: dict[int, Bucket] | None) -> Iterator[dict]:
    """One flat record per task, read as plain rows in chunks (a million tasks never sit in memory at once)."""
    labels = {b.value: str(b.label) for b in Bucket}
    chunk: list[tuple] = []

    def flush(chunk: list[tuple]) -> Iterator[dict]:
        names = selectors.lead_names([row[0] for row in chunk])
        for (pk, content, bucket, due, original_due, deadline_text, recurrence, percent, extensions, done_on,
             document_id, number, kind, public, created_at, parent_id) in chunk:
            state = buckets[pk].value if buckets is not None else bucket
            agencies = names.get(pk, {"lead": [], "support": []})
            yield {
                "id": pk, "content": content, "state": state, "state_label": labels[state],
                "lead": agencies["lead"], "support": agencies["support"], "due_date": _iso(due),
                "original_due": _iso(original_due), "deadline_text": deadline_text, "recurrence": recurrence,
                "progress_percent": percent, "extensions": extensions, "done_on": _iso(done_on),
                "document_id": document_id, "document_number": number, "document_type": kind, "is_public": public,
                "created_at": created_at.isoformat(), "parent_id": parent_id,
            }

    for row in tasks.values_list(*_ROW).iterator(chunk_size=CHUNK):
        if buckets is not None and row[0] not in buckets:
            continue
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def _names(agencies: list[dict]) -> str:
    return "; ".join(a["name"] for a in agencies)


def tasks_csv(tasks: QuerySet[Task], buckets: dict[int, Bucket] | None = None) -> Iterable[str]:
    """CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese right), one header row, agencies
    as names separated by "; ", dates as YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    yield "\ufeff" + _drain(out)
    for n, record in enumerate(_records(tasks, buckets), 1):
        record["lead"], record["support"] = _names(record["lead"]), _names(record["support"])
        writer.writerow(["" if record[f] is None else record[f] for f in EXPORT_FIELDS])
        if n % 500 == 0:
            yield _drain(out)
    yield _drain(out)


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def tasks_json(tasks: QuerySet[Task], buckets: dict[int, Bucket] | None = None) -> Iterable[str]:
    """A JSON array of task objects (agencies as {"id", "name"}), streamed."""
    yield "["
    for n, record in enumerate(_records(tasks, buckets)):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"
