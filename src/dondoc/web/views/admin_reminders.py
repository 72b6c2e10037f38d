"""Quản trị: reminders. Their timing is the installation's ``DONDOC_REMINDERS`` setting (``reminders.conf``), shown
read-only with what each value means; the webhook endpoints (all reminders, or one agency's) are records an
administrator adds and edits here. E-mail recipients are the agencies' focal points (users and roles)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.reminders.conf import Config, ConfigError, get_config
from dondoc.reminders.models import WebhookEndpoint

from ..forms import WebhookForm
from ..pages import wants_json
from .admin_agencies import _brief, admin_only

# what each setting means, in the order of reminders.conf
MEANINGS = {
    "BEFORE_DAYS": gettext_lazy("Nhắc trước hạn bao nhiêu ngày (mỗi số một lần nhắc)"),
    "DAYS": gettext_lazy("Cách đếm số ngày nhắc trước hạn"),
    "ON_DUE_DAY": gettext_lazy("Nhắc vào đúng ngày đến hạn"),
    "OVERDUE_FIRST": gettext_lazy("Lần nhắc quá hạn đầu tiên: số ngày sau hạn"),
    "OVERDUE_REPEAT": gettext_lazy("Nhắc lại khi còn quá hạn: mỗi bao nhiêu ngày (0: chỉ một lần)"),
    "ESCALATE_AFTER": gettext_lazy("Báo cơ quan giao việc khi quá hạn bao nhiêu ngày"),
    "ESCALATE_REPEAT": gettext_lazy("Báo lại cơ quan giao việc mỗi bao nhiêu ngày (0: chỉ một lần)"),
    "STALE_DAYS": gettext_lazy("Nhắc khi không báo cáo tiến độ trong bao nhiêu ngày"),
    "NO_DEADLINE_DAYS": gettext_lazy("Nhắc nhiệm vụ chưa có thời hạn mỗi bao nhiêu ngày"),
    "SKIP_NON_WORKING_DAYS": gettext_lazy("Không xếp lượt nhắc mới vào ngày nghỉ, ngày lễ"),
    "MAX_ATTEMPTS": gettext_lazy("Số lần gửi thử trước khi coi là gửi không được"),
    "BACKOFF_SECONDS": gettext_lazy("Chờ trước lần gửi lại thứ hai (giây, sau đó gấp đôi)"),
    "BACKOFF_MAX_SECONDS": gettext_lazy("Thời gian chờ gửi lại tối đa (giây)"),
    "CLAIM_TIMEOUT_SECONDS": gettext_lazy("Thông báo đang gửi quá bao nhiêu giây thì gửi lại"),
    "EMAIL_TIMEOUT": gettext_lazy("Thời gian chờ máy chủ thư (giây)"),
    "FROM_EMAIL": gettext_lazy("Địa chỉ gửi thư"),
    "WEBHOOK_TIMEOUT": gettext_lazy("Thời gian chờ webhook (giây)"),
    "WEBHOOK_BATCH": gettext_lazy("Số lượt nhắc tối đa trong một lần gửi webhook"),
    "DIGEST_MAX_ITEMS": gettext_lazy("Số nhiệm vụ liệt kê chi tiết trong mỗi mục của thư"),
    "BASE_URL": gettext_lazy("Địa chỉ của trang, dùng cho liên kết trong thư và webhook"),
    "RECURRENCE_LOOKBACK_DAYS": gettext_lazy("Nhiệm vụ định kỳ kết thúc trong bao nhiêu ngày gần đây thì tạo kỳ tiếp "
                                             "theo"),
    "MAX_OCCURRENCES_PER_PASS": gettext_lazy("Số kỳ tiếp theo tạo tối đa mỗi lượt"),
}


def _shown(name: str, value: Any, config: Config) -> str:
    """A setting's value as a person reads it."""
    if name == "DAYS":
        return _("ngày làm việc (bỏ qua cuối tuần, ngày lễ, Tết)") if value == "working" else _("ngày theo lịch")
    if name == "EMAIL_TIMEOUT" and value is None:
        return _("%(s)s (theo cấu hình thư)") % {"s": f"{config.email_timeout:g}"}
    if name == "FROM_EMAIL" and not value:
        return _("%(address)s (theo cấu hình thư)") % {"address": config.from_email}
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if value is None:
        return _("không bao giờ")
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value != "" else "—"


def settings_rows() -> tuple[list[dict[str, Any]], str | None]:
    try:
        config, error = get_config(), None
    except ConfigError as e:
        config, error = Config(), str(e)
    default = Config()
    rows = []
    for f in fields(Config):
        value = getattr(config, f.name)
        rows.append({"key": f.name, "meaning": MEANINGS.get(f.name, ""), "value": value,
                     "shown": _shown(f.name, value, config), "default": value == getattr(default, f.name),
                     "default_shown": _shown(f.name, getattr(default, f.name), default)})
    return rows, error


def endpoint_json(e: WebhookEndpoint) -> dict[str, Any]:
    return {"id": e.pk, "name": e.name, "url": e.url, "agency": _brief(e.agency), "active": e.active,
            "created_at": e.created_at.isoformat(), "url_edit": reverse("web:admin_webhook", args=[e.pk])}


@admin_only
def reminders(request):
    rows, error = settings_rows()
    endpoints = list(WebhookEndpoint.objects.select_related("agency").order_by("-active", "name", "pk"))
    if wants_json(request):
        from django.http import JsonResponse

        return JsonResponse({
            "settings": {r["key"]: list(r["value"]) if isinstance(r["value"], tuple) else r["value"] for r in rows},
            "settings_error": error, "webhooks": [endpoint_json(e) for e in endpoints],
        }, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/admin_reminders.html", {"nav": "admin", "sub": "reminders", "rows": rows,
                                                         "config_error": error, "endpoints": endpoints})


def _webhook_form(request, endpoint: WebhookEndpoint | None):
    has_secret = endpoint is not None and bool(endpoint.secret)
    if request.method == "POST":
        form = WebhookForm(request.POST, has_secret=has_secret)
        if form.is_valid():
            d = form.cleaned_data
            target = endpoint or WebhookEndpoint()
            target.name, target.url, target.agency, target.active = d["name"], d["url"], d["agency"], d["active"]
            if d["secret"]:
                target.secret = d["secret"]
            try:
                target.full_clean(exclude=["created_at"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                target.save()
                messages.success(request, _("Đã lưu địa chỉ nhận thông báo «%(name)s».") % {"name": str(target)})
                return redirect("web:admin_reminders")
    elif endpoint is not None:
        form = WebhookForm(has_secret=has_secret, initial={
            "name": endpoint.name, "url": endpoint.url, "active": endpoint.active,
            "agency": endpoint.agency.name if endpoint.agency else ""})
    else:
        form = WebhookForm()
    return render(request, "web/admin_webhook_form.html", {"nav": "admin", "sub": "reminders", "form": form,
                                                            "endpoint": endpoint}, status=400 if form.errors else 200)


@admin_only
def webhook_create(request):
    return _webhook_form(request, None)


@admin_only
def webhook_edit(request, pk: int):
    return _webhook_form(request, get_object_or_404(WebhookEndpoint.objects.select_related("agency"), pk=pk))
