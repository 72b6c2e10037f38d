"""Open-data exports of tasks: the task list's filters, every matching task the reader may see (anonymous readers:
public tasks only), streamed as CSV or JSON."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from dondoc.reports.feeds import tasks_csv, tasks_json
from dondoc.tracking import policy, selectors

from .. import access, lookup
from ..serializers import TaskQuery
from .base import ApiView, errors
from .downloads import FileAnswers, PublicReadsWhenEnabled, streamed_attachment


class TaskExportQuery(TaskQuery):
    format = serializers.ChoiceField(choices=["csv", "json"], required=False, default="csv")


class TaskExportView(FileAnswers, ApiView):
    permission_classes = [access.ReadAnyoneWriteSignedIn, PublicReadsWhenEnabled]

    @extend_schema(
        tags=["tasks"], summary="Export tasks as CSV or JSON (Xuất dữ liệu nhiệm vụ)",
        description="The same filters as the task list, every matching task (no pages), streamed: `format=csv` "
                    "(UTF-8 with BOM; agencies as names separated by \"; \") or `format=json` (an array; agencies "
                    "as {id, name}). Anonymous readers get the public tasks only, while DONDOC_PUBLIC_TASKS is on.",
        parameters=[TaskExportQuery],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="the file"), **errors(400)},
    )
    def get(self, request):
        query = TaskExportQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        v = query.validated_data
        states, as_of = v.get("state", ()), v.get("as_of")
        today = timezone.localdate()
        f = lookup.task_filter(v, request.user)
        qs = policy.visible_tasks(request.user, selectors.tasks(f, today=today, sort=v["sort"]))
        buckets = None
        if as_of is not None:  # each task's state at the end of that day, rebuilt from its events
            on_day = selectors.buckets_on(as_of, list(qs.values_list("pk", flat=True)))
            buckets = {pk: b for pk, b in on_day.items() if not states or b in states}
        name = f"nhiem-vu-{today.isoformat()}"
        if v["format"] == "json":
            return streamed_attachment(tasks_json(qs, buckets), "application/json", f"{name}.json")
        return streamed_attachment(tasks_csv(qs, buckets), "text/csv; charset=utf-8", f"{name}.csv")
