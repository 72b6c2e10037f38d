"""One shape for every API error, with Vietnamese and English text:

    {"error": {"code": "unknown_agency", "message": {"vi": "...", "en": "..."},
               "fields": {"lead": [{"vi": "...", "en": "..."}]}}}

Sources of errors and how each is shaped here:
- ``ServiceError`` from ``tracking.services`` (and ``ApiError`` raised by the API itself): its code, both messages,
  its field and any extra keys (``closest``, ``existing``...), with its HTTP status;
- DRF's ``ValidationError``: one entry per field, DRF's English message kept and a Vietnamese one written here
  (``translate``); the top code is the fields' common code when they share one (``unknown_field``...), else
  ``invalid``;
- the other DRF exceptions (401, 403, 404, 405, 415, malformed JSON...) and Django's ``RequestDataTooBig`` (413).

API views run with English active (``views.ApiView``), so DRF's own messages arrive in English whatever the
request's language, and the Vietnamese text always comes from this module.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from dondoc.tracking.services import ServiceError

logger = logging.getLogger("dondoc.api")

# A field message written by this API carries both languages in one string (DRF keeps only the string and a code
# through its validation machinery): English, this separator, Vietnamese.
_SEP = "\u2063\u2063"


def bilingual(vi: str, en: str) -> str:
    """A message for ``serializers.ValidationError`` that keeps its Vietnamese text up to the error handler."""
    return f"{en}{_SEP}{vi}"


def error_body(code: str, vi: str, en: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": {"vi": vi, "en": en}, "fields": fields or {}, **extra}}


class ApiError(ServiceError):
    """An error the API itself raises (a file too large, an unsupported type...): same shape as a service's."""


def too_large(limit: int) -> ApiError:
    mb = f"{limit / 1024 / 1024:.3g}"
    return ApiError("too_large", f"Tệp hoặc dữ liệu gửi lên vượt quá giới hạn {mb} MB ({limit} byte).",
                    f"The upload exceeds the limit of {mb} MB ({limit} bytes).", status=413, extra={"limit": limit})


# ---------------------------------------------------------------------------------------------------- translation

# (code, pattern over DRF's English message, Vietnamese template using the pattern's named groups, new code or None)
_MESSAGES: list[tuple[str, str, str, str | None]] = [
    ("required", r"No file was submitted", "Chưa gửi tệp.", None),
    ("required", r"", "Trường này là bắt buộc.", None),
    ("null", r"", "Trường này không được để trống (null).", None),
    ("blank", r"", "Trường này không được để trống.", None),
    ("invalid", r"^Date has wrong format", "Ngày không hợp lệ; dùng dạng YYYY-MM-DD với một ngày có thật.",
     "invalid_date"),
    ("datetime", r"", "Cần một ngày (YYYY-MM-DD), không phải ngày giờ.", "invalid_date"),
    ("invalid", r"^A valid integer", "Cần một số nguyên.", None),
    ("invalid", r"^A valid number", "Cần một số.", None),
    ("invalid", r"^Must be a valid boolean", "Cần giá trị đúng/sai (true hoặc false).", None),
    ("invalid", r"^Not a valid string", "Cần một chuỗi ký tự.", None),
    ("invalid", r"^Invalid data\. Expected a dictionary, but got (?P<type>\w+)",
     "Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được {type}.", None),
    ("invalid", r"^The submitted data was not a file", "Dữ liệu gửi lên không phải là tệp; hãy gửi dạng "
     "multipart/form-data.", None),
    ("max_length", r"no more than (?P<n>\d+) characters", "Không được dài quá {n} ký tự.", None),
    ("max_length", r"no more than (?P<n>\d+) elements", "Không được quá {n} phần tử.", None),
    ("max_length", r"at most (?P<n>\d+) characters", "Tên tệp không được dài quá {n} ký tự.", None),
    ("min_length", r"at least (?P<n>\d+) characters", "Cần ít nhất {n} ký tự.", None),
    ("min_length", r"at least (?P<n>\d+) elements", "Cần ít nhất {n} phần tử.", None),
    ("max_value", r"less than or equal to (?P<n>[-\d.]+)", "Giá trị phải nhỏ hơn hoặc bằng {n}.", None),
    ("min_value", r"greater than or equal to (?P<n>[-\d.]+)", "Giá trị phải lớn hơn hoặc bằng {n}.", None),
    ("max_string_length", r"", "Số quá lớn.", None),
    ("invalid_choice", r'^"(?P<value>.*)" is not a valid choice',
     "«{value}» không phải là một lựa chọn hợp lệ.", None),
    ("not_a_list", r'got type "(?P<type>\w+)"', "Cần một danh sách, nhận được kiểu {type}.", None),
    ("not_a_dict", r'got type "(?P<type>\w+)"', "Cần một đối tượng, nhận được kiểu {type}.", None),
    ("empty", r"^The submitted file is empty", "Tệp gửi lên rỗng.", "empty_file"),
    ("empty", r"", "Danh sách không được để trống.", None),
    ("no_name", r"", "Không xác định được tên tệp.", None),
    ("authorization", r"", "Tên đăng nhập hoặc mật khẩu không đúng.", "invalid_credentials"),
]


