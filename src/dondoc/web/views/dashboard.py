"""Tổng quan: counts by state, on-time rate, overdue and due-this-week lists, agency ranking, monthly trend and
indicators, for a period, an agency (with its units) and a document. Every number links to the task list with
the same filter, so the list behind a number shows exactly that many tasks."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from dondoc.kpis import compute, formula
from dondoc.kpis.indicators import progress
from dondoc.kpis.models import Indicator
from dondoc.kpis.periods import Period, parse_period
from dondoc.tracking import policy, selectors, services, tallies
from dondoc.tracking.models import Agency, Document, Task
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.states import Bucket

from .. import access
from ..forms import DashboardForm
from ..pages import task_json
from .tasks import tasks_url

SHOWN = ("overdue", "in_progress", "not_due", "done_on_time", "done_late", "withdrawn", "transferred")
TREND = ("done_on_time", "done_late", "open", "overdue")  # stacked, in this order


def current_quarter(today: date) -> Period:
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")


def _month_start(day: date, back: int) -> date:
    y, m = day.year, day.month - back
    while m < 1:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def _month_end(day: date) -> date:
    return (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1))


@access.signed_in
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    form = DashboardForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    period = data.get("period") or current_quarter(today)
    agency: Agency | None = data.get("agency")
    units = not data.get("exact")
    document_id = data.get("document")
    role = access.role_of(user)
    own = access.agency_of(user)
    if agency is None and role == access.Role.FOCAL_POINT:
        agency = own

    def visible(f: TaskFilter, sort: str = "due"):
        return policy.visible_tasks(user, selectors.tasks(f, sort=sort, today=today))

    link = {"agency": agency.pk if agency else None, "exact": "on" if not units else None,
            "document": document_id}
    months = trend_months(period)
    # every task the user may see, whatever its agencies: the counts by deadline kept with the events (a year is
    # 365 rows instead of its 143,000 tasks at national scale); else the tasks themselves are counted
    kept = agency is None and not document_id and policy.sees_all(user)
    if kept:
        by_month = _by_month(tallies.due_buckets(months[0], _month_end(months[-1]), today))
    else:
        by_month = _by_month(_by_day(visible, TaskFilter(agency=agency, include_units=units, document_id=document_id,
                                                         due_from=months[0], due_to=_month_end(months[-1]))))
    if (months[0], _month_end(months[-1])) == (period.start, period.end):  # a quarter, a year: the same tasks
        counted: dict[str, int] = {}
        for _, bucket, n in by_month:
            counted[bucket] = counted.get(bucket, 0) + n
    elif kept:
        counted = {}
        for _, bucket, n in tallies.due_buckets(period.start, period.end, today):
            counted[bucket] = counted.get(bucket, 0) + n
    else:
        in_period = TaskFilter(agency=agency, include_units=units, document_id=document_id,
                               due_from=period.start, due_to=period.end)
        counted = dict(visible(in_period).order_by().values_list("bucket").annotate(n=Count("id")))
    period_link = {**link, "due_from": period.start.isoformat(), "due_to": period.end.isoformat()}
    total = sum(counted.values())
    biggest = max([counted.get(b, 0) for b in SHOWN] + [1])
    states = [{"key": b, "label": Bucket(b).label, "n": counted.get(b, 0),
               "width": round(100 * counted.get(b, 0) / biggest, 1),
               "url": tasks_url(state=b, **period_link)} for b in SHOWN]
    judged = counted.get("done_on_time", 0) + counted.get("done_late", 0) + counted.get("overdue", 0)
    on_time_rate = counted.get("done_on_time", 0) / judged if judged else None

    sees_all = agency is not None and policy.sees_all_assigned(user, services.agency_scope(agency, units=units))

    def first(f: TaskFilter, n: int = 10) -> list[Task]:
        """The first ``n`` tasks of ``f`` by deadline; one agency's chosen from the assignment index."""
        ids = selectors.assignment_page(f, start=0, stop=n, today=today) if sees_all else None
        qs = visible(f) if ids is None else policy.visible_tasks(user, selectors.by_ids(ids, today=today))
        return selectors.with_agencies(list(qs.select_related("document")[:n]))

    overdue = first(TaskFilter(agency=agency, include_units=units, document_id=document_id, buckets=("overdue",)))
    week_end = today + timedelta(days=6)
    week = first(TaskFilter(agency=agency, include_units=units, document_id=document_id,
                            buckets=("not_due", "in_progress"), due_from=today, due_to=week_end))
    trend = _trend(by_month, months, link)
    ranking = _ranking(role, own, agency, units, period, today, link) if not document_id else None
    indicators = _indicators(agency, units, today)
    context = {
        "nav": "dashboard", "form": form, "period": period, "agency": agency, "units": units, "today": today,
        "document": Document.objects.filter(pk=document_id).first() if document_id else None,
        "states": states, "total": total, "total_url": tasks_url(**period_link), "on_time_rate": on_time_rate,
        "judged": judged, "overdue": overdue, "overdue_url": tasks_url(state="overdue", **link),
        "week": week, "week_url": tasks_url(state=["not_due", "in_progress"], due_from=today.isoformat(),
                                            due_to=week_end.isoformat(), **link),
        "trend": trend, "ranking": ranking, "indicators": indicators,
        "waiting": _waiting(user) if role in (access.Role.ADMIN, access.Role.OFFICER) else None,
    }
    if request.GET.get("format") == "json":
        return JsonResponse(_as_json(context), json_dumps_params={"ensure_ascii": False})
    return render(request, "web/dashboard.html", context, status=400 if form.errors else 200)


