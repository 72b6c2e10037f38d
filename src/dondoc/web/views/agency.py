"""My agency (Đơn vị của tôi): a focal point's open tasks by urgency, each with a short progress form, and links
to ask for an extension or report completion."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dondoc.tracking import policy, selectors, services
from dondoc.tracking.selectors import TaskFilter

from .. import access
from ..forms import ProgressForm
from ..pages import json_page, page_number, paginate, task_json, wants_json

OPEN = ("overdue", "in_progress", "not_due")
PAGE = 100


@access.signed_in
def my_agency(request):
    return my_agency_page(request)


def my_agency_page(request, forms: dict | None = None, status: int = 200):
    user, forms = request.user, forms or {}
    agency = access.agency_of(user)
    if agency is None:
        if wants_json(request):
            return json_page([], page=1, has_next=False, agency=None)
        return render(request, "web/my_agency.html", {"nav": "my_agency", "agency": None}, status=200)
    today = timezone.localdate()
    f = TaskFilter(agency=agency, buckets=OPEN)
    qs = policy.visible_tasks(user, selectors.tasks(f, sort="due", today=today)).select_related("document")
    page = page_number(request)
    # the page's ids from the assignment index (agency, task_status, task_due, task), then those tasks only
    ids = (selectors.assignment_page(f, start=(page - 1) * PAGE, stop=page * PAGE + 1, today=today, sort="due")
           if policy.sees_all_assigned(user, services.agency_scope(agency)) else None)
    if ids is None:
        rows, has_next = paginate(qs, page, size=PAGE)
    else:
        page_rows = selectors.by_ids(ids[:PAGE], today=today, sort="due")  # by key: those rows exactly
        rows, has_next = list(policy.visible_tasks(user, page_rows).select_related("document")), len(ids) > PAGE
    selectors.with_agencies(rows)
    if wants_json(request):
        return json_page([task_json(t) for t in rows], page=page, has_next=has_next, agency=agency.name)
    # the same rule as policy.can(user, "report", task) for a focal point (an active lead within the agency's
    # scope), decided for the whole page at once; the form's target checks policy.can itself
    scope = services.agency_scope(agency)
    role = access.role_of(user)
    groups = {"overdue": [], "week": [], "later": [], "undated": []}
    for task in rows:
        task.leads_here = any(a["id"] in scope for a in task.lead_list)
        task.can_report = task.leads_here if role == access.Role.FOCAL_POINT else policy.can(user, "report", task)
        task.quick_form = forms.get((task.pk, "report")) or ProgressForm(prefix="report")
        if task.bucket == "overdue":
            groups["overdue"].append(task)
        elif task.due_date is None:
            groups["undated"].append(task)
        elif task.due_date <= today + timedelta(days=7):
            groups["week"].append(task)
        else:
            groups["later"].append(task)
    return render(request, "web/my_agency.html", {
        "nav": "my_agency", "agency": agency, "groups": groups, "page": page, "has_next": has_next,
        "next": reverse("web:my_agency"), "today": today,
    }, status=status)
