"""Sign-in, the per-role home, and the agency suggestions the forms' name fields use."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect

from dondoc.api import lookup
from dondoc.tracking.models import Agency, AgencySuccession

from .. import access


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def home(request):
    """Officers, leaders and administrators land on the dashboard, focal points on their agency's tasks; visitors
    on the public tasks (or the sign-in page when those are off)."""
    role = access.role_of(request.user)
    if role is None:
        if request.user.is_authenticated:
            raise PermissionDenied("no role")
        return redirect("web:tasks" if access.public_enabled() else "web:login")
    if role == access.Role.FOCAL_POINT:
        return redirect("web:my_agency")
    return redirect("web:dashboard")


@access.signed_in
def agency_suggest(request):
    """Up to 15 agencies whose names contain every word typed (without diacritics), with their successors: a
    merged agency shows where its work went."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    ids = lookup.search_ids(text)[:200]
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("name")[:15])
    successors: dict[int, list] = {}
    for s in AgencySuccession.objects.filter(predecessor__in=agencies).select_related("successor"):
        successors.setdefault(s.predecessor_id, []).append(
            {"id": s.successor_id, "name": s.successor.name, "effective_on": s.effective_on.isoformat()})
    return JsonResponse({"results": [
        {"id": a.pk, "name": a.name, "short_name": a.short_name, "valid_to": a.valid_to and a.valid_to.isoformat(),
         "successors": successors.get(a.pk, [])} for a in agencies
    ]}, json_dumps_params={"ensure_ascii": False})
