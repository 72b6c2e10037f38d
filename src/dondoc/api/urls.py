from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .views.agencies import AgencyViewSet
from .views.auth import MeView, TokenView
from .views.documents import DocumentViewSet
from .views.tasks import TaskViewSet

router = SimpleRouter(use_regex_path=False)
router.register("documents", DocumentViewSet, basename="document")
router.register("tasks", TaskViewSet, basename="task")
router.register("agencies", AgencyViewSet, basename="agency")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    # session sign-in for the browser (and Swagger UI's "Try it out"): /api/auth/login/, /api/auth/logout/
    path("auth/", include("rest_framework.urls")),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