def trend_months(period: Period) -> list[date]:
    """The months the trend shows: those of the period when it spans three months or more (the last twelve of a
    longer one), else the six months ending with the period's last month."""
    last = date(period.end.year, period.end.month, 1)
    span = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    count = min(span, 12) if span >= 3 else 6
    return [_month_start(last, back) for back in range(count - 1, -1, -1)]


def _by_day(visible, f: TaskFilter):
    """(deadline, bucket, tasks) of the tasks ``f`` finds that the user sees."""
    # counted per day, then per month (``_by_month``): TruncMonth would cast every deadline to a time with its zone
    # first (twice the time of the whole query for a year's tasks on PostgreSQL)
    return visible(f).order_by().values_list("due_date", "bucket").annotate(n=Count("id"))


def _by_month(by_day) -> list[tuple[date, str, int]]:
    """(month, bucket, tasks) from (deadline, bucket, tasks): the trend, and the period's counts when it is those
    months."""
    counts: dict[tuple[date, str], int] = {}
    for day, bucket, n in by_day:
        key = (date(day.year, day.month, 1), bucket)
        counts[key] = counts.get(key, 0) + n
    return [(month, bucket, n) for (month, bucket), n in counts.items()]


def _trend(rows: list[tuple[date, str, int]], months: list[date], link) -> list[dict]:
    """Tasks due in each month, by what became of them (as of today)."""
    by_month: dict[date, dict[str, int]] = {}
    for month, bucket, n in rows:
        kind = bucket if bucket in ("done_on_time", "done_late", "overdue") else (
            "open" if bucket in ("not_due", "in_progress") else None)
        if kind:
            by_month.setdefault(month, {}).setdefault(kind, 0)
            by_month[month][kind] += n
    biggest = max([sum(by_month.get(m, {}).values()) for m in months] + [1])
    out = []
    for m in months:
        counts = by_month.get(m, {})
        x, parts = 0.0, []
        for kind in TREND:
            n = counts.get(kind, 0)
            width = 100 * n / biggest
            states = {"open": ["not_due", "in_progress"]}.get(kind, [kind])
            parts.append({"kind": kind, "n": n, "x": round(x, 2), "width": round(width, 2),
                          "url": tasks_url(state=states, due_from=m.isoformat(), due_to=_month_end(m).isoformat(),
                                           **link)})
            x += width
        out.append({"month": m, "parts": parts, "total": sum(counts.values()),
                    "url": tasks_url(due_from=m.isoformat(), due_to=_month_end(m).isoformat(), **link)})
    return out


def _ranking(role, own, agency, units, period, today, link):
    """Commendation and criticism (``kpis.formula.rank``) among the agencies in view: every agency for an office
    without an agency limit, else the units of the chosen (or the user's own) agency."""
    parent = agency or (own if role != access.Role.ADMIN else None)
    if parent is None and role == access.Role.FOCAL_POINT:
        return None
    groups = list(Agency.objects.filter(parent=parent).values_list("pk", flat=True)) if parent else None
    if groups == []:
        return None
    # the present's figures, kept up to date as events are written: the same records as the events give today
    report = compute.compute_kpis(period, as_of=today, agencies=groups, include_units=bool(parent), method="tallies")
    ranked = formula.rank(report.rows, min_judged=1, limit=5)
    period_link = {"due_from": period.start.isoformat(), "due_to": period.end.isoformat(), "role": "lead"}

    def row(r):
        return {"name": r.agency, "rate": r.on_time_rate, "overdue": r.overdue, "judged": r.judged,
                "url": tasks_url(agency=r.agency_id, **period_link),
                "overdue_url": tasks_url(agency=r.agency_id, state="overdue", **period_link)}

    return {"commend": [row(r) for r in ranked.commend], "criticise": [row(r) for r in ranked.criticise],
            "seconds": report.seconds, "formula": report.formula_version}


def _indicators(agency, units, today) -> list[dict]:
    qs = Indicator.objects.select_related("agency").order_by("target_date", "pk")
    if agency is not None:
        qs = qs.filter(agency_id__in=services.agency_scope(agency, units=units))
    out = []
    for indicator in qs[:8]:
        a = progress(indicator, today)
        out.append({"indicator": indicator, "assessment": a,
                    "progress": max(0.0, min(1.0, a.progress or 0.0)), "expected": a.expected})
    return out


def _waiting(user) -> dict:
    """What waits for an office: documents to review, extension requests to decide."""
    drafts = list(policy.visible_documents(user, Document.objects.filter(status=Document.Status.DRAFT))
                  .order_by("-id")[:5])  # newest first, from the (status, id) index
    pending = selectors.pending_extensions(policy.visible_tasks(user, Task.objects.all()))
    tasks = selectors.with_agencies(list(pending[:10]))
    return {"drafts": drafts, "extensions": tasks}


def _as_json(c: dict) -> dict:
    return {
        "period": {"code": c["period"].code, "label": c["period"].label, "start": c["period"].start.isoformat(),
                   "end": c["period"].end.isoformat()},
        "agency": c["agency"] and {"id": c["agency"].pk, "name": c["agency"].name, "include_units": c["units"]},
        "states": {s["key"]: {"n": s["n"], "url": s["url"]} for s in c["states"]}, "total": c["total"],
        "on_time_rate": c["on_time_rate"], "overdue": [task_json(t) for t in c["overdue"]],
        "due_this_week": [task_json(t) for t in c["week"]],
        "trend": [{"month": t["month"].isoformat()[:7], **{p["kind"]: p["n"] for p in t["parts"]}} for t in c["trend"]],
        "ranking": c["ranking"] and {k: c["ranking"][k] for k in ("commend", "criticise")},
        "indicators": [{"name": i["indicator"].name, "status": i["assessment"].status,
                        "progress": i["assessment"].progress, "expected": i["assessment"].expected}
                       for i in c["indicators"]],
    }
