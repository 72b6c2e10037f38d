"""Quản trị: users and their roles on one page. Agencies and mergers (``admin_agencies``) and reminders
(``admin_reminders``) have pages of their own in the same area; quantitative indicators, and the raw records,
stay in the Django admin, linked from here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.tracking.models import Profile

from .. import access
from ..forms import UserRoleForm
from ..labels import label
from ..pages import json_page, page_number, paginate, wants_json

ADMIN_LINKS = [  # what only the Django admin edits
    ("/admin/auth/user/", "Tài khoản người dùng"),
    ("/admin/kpis/indicator/", "Chỉ tiêu định lượng"),
]


def users_page(request, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    User = get_user_model()
    page = page_number(request)
    rows, has_next = paginate(User.objects.select_related("profile__agency").order_by("username"), page, 100)
    if wants_json(request) and request.method == "GET":
        return json_page([_user_json(u) for u in rows], page=page, has_next=has_next)
    for user in rows:
        profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
        user.form = forms.get(user.pk) or UserRoleForm(prefix=f"u{user.pk}", initial={
            "role": profile.role if profile else "", "agency": profile.agency.name if profile and profile.agency
            else ""})
    return render(request, "web/admin_users.html", {
        "nav": "admin", "sub": "users", "users": rows, "page": page, "has_next": has_next,
        "links": [(url, label(text)) for url, text in ADMIN_LINKS],
    }, status=status)


def _user_json(user) -> dict:
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    agency = profile.agency if profile is not None else None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name(),
            "superuser": user.is_superuser, "active": user.is_active,
            "role": access.role_of(user), "agency": {"id": agency.pk, "name": agency.name} if agency else None,
            "agency_url": reverse("web:admin_agency", args=[agency.pk]) if agency else None}


@access.roles(access.Role.ADMIN)
def users(request):
    return users_page(request)


@require_POST
@access.roles(access.Role.ADMIN)
def user_role(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = UserRoleForm(request.POST, prefix=f"u{user.pk}")
    if not form.is_valid():
        return users_page(request, {user.pk: form}, status=400)
    role, agency = form.cleaned_data["role"], form.cleaned_data["agency"]
    if role:
        Profile.objects.update_or_create(user=user, defaults={"role": role, "agency": agency})
    else:
        Profile.objects.filter(user=user).delete()
    messages.success(request, _("Đã cập nhật vai trò của %(user)s.") % {"user": user.get_username()})
    return redirect("web:admin_users")
