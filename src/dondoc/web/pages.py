"""What listing pages share: a page of rows without counting the whole list, JSON twins, and task rows as JSON
(their agencies attached by ``selectors.with_agencies``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import JsonResponse
from django.urls import reverse

from dondoc.tracking.states import Bucket

PAGE_SIZE = 50


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def paginate(qs, page: int, size: int = PAGE_SIZE) -> tuple[list, bool]:
    """Rows of one page and whether another follows: one query of ``size + 1`` rows, never a COUNT of the list
    (at a million tasks the count alone would cost more than the page)."""
    start = (page - 1) * size
    rows = list(qs[start:start + size + 1])
    return rows[:size], len(rows) > size


def wants_json(request) -> bool:
    return request.GET.get("format") == "json"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def task_json(task) -> dict[str, Any]:
    bucket = getattr(task, "bucket", None)
    return {
        "id": task.pk, "content": task.content, "state": bucket,
        "state_label": str(Bucket(bucket).label) if bucket else None,
        "due": _day(task.due_date), "original_due": _day(task.original_due), "deadline_text": task.deadline_text,
        "progress_percent": task.progress_percent, "done_on": _day(task.done_on),
        "lead": getattr(task, "lead_list", []), "support": getattr(task, "support_list", []),
        "document_id": task.document_id, "url": reverse("web:task", args=[task.pk]),
        "api": f"/api/tasks/{task.pk}/",
    }


def json_page(items: list, *, page: int, has_next: bool, **extra) -> JsonResponse:
    return JsonResponse({"page": page, "has_next": has_next, "results": items, **extra},
                        json_dumps_params={"ensure_ascii": False})
