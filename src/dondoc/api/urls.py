from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .errors import error_body
from .views.agencies import AgencyViewSet
from .views.auth import MeView, TokenView
from .views.calendar import AgencyCalendarView, CalendarLinksView, MyCalendarView
from .views.documents import DocumentViewSet
from .views.exports import TaskExportView
from .views.indicators import IndicatorViewSet
from .views.reports import BriefingView, KpiView
from .views.tasks import TaskViewSet

router = SimpleRouter(use_regex_path=False)
router.register("documents", DocumentViewSet, basename="document")
router.register("tasks", TaskViewSet, basename="task")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("indicators", IndicatorViewSet, basename="indicator")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    # session sign-in for the browser (and Swagger UI's "Try it out"): /api/auth/login/, /api/auth/logout/
    path("auth/", include("rest_framework.urls")),
    path("me/", MeView.as_view(), name="api-me"),
    path("kpis/", KpiView.as_view(), name="api-kpis"),
    path("reports/briefing", BriefingView.as_view(), name="api-briefing"),
    path("tasks/export", TaskExportView.as_view(), name="api-task-export"),
    path("calendar/", CalendarLinksView.as_view(), name="api-calendar"),
    path("calendar/agency/<int:pk>.ics", AgencyCalendarView.as_view(), name="api-calendar-agency"),
    path("calendar/me.ics", MyCalendarView.as_view(), name="api-calendar-me"),
    *router.urls,
]


def unknown_endpoint(request, *args, **kwargs):
    """Any other /api/.../ address: 404 in the API's error shape rather than Django's HTML page. (Only paths ending
    in '/', so Django still redirects '/api/tasks/1' to '/api/tasks/1/'.)"""
    return JsonResponse(error_body("not_found", "Không có địa chỉ này trong API.", "No such API endpoint."),
                        status=404)


urlpatterns.append(re_path(r"^.*/$", unknown_endpoint))
