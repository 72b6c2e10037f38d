"""One shape for every API error, with Vietnamese and English text:

    {"error": {"code": "unknown_agency", "message": {"vi": "...", "en": "..."},
               "fields": {"lead": [{"vi": "...", "en": "..."}]}}}
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dondoc.tracking.services import ServiceError


def error_body(code: str, vi: str, en: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": {"vi": vi, "en": en}, "fields": fields or {}, **extra}}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        fields = {exc.field: [{"vi": exc.vi, "en": exc.en}]} if exc.field else {}
        return Response(error_body(exc.code, exc.vi, exc.en, fields, **exc.extra), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body("error", str(exc), str(exc))
    return response


__all__ = ["error_body", "exception_handler", "status"]
