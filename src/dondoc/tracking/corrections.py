"""Reviewed documents as extraction test data: the text and the tasks as the reviewer confirmed them, in the format
of ``spec/extraction.md`` (the extractor's own output format), so they can be scored with the same tools."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from . import states
from .models import Agency, Document, Event, Task


def _confirmed_snapshot(task: Task) -> states.Snapshot | None:
    """The task as it stood when the reviewer confirmed it (later transfers or mergers are not review)."""
    snap = states.Snapshot()
    for kind, on, data in task.events.order_by("seq").values_list("kind", "on", "data"):
        snap = states.apply(snap, kind, on, data)
        if kind == "confirmed":
            return snap
    return None


def reviewed_annotation(document: Document) -> dict[str, Any]:
    tasks = []
    names = dict(Agency.objects.values_list("pk", "name"))
    for task in document.tasks.order_by("source_start", "pk"):
        snap = _confirmed_snapshot(task)
        if snap is None or task.events.filter(kind="created", data__transferred_from__isnull=False).exists():
            continue
        tasks.append({
            "quote": snap.content,
            "lead": [names[a] for a in snap.lead],
            "support": [names[a] for a in snap.support],
            "deadline": ({"date": snap.original_due.isoformat() if snap.original_due else None,
                          "text": snap.deadline_text} if snap.deadline_text or snap.original_due else None),
            "recurrence": snap.recurrence or None,
            "span": [task.source_start, task.source_end] if task.source_start is not None else None,
        })
    return {
        "document": {
            "number": document.number or None, "type": document.type or None, "issuer": document.issuer_name or None,
            "issued_date": document.issued_date.isoformat() if document.issued_date else None,
            "title": document.title or None,
        },
        "tasks": tasks,
    }


def reviewed_documents(*, corrected_only: bool = False) -> Iterator[Document]:
    docs = Document.objects.filter(status=Document.Status.CONFIRMED).order_by("pk")
    if corrected_only:
        changed = Event.objects.filter(Q(kind__in=("corrected", "discarded")) | Q(kind="created", data__added=True))
        docs = docs.filter(pk__in=changed.values("task__document_id"))
    yield from docs
