"""The project's URLs plus /bench/tasks/: a stand-in for the task list API, built from the same pieces the API uses
(token authentication, ``policy.visible_tasks``, ``selectors.tasks``, ``selectors.lead_names``, the project's
pagination), so the scale benchmark can load a real server before /api/tasks/ exists. Its figures are labelled
"stand-in", never "API"."""

from __future__ import annotations

from django.urls import path
from django.utils.dateparse import parse_date
from rest_framework.response import Response
from rest_framework.views import APIView

from dondoc.api.pagination import Pagination
from dondoc.config.urls import urlpatterns as project_urlpatterns
from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Agency


class TaskListStandIn(APIView):
    """GET ?agency=<id>&state=<bucket>&due_from=<date>&due_to=<date>: one page of tasks with their agencies."""

    def get(self, request):
        params = request.query_params
        agency = Agency.objects.filter(pk=params["agency"]).first() if params.get("agency") else None
        if params.get("agency") and agency is None:
            return Response({"error": "unknown agency"}, status=400)
        task_filter = selectors.TaskFilter(
            agency=agency, buckets=tuple(params.getlist("state")),
            due_from=parse_date(params["due_from"]) if params.get("due_from") else None,
            due_to=parse_date(params["due_to"]) if params.get("due_to") else None,
        )
        tasks = policy.visible_tasks(request.user, selectors.tasks(task_filter))
        paginator = Pagination()
        page = paginator.paginate_queryset(tasks, request, view=self)
        agencies = selectors.lead_names([t.pk for t in page])
        return paginator.get_paginated_response([
            {"id": t.pk, "document": t.document_id, "content": t.content, "status": t.status, "bucket": t.bucket,
             "due_date": t.due_date, "deadline_text": t.deadline_text, "progress_percent": t.progress_percent,
             "lead": agencies[t.pk]["lead"], "support": agencies[t.pk]["support"]}
            for t in page
        ])


urlpatterns = [path("bench/tasks/", TaskListStandIn.as_view()), *project_urlpatterns]
