"""What every endpoint shares: English active while DRF works (so ``errors`` can pair DRF's English messages with
its own Vietnamese), 401 rather than 403 for a request without credentials, and a body-size guard that answers 413
before anything parses an oversized request."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets
from rest_framework.views import APIView

from ..serializers import ErrorOut
from ..uploads import MULTIPART_SLACK, check_request_size


class ApiMixin:
    #: True for endpoints that take files: their body may be as large as MAX_UPLOAD_BYTES (plus multipart framing)
    accepts_uploads = False

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if self.accepts_uploads:
                check_request_size(request, settings.MAX_UPLOAD_BYTES + MULTIPART_SLACK, settings.MAX_UPLOAD_BYTES)
            else:
                check_request_size(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        super().initial(request, *args, **kwargs)

    def get_authenticate_header(self, request):
        # the session authenticator (listed first for browsers) has no challenge, which would turn DRF's 401 into
        # a 403; token clients are told how to authenticate instead
        return 'Token realm="api"'


class ApiView(ApiMixin, APIView):
    pass


class ApiViewSet(ApiMixin, viewsets.GenericViewSet):
    pass


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for ``extend_schema(responses=...)``, all in the one error shape."""
    text = {400: "invalid input", 401: "not signed in", 403: "not allowed", 404: "not found (or not visible)",
            409: "conflicts with the task's state or an existing document", 413: "upload too large"}
    return {code: OpenApiResponse(ErrorOut, description=text.get(code, "error")) for code in codes}
