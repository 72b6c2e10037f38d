"""Calendar feeds (iCalendar) of task deadlines, per agency and per person, for calendar applications.

Calendar applications cannot send headers, so these endpoints also accept ``?token=<feed token>``: a token that
opens these feeds only (``reports.feeds.feed_token``; ``GET /api/calendar/`` gives a signed-in user their feed
addresses). The usual session or ``Authorization: Token`` work too; without any, the agency feed shows public tasks
only, as the task list does."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.response import Response

from dondoc.reports.feeds import calendar_feed, feed_token, user_for_feed_token
from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Agency
from dondoc.tracking.selectors import TaskFilter

from .. import access
from ..authentication import TokenAuthentication
from ..errors import ApiError
from .base import ApiView, errors
from .downloads import FileAnswers, PublicReadsWhenEnabled


class FeedTokenAuthentication(BaseAuthentication):
    """``?token=`` with a feed token, on the calendar endpoints only."""

    def authenticate(self, request):
        token = request.query_params.get("token")
        if not token:
            return None
        user = user_for_feed_token(token)
        if user is None:
            raise exceptions.AuthenticationFailed("invalid feed token")
        return user, None

    def authenticate_header(self, request):
        return 'Token realm="calendar"'


class FeedTokenScheme(OpenApiAuthenticationExtension):
    target_class = FeedTokenAuthentication
    name = "feedToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "token",
                "description": "feed token from GET /api/calendar/ (calendar applications cannot send headers)"}


FEED_AUTH = [FeedTokenAuthentication, SessionAuthentication, TokenAuthentication]


def _ics(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


class FeedLinks(serializers.Serializer):
    token = serializers.CharField()
    me = serializers.URLField(help_text="deadlines of your agency's tasks")
    agency = serializers.URLField(allow_null=True)


class CalendarLinksView(ApiView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["calendar"], summary="Your calendar feed addresses (Địa chỉ lịch của bạn)",
                   description="Addresses to subscribe to in a calendar application, with a feed token that opens "
                               "nothing but these feeds. Changing your password revokes it.",
                   responses={200: FeedLinks, **errors(401)})
    def get(self, request):
        token = feed_token(request.user)
        profile = getattr(request.user, "profile", None)
        agency_url = None
        if profile is not None and profile.agency_id:
            agency_url = request.build_absolute_uri(
                reverse("api-calendar-agency", args=[profile.agency_id])) + f"?token={token}"
        return Response({"token": token, "agency": agency_url,
                         "me": request.build_absolute_uri(reverse("api-calendar-me")) + f"?token={token}"})


class AgencyCalendarView(FileAnswers, ApiView):
    authentication_classes = FEED_AUTH
    permission_classes = [access.ReadAnyoneWriteSignedIn, PublicReadsWhenEnabled]

    @extend_schema(tags=["calendar"], summary="Deadlines of an agency (Lịch hạn nhiệm vụ của cơ quan)",
                   description="Open tasks the agency (with its units and predecessors) leads or supports, one "
                               "all-day event on each deadline, among the tasks the reader may see.",
                   responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR), **errors(401, 404)})
    def get(self, request, pk: int):
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise access.not_found("Không tìm thấy cơ quan.", "Agency not found.")
        today = timezone.localdate()
        tasks = policy.visible_tasks(request.user, selectors.tasks(
            TaskFilter(agency=agency, public_only=policy.role_of(request.user) is None), today=today))
        return _ics(calendar_feed(tasks, name=f"Hạn nhiệm vụ — {agency.name}", today=today), f"co-quan-{pk}.ics")


class MyCalendarView(FileAnswers, ApiView):
    authentication_classes = FEED_AUTH
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["calendar"], summary="Your agency's deadlines (Lịch hạn nhiệm vụ của tôi)",
                   description="Open tasks your agency (with its units and predecessors) leads or supports.",
                   responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR), **errors(400, 401)})
    def get(self, request):
        profile = getattr(request.user, "profile", None)
        if profile is None or profile.agency_id is None:
            raise ApiError("no_agency", "Tài khoản của bạn chưa gắn với cơ quan nào nên không có lịch riêng; hãy "
                           "dùng lịch của một cơ quan (/api/calendar/agency/<id>.ics).",
                           "Your account belongs to no agency, so it has no calendar of its own; use an agency's "
                           "(/api/calendar/agency/<id>.ics).")
        today = timezone.localdate()
        tasks = policy.visible_tasks(request.user, selectors.tasks(TaskFilter(agency=profile.agency), today=today))
        return _ics(calendar_feed(tasks, name=f"Hạn nhiệm vụ — {profile.agency.name}", today=today), "cua-toi.ics")
