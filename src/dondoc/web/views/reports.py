"""Báo cáo: briefing reports for a period (``reports.assemble.build_briefing``, laid out by ``reports.render``, the
same as ``dondoc report`` and the API), and calendar feeds of deadlines (``reports.ics``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.reports import feeds
from dondoc.reports import render as report_render
from dondoc.reports.assemble import BriefingError, build_briefing
from dondoc.reports.pdf import PdfUnavailable, soffice
from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Agency
from dondoc.tracking.selectors import TaskFilter

from .. import access
from ..forms import ReportForm, apply_service_error
from .dashboard import current_quarter

CALENDAR_LIMIT = 2000


@access.roles(access.Role.ADMIN, access.Role.OFFICER, access.Role.LEADER)
def reports(request):
    today = timezone.localdate()
    formats = list(ReportForm.FORMATS) + ([("pdf", "PDF")] if soffice() else [])
    form = ReportForm(request.GET if "period" in request.GET else None,
                      initial={"period": current_quarter(today).label, "format": "docx"})
    form.fields["format"].choices = formats
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            agency = data.get("agency") or access.agency_of(request.user)
            try:
                report = build_briefing(data["period"], as_of=today, agencies=[agency] if agency else None,
                                        include_units=not data.get("exact"))
                name = report_render.file_name(data["period"].code, data["format"],
                                               [agency.name] if agency else None)
                rendered = report_render.render(report, data["format"], name)
            except BriefingError as error:
                apply_service_error(form, error)
            except PdfUnavailable:
                form.add_error("format", _("Không tạo được PDF trên máy chủ này; chọn Word hoặc Excel."))
            else:
                response = HttpResponse(rendered.content, content_type=rendered.content_type)
                response["Content-Disposition"] = f'attachment; filename="{rendered.file_name}"'
                return response
        status = 400
    own = access.agency_of(request.user)
    # every feed carries a feed-only token: calendar applications subscribe without a session
    token = urlencode({"token": feeds.feed_token(request.user)})
    return render(request, "web/reports.html", {
        "nav": "reports", "form": form, "own": own,
        "feeds": [(_("Tất cả nhiệm vụ bạn theo dõi"), f"{reverse('web:calendar')}?{token}")]
        + ([(own.name, f"{reverse('api-calendar-agency', args=[own.pk])}?{token}")] if own else []),
    }, status=status)


def calendar_feed(request):
    """Open tasks with a deadline, as iCalendar: all the user sees, or one agency's (with its units). A calendar
    application has no session: ``?token=`` with the user's feed token (``reports.feeds.feed_token``) opens this
    feed, as that user, and nothing else; a forged or revoked token (password changed) is refused."""
    if "token" not in request.GET:
        return _signed_in_calendar(request)
    user = feeds.user_for_feed_token(request.GET["token"])
    if user is None or access.role_of(user) is None:
        raise PermissionDenied("feed token")
    return _calendar(request, user)


@access.signed_in
def _signed_in_calendar(request):
    return _calendar(request, request.user)


def _calendar(request, user) -> HttpResponse:
    today = timezone.localdate()
    agency = None
    if request.GET.get("agency", "").isdigit():
        agency = Agency.objects.filter(pk=int(request.GET["agency"])).first()
    tasks = policy.visible_tasks(user, selectors.tasks(TaskFilter(agency=agency), today=today))
    body = feeds.calendar_feed(tasks, name=f"dondoc — {agency.name}" if agency else "dondoc", today=today,
                         url=lambda pk: request.build_absolute_uri(reverse("web:task", args=[pk])),
                         limit=CALENDAR_LIMIT)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dondoc.ics"'
    return response
