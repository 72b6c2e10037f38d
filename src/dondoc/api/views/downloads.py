"""What the endpoints that answer with files share (KPIs as CSV, briefing reports, task exports, calendar feeds):
``?format=`` names the file's format, not one of DRF's renderers, and errors still come as JSON in the API's one
shape; who may read internal reports (``ReportReader``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer

from dondoc.tracking import policy


class FileAnswers:
    """DRF would read ``?format=csv`` as a renderer's name and answer 404 for one it does not have; these views
    choose the file format themselves and render only errors (and JSON bodies) with the JSON renderer."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class ReportReader(permissions.BasePermission):
    """Internal reports (KPIs of every agency, the briefing): a signed-in user with a role (administrator, tracking
    officer, focal point, leader). Without credentials 401; signed in without a role 403."""

    def has_permission(self, request, view):
        return policy.role_of(request.user) is not None


class PublicReadsWhenEnabled(permissions.BasePermission):
    """Anonymous readers get the public tasks only, and only while the public view is on (``DONDOC_PUBLIC_TASKS``,
    default on); otherwise 401."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) or getattr(settings, "DONDOC_PUBLIC_TASKS", True)


def attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def streamed_attachment(chunks, content_type: str, file_name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((c.encode("utf-8") for c in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
