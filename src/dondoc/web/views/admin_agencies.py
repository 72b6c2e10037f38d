"""Quản trị: agencies (hierarchy, names, validity, successors) and mergers. Administrators only; every write goes
through ``tracking.agencies`` (the rules) and moving tasks through ``services.apply_successions``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dondoc.api import lookup
from dondoc.tracking import agencies, services
from dondoc.tracking.models import Agency, AgencySuccession, Task, TaskAgency
from dondoc.tracking.services import ServiceError

from .. import access
from ..forms import AgencyForm, AgencySearchForm, SuccessionForm, apply_service_error
from ..pages import json_page, page_number, paginate, wants_json

admin_only = access.roles(access.Role.ADMIN)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _brief(agency: Agency | None) -> dict[str, Any] | None:
    return {"id": agency.pk, "name": agency.name} if agency is not None else None


def _successions(agency: Agency) -> list[AgencySuccession]:
    return sorted(agency.successions.all(), key=lambda s: (s.effective_on, s.pk))


def agency_json(agency: Agency) -> dict[str, Any]:
    """One agency as the list and its page give it (the list's ``children`` is a count)."""
    return {
        "id": agency.pk, "name": agency.name, "short_name": agency.short_name, "kind": agency.kind,
        "source": agency.source, "parent": _brief(agency.parent),
        "children": getattr(agency, "n_children", None),
        "aliases": sorted(a.alias for a in agency.aliases.all() if a.alias != agency.name),
        "valid_from": _day(agency.valid_from), "valid_to": _day(agency.valid_to),
        "successors": [{"id": s.successor_id, "name": s.successor.name, "effective_on": _day(s.effective_on),
                        "primary": s.primary, "applied": s.applied_at is not None} for s in _successions(agency)],
        "url": reverse("web:admin_agency", args=[agency.pk]), "api": f"/api/agencies/{agency.pk}/",
    }


def _state_filter(qs, state: str, today: date):
    current = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (Q(valid_to__isnull=True)
                                                                          | Q(valid_to__gte=today))
    if state == "current":
        return qs.filter(current)
    if state == "ended":
        return qs.filter(valid_to__lt=today)
    return qs


@admin_only
def agency_list(request):
    """Every agency, searchable by any of its names (without diacritics), with its parent, number of units, other
    names, validity and successors; ``parent`` lists one agency's units, ``top`` the agencies above all others."""
    form = AgencySearchForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    today = timezone.localdate()
    qs = Agency.objects.select_related("parent")
    parent = Agency.objects.filter(pk=data["parent"]).first() if data.get("parent") else None
    if data.get("q"):
        qs = qs.filter(pk__in=lookup.search_ids(data["q"]))
    if parent is not None:
        qs = qs.filter(parent=parent)
    elif data.get("top"):
        qs = qs.filter(parent__isnull=True)
    qs = _state_filter(qs, data.get("state") or "", today)
    qs = qs.annotate(n_children=Count("children", distinct=True)).prefetch_related(
        "aliases", Prefetch("successions", queryset=AgencySuccession.objects.select_related("successor")),
    ).order_by("name", "pk")
    page = page_number(request)
    rows, has_next = paginate(qs, page)
    if wants_json(request):
        return json_page([agency_json(a) for a in rows], page=page, has_next=has_next)
    for agency in rows:
        agency.other_names = sorted(a.alias for a in agency.aliases.all() if a.alias != agency.name)
        agency.succession_list = _successions(agency)
        agency.ended = agency.valid_to is not None and agency.valid_to < today
    return render(request, "web/admin_agencies.html", {
        "nav": "admin", "sub": "agencies", "form": form, "agencies": rows, "page": page, "has_next": has_next,
        "parent": parent, "parent_crumbs": list(reversed(agencies.ancestors(parent))) if parent else [],
    })


def _detail(agency: Agency) -> dict[str, Any]:
    successions = list(agency.successions.select_related("successor").order_by("effective_on", "pk"))
    predecessions = list(agency.predecessions.select_related("predecessor").order_by("effective_on", "pk"))
    open_led = TaskAgency.objects.filter(agency=agency, role=TaskAgency.Role.LEAD, active=True,
                                         task_status=Task.Status.OPEN).count()
    return {
        "agency": agency, "crumbs": list(reversed(agencies.ancestors(agency))),
        "children": list(agency.children.order_by("name", "pk")),
        "other_names": sorted(agency.aliases.exclude(alias=agency.name).values_list("alias", flat=True)),
        "successions": successions, "predecessions": predecessions, "open_led": open_led,
        "members": list(get_user_model().objects.filter(profile__agency=agency).select_related("profile")
                        .order_by("username")),
    }


@admin_only
def agency_detail(request, pk: int):
    agency = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
    context = _detail(agency)
    if wants_json(request):
        body = agency_json(Agency.objects.prefetch_related("aliases").select_related("parent").get(pk=pk))
        body.update({
            "children": [_brief(c) for c in context["children"]],
            "predecessors": [{"id": s.predecessor_id, "name": s.predecessor.name, "effective_on": _day(s.effective_on),
                              "primary": s.primary, "applied": s.applied_at is not None}
                             for s in context["predecessions"]],
            "open_tasks_led": context["open_led"],
            "members": [{"username": u.get_username(), "role": u.profile.role} for u in context["members"]],
        })
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    context.update({"nav": "admin", "sub": "agencies", "merger_form": SuccessionForm(
        initial={"predecessor": agency.name, "effective_on": timezone.localdate()})})
    return render(request, "web/admin_agency.html", context)


FIELDS = {"name": "name", "aliases": "aliases", "parent": "parent", "valid_to": "valid_to"}


def _agency_form(request, agency: Agency | None):
    if request.method == "POST":
        form = AgencyForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = agencies.save_agency(agency, name=d["name"], short_name=d["short_name"], parent=d["parent"],
                                             valid_from=d["valid_from"], valid_to=d["valid_to"],
                                             aliases=d["aliases"])
            except ServiceError as error:
                apply_service_error(form, error, FIELDS)
            else:
                messages.success(request, (_("Đã lưu cơ quan «%(name)s».") if agency else
                                           _("Đã thêm cơ quan «%(name)s».")) % {"name": saved.name})
                return redirect("web:admin_agency", pk=saved.pk)
    elif agency is not None:
        form = AgencyForm(initial={
            "name": agency.name, "short_name": agency.short_name, "parent": agency.parent.name if agency.parent
            else "", "valid_from": agency.valid_from, "valid_to": agency.valid_to,
            "aliases": "\n".join(sorted(agency.aliases.exclude(alias=agency.name).values_list("alias", flat=True))),
        })
    else:
        parent = request.GET.get("parent", "")  # "add a unit" links pass the parent's id: show its name
        named = Agency.objects.filter(pk=int(parent)).values_list("name", flat=True).first() if parent.isdigit() \
            else None
        form = AgencyForm(initial={"parent": named or ""})
    return render(request, "web/admin_agency_form.html", {"nav": "admin", "sub": "agencies", "form": form,
                                                           "agency": agency}, status=400 if form.errors else 200)


@admin_only
def agency_create(request):
    return _agency_form(request, None)


@admin_only
def agency_edit(request, pk: int):
    return _agency_form(request, get_object_or_404(Agency.objects.select_related("parent"), pk=pk))


# ------------------------------------------------------------------------------------------------ mergers


def succession_json(s: AgencySuccession) -> dict[str, Any]:
    return {"id": s.pk, "predecessor": _brief(s.predecessor), "successor": _brief(s.successor),
            "effective_on": _day(s.effective_on), "primary": s.primary,
            "applied_at": s.applied_at.isoformat() if s.applied_at else None}


def mergers_page(request, form: SuccessionForm | None = None, status: int = 200):
    q = " ".join(request.GET.get("q", "").split())[:200]
    pending = request.GET.get("pending") == "1"
    qs = AgencySuccession.objects.select_related("predecessor", "successor")
    if q:
        ids = lookup.search_ids(q)
        qs = qs.filter(Q(predecessor_id__in=ids) | Q(successor_id__in=ids))
    if pending:
        qs = qs.filter(applied_at__isnull=True, primary=True)
    page = page_number(request)
    rows, has_next = paginate(qs.order_by("-effective_on", "-pk"), page)
    if wants_json(request) and request.method == "GET":
        return json_page([succession_json(s) for s in rows], page=page, has_next=has_next)
    today = timezone.localdate()
    return render(request, "web/admin_mergers.html", {
        "nav": "admin", "sub": "mergers", "form": form or SuccessionForm(initial={"effective_on": today}),
        "successions": rows, "page": page, "has_next": has_next, "q": q, "pending": pending, "today": today,
    }, status=status)


@admin_only
def mergers(request):
    """The successions recorded (search by either agency's names; those not yet applied) and the form that records
    one: ``agencies.record_succession`` checks it, ends the predecessor and moves its open tasks."""
    if request.method != "POST":
        return mergers_page(request)
    form = SuccessionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = agencies.record_succession(d["predecessor"], d["successor"], d["effective_on"],
                                                primary=d["primary"], actor=request.user)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            s = result.succession
            messages.success(request, _("Đã ghi nhận: «%(old)s» → «%(new)s» từ ngày %(day)s.") % {
                "old": s.predecessor.name, "new": s.successor.name, "day": f"{s.effective_on:%d/%m/%Y}"})
            if s.primary:
                messages.info(request, ngettext(
                    "%(n)s nhiệm vụ đang mở đã chuyển cho «%(new)s».",
                    "%(n)s nhiệm vụ đang mở đã chuyển cho «%(new)s».", result.moved) % {
                    "n": result.moved, "new": s.successor.name})
            else:
                messages.info(request, _("Không chuyển nhiệm vụ: cơ quan kế thừa này không nhận nhiệm vụ đang mở."))
            if result.moved_other:
                messages.info(request, ngettext(
                    "%(n)s nhiệm vụ khác đã chuyển theo các việc sáp nhập đã đến ngày.",
                    "%(n)s nhiệm vụ khác đã chuyển theo các việc sáp nhập đã đến ngày.", result.moved_other) % {
                    "n": result.moved_other})
            return redirect(reverse("web:admin_agency", args=[s.predecessor_id]) + "#successors")
    return mergers_page(request, form, status=400)


@require_POST
@admin_only
def apply_due_mergers(request):
    """Move the open tasks of every succession whose day has come (``services.apply_successions``): those loaded
    from the registry, or a task confirmed while its lead was being merged."""
    moved = services.apply_successions(actor=request.user)
    messages.success(request, ngettext("%(n)s nhiệm vụ đã chuyển cho cơ quan kế thừa.",
                                       "%(n)s nhiệm vụ đã chuyển cho cơ quan kế thừa.", moved) % {"n": moved})
    return redirect("web:admin_mergers")