def translate(code: str, en: str) -> tuple[str, str]:
    """(code, Vietnamese) for one of DRF's English field messages; an unknown one gets a generic Vietnamese text
    (the English, kept beside it, has the details)."""
    for known, pattern, vi, new_code in _MESSAGES:
        if known == code and (match := re.search(pattern, en)):
            return new_code or code, vi.format(**match.groupdict())
    return code, "Giá trị không hợp lệ."


def _message(detail: Any) -> tuple[str, dict[str, str]]:
    text, code = str(detail), getattr(detail, "code", "invalid") or "invalid"
    if _SEP in text:
        en, vi = text.split(_SEP, 1)
        return code, {"vi": vi, "en": en}
    code, vi = translate(code, text)
    return code, {"vi": vi, "en": text}


def _flatten(detail: Any, prefix: str, out: dict[str, list[tuple[str, dict[str, str]]]]) -> None:
    """DRF's nested error detail → {"field" | "field.0" | "field.sub": [(code, message)]}."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            _flatten(value, name, out)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            for item in detail:
                out.setdefault(prefix or "non_field_errors", []).append(_message(item))
        else:
            for i, item in enumerate(detail):
                if item:
                    _flatten(item, f"{prefix}.{i}" if prefix else str(i), out)
    else:
        out.setdefault(prefix or "non_field_errors", []).append(_message(detail))


def validation_body(detail: Any) -> dict:
    flat: dict[str, list[tuple[str, dict[str, str]]]] = {}
    _flatten(detail, "", flat)
    general = flat.pop("non_field_errors", [])
    codes = {code for messages in (*flat.values(), general) for code, _ in messages}
    code = codes.pop() if len(codes) == 1 else "invalid"
    fields = {name: [message for _, message in messages] for name, messages in flat.items()}
    if general:
        vi = " ".join(m["vi"] for _, m in general)
        en = " ".join(m["en"] for _, m in general)
    elif code == "unknown_field":
        names = ", ".join(sorted(fields))
        vi, en = f"Có trường không được hỗ trợ: {names}.", f"Unknown field(s): {names}."
    elif len(fields) == 1 and len(next(iter(fields.values()))) == 1:
        name, (message,) = next(iter(fields.items()))
        vi, en = f"{name}: {message['vi']}", f"{name}: {message['en']}"
    else:
        vi = "Dữ liệu gửi lên không hợp lệ; xem chi tiết từng trường."
        en = "The request is invalid; see the errors of each field."
    return error_body(code, vi, en, fields)


# ---------------------------------------------------------------------------------------------------- handler

_SIMPLE: dict[type, tuple[str, str, str]] = {
    exceptions.NotAuthenticated: ("not_authenticated", "Chưa đăng nhập.", "Authentication is required."),
    exceptions.AuthenticationFailed: ("authentication_failed", "Thông tin xác thực không hợp lệ.",
                                      "The credentials are invalid."),
    exceptions.PermissionDenied: ("forbidden", "Bạn không có quyền thực hiện thao tác này.",
                                  "You are not allowed to do this."),
    exceptions.NotFound: ("not_found", "Không tìm thấy.", "Not found."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Phương thức không được hỗ trợ.",
                                  "The method is not allowed here."),
    exceptions.NotAcceptable: ("not_acceptable", "Không trả về được định dạng yêu cầu.",
                               "Cannot answer in the requested format."),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "Kiểu nội dung (Content-Type) không được hỗ trợ.",
                                      "The request's content type is not supported."),
    exceptions.Throttled: ("throttled", "Quá nhiều yêu cầu; vui lòng thử lại sau.",
                           "Too many requests; please try again later."),
}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        fields = {exc.field: [{"vi": exc.vi, "en": exc.en}]} if exc.field else {}
        return Response(error_body(exc.code, exc.vi, exc.en, fields, **exc.extra), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        err = too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return Response(error_body(err.code, err.vi, err.en, **err.extra), status=413)
    response = drf_exception_handler(exc, context)
    if response is None:
        # a bug, not the user's fault: logged with its traceback, answered in the same shape
        logger.error("Unexpected error in %s", context.get("view").__class__.__name__, exc_info=exc)
        set_rollback()
        return Response(error_body("server_error", "Lỗi hệ thống; vui lòng thử lại hoặc báo quản trị viên.",
                                   "Internal server error; please retry or tell the administrator."), status=500)
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        request = context.get("request")
        json = request is not None and "json" in (request.content_type or "")
        response.data = error_body(
            "malformed_json" if json else "malformed_request",
            "Nội dung JSON không hợp lệ." if json else "Không đọc được nội dung yêu cầu.",
            f"Malformed JSON: {exc.detail}" if json else f"Malformed request: {exc.detail}",
        )
    elif isinstance(exc, Http404 | exceptions.NotFound) and "page" in str(getattr(exc, "detail", "")).lower():
        response.data = error_body("not_found", "Trang không tồn tại.", "Invalid page.")
    else:
        code, vi, en = next((v for k, v in _SIMPLE.items() if isinstance(exc, k)),
                            ("error", "Không thực hiện được yêu cầu.", str(exc)))
        response.data = error_body(code, vi, en)
    return response


__all__ = ["ApiError", "bilingual", "error_body", "exception_handler", "status", "too_large", "translate"]
