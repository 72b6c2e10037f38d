"""Tasks: the filtered list (saved filters, CSV/XLSX export, JSON twin) and one task's page with its source
passage, timeline, evidence files and the follow-up forms its reader may use."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from dondoc.tracking import policy, selectors, services
from dondoc.tracking.models import Agency, Document, Event, EvidenceFile, Task
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.services import ServiceError
from dondoc.tracking.states import Bucket

from .. import access
from ..forms import (
    CompleteForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReopenForm,
    SavedFilterForm,
    TaskFilterForm,
    TransferForm,
    WithdrawForm,
    apply_service_error,
)
from ..labels import label
from ..models import SavedFilter
from ..pages import json_page, page_number, paginate, task_json, wants_json

EXPORT_LIMIT = 100_000


def task_filter(form: TaskFilterForm, user) -> tuple[TaskFilter, str]:
    """The selector's filter from the form's valid fields (an invalid field is left out and shown with its error)."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return TaskFilter(
        agency=data.get("agency"), role=data.get("role") or None, include_units=not data.get("exact"),
        buckets=tuple(data.get("state") or ()), due_from=data.get("due_from"), due_to=data.get("due_to"),
        document_id=data.get("document"), query=data.get("q") or "",
        public_only=access.role_of(user) is None,
    ), data.get("sort") or "due"


@access.readable
def task_list(request):
    form = TaskFilterForm(request.GET)
    f, sort = task_filter(form, request.user)
    qs = policy.visible_tasks(request.user, selectors.tasks(f, sort=sort)).select_related("document")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if access.role_of(request.user) is None:
            raise Http404
        return export(qs, fmt)
    page = page_number(request)
    rows, has_next = paginate(qs, page)
    selectors.with_agencies(rows)
    if wants_json(request):
        return json_page([task_json(t) for t in rows], page=page, has_next=has_next,
                         errors=form.errors.get_json_data() if form.errors else {})
    saved = (SavedFilter.objects.filter(user=request.user) if request.user.is_authenticated else [])
    return render(request, "web/tasks.html", {
        "nav": "tasks", "form": form, "tasks": rows, "page": page, "has_next": has_next, "saved": saved,
        "save_form": SavedFilterForm(initial={"query": request.GET.urlencode()}),
        "document": f.document_id and policy.visible_documents(
            request.user, Document.objects.filter(pk=f.document_id)).first(),
    }, status=400 if form.errors else 200)


EXPORT_COLUMNS = ("id", "content", "state", "lead", "support", "due", "original_due", "deadline_text",
                  "progress_percent", "done_on", "document")


def _export_rows(qs):
    """Rows of the export in batches, each batch's agencies in one query."""
    labels = {b.value: label(b.label) for b in Bucket}
    batch: list[Task] = []

    def flush():
        names = selectors.lead_names([t.pk for t in batch])
        for t in batch:
            n = names.get(t.pk, {"lead": [], "support": []})
            yield [t.pk, t.content, labels.get(t.bucket, t.bucket), "; ".join(a["name"] for a in n["lead"]),
                   "; ".join(a["name"] for a in n["support"]), t.due_date, t.original_due, t.deadline_text,
                   t.progress_percent, t.done_on, str(t.document)]

    for task in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
        batch.append(task)
        if len(batch) == 2000:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def export_header() -> list[str]:
    return [_("Mã"), _("Nội dung"), _("Tình trạng"), pgettext("web", "Chủ trì"), pgettext("web", "Phối hợp"),
            _("Hạn hiện hành"), _("Hạn ban đầu"), _("Thời hạn (như ghi)"), _("Tiến độ (%)"), _("Ngày hoàn thành"),
            _("Văn bản")]


def export(qs, fmt: str):
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def lines():
            yield "\ufeff"  # so spreadsheet programs read UTF-8 (Vietnamese letters) correctly
            yield writer.writerow(export_header())
            for row in _export_rows(qs):
                yield writer.writerow(["" if v is None else v for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Nhiệm vụ"))
    ws.append(export_header())
    for row in _export_rows(qs):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{stamp}.xlsx"'
    return response


# ------------------------------------------------------------------------------------------------ saved filters


@require_POST
@access.signed_in
def save_filter(request):
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        SavedFilter.objects.update_or_create(user=request.user, name=form.cleaned_data["name"],
                                             defaults={"query": form.cleaned_data["query"]})
        messages.success(request, _("Đã lưu bộ lọc «%(name)s».") % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("web:tasks") + ("?" + query if query else ""))


@require_POST
@access.signed_in
def delete_filter(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Đã xóa bộ lọc «%(name)s».") % {"name": saved.name})
    return redirect("web:tasks")


# ------------------------------------------------------------------------------------------------ one task

# action → (form, permission in tracking.policy)
ACTIONS = {  # in the order the page shows them
    "decide_extension": (ExtensionDecisionForm, "decide_extension"),
    "report": (ProgressForm, "report"),
    "request_extension": (ExtensionRequestForm, "request_extension"),
    "complete": (CompleteForm, "complete"),
    "transfer": (TransferForm, "transfer"),
    "withdraw": (WithdrawForm, "withdraw"),
    "reopen": (ReopenForm, "reopen"),
}


def _available(task: Task, snapshot) -> set[str]:
    """Which follow-up forms make sense in the task's state (permission is checked separately)."""
    if task.status == Task.Status.OPEN:
        out = {"report", "request_extension", "transfer", "withdraw", "complete"}
        if snapshot.pending_extension is not None:
            out.add("decide_extension")
        return out
    if task.status in (Task.Status.DONE, Task.Status.WITHDRAWN):
        return {"reopen"}
    return set()


def _agency_names(events) -> dict[int, str]:
    ids: set[int] = set()
    for e in events:
        d = e.data or {}
        for key in ("lead", "support", "to"):
            if isinstance(d.get(key), list):
                ids.update(i for i in d[key] if isinstance(i, int))
        for key in ("from", "to"):
            if isinstance(d.get(key), int):
                ids.add(d[key])
        for change in (d.get("changes") or {}).values():
            for side in change:
                if isinstance(side, list):
                    ids.update(i for i in side if isinstance(i, int))
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))


def describe(event, names: dict[int, str]) -> list[str]:
    """The lines of one timeline entry, in the page's language."""
    d = event.data or {}

    def agencies(ids) -> str:
        return "; ".join(names.get(i, f"#{i}") for i in ids or []) if isinstance(ids, list) else str(ids)

    lines: list[str] = []
    if event.kind == "created":
        lines.append(_("Chủ trì: %(lead)s") % {"lead": agencies(d.get("lead")) or "—"})
        if d.get("due"):
            lines.append(_("Thời hạn: %(due)s") % {"due": _dmy(d["due"])})
    elif event.kind == "corrected":
        labels = {"content": _("Nội dung"), "lead": pgettext("web", "Chủ trì"), "support": pgettext("web", "Phối hợp"),
                  "due": _("Thời hạn"), "deadline_text": _("Thời hạn (như ghi)"), "recurrence": _("Định kỳ")}
        for name, (old, new) in (d.get("changes") or {}).items():
            if name in ("lead", "support"):
                old, new = agencies(old), agencies(new)
            elif name == "due":
                old, new = _dmy(old), _dmy(new)
            lines.append(f"{labels.get(name, name)}: {old or '—'} → {new or '—'}")
    elif event.kind == "progress":
        lines.append(d.get("text", ""))
        if d.get("percent") is not None:
            lines.append(_("Tỷ lệ hoàn thành: %(p)s%%") % {"p": d["percent"]})
    elif event.kind == "extension_requested":
        lines.append(_("Đề nghị gia hạn đến %(due)s. Lý do: %(reason)s") % {"due": _dmy(d.get("due")),
                                                                         "reason": d.get("reason", "")})
    elif event.kind in ("extension_approved", "extension_refused"):
        if d.get("due"):
            lines.append(_("Gia hạn đến %(due)s") % {"due": _dmy(d["due"])})
        if d.get("reason"):
            lines.append(d["reason"])
    elif event.kind == "transferred":
        lines.append(_("Chuyển cho: %(to)s. Lý do: %(reason)s") % {"to": agencies(d.get("to")),
                                                                   "reason": d.get("reason", "")})
    elif event.kind == "succeeded":
        lines.append(f"{names.get(d.get('from'), '')} → {names.get(d.get('to'), '')}")
    elif event.kind in ("withdrawn", "reopened", "discarded"):
        if d.get("reason"):
            lines.append(d["reason"])
    elif event.kind == "completed" and d.get("result"):
        lines.append(d["result"])
    if d.get("decision"):
        lines.append(_("Văn bản: %(decision)s") % {"decision": d["decision"]})
    return [line for line in lines if line]


def _dmy(iso) -> str:
    if not iso:
        return ""
    y, m, d = str(iso).split("-")
    return f"{d}/{m}/{y}"


def passage(task: Task, context: int = 240) -> dict | None:
    text = task.document.text
    if task.source_start is None or task.source_end is None or task.source_end > len(text):
        return None
    s, e = task.source_start, task.source_end
    return {"before": ("…" if s > context else "") + text[max(0, s - context):s], "quote": text[s:e],
            "after": text[e:e + context] + ("…" if e + context < len(text) else "")}


def task_page(request, task: Task, forms: dict | None = None, status: int = 200):
    user = request.user
    selectors.with_agencies([task])
    events = list(Event.objects.filter(task=task).order_by("seq").prefetch_related("files"))
    names = _agency_names(events)
    anonymous = access.role_of(user) is None
    for event in events:
        event.lines = describe(event, names)
        event.shown_actor = None if anonymous else event.actor_name
    snapshot = services.task_snapshot(task)
    available = _available(task, snapshot)
    allowed = [a for a in ACTIONS if a in available and policy.can(user, ACTIONS[a][1], task)]
    forms = forms or {}
    shown = {a: forms.get(a) or ACTIONS[a][0](prefix=a) for a in allowed}
    if "decide_extension" in shown and not shown["decide_extension"].is_bound:
        shown["decide_extension"].initial = {"due": snapshot.pending_extension}
    if wants_json(request):
        data = task_json(task)
        data["timeline"] = [{"kind": e.kind, "on": e.on.isoformat(), "actor": e.shown_actor, "lines": e.lines,
                             "files": [{"name": f.original_name, "size": f.size,
                                        "url": reverse("web:evidence", args=[task.pk, f.pk])} for f in e.files.all()]}
                            for e in events]
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/task.html", {
        "nav": "tasks", "task": task, "events": events, "passage": passage(task), "forms": shown,
        "pending_extension": snapshot.pending_extension,
        "subtasks": policy.visible_tasks(user, Task.objects.filter(parent=task)).order_by("pk")[:50],
        "parent": task.parent if task.parent_id and policy.can_see(user, task.parent) else None,
        "can_review": policy.can(user, "review", task) and task.status == Task.Status.DRAFT,
    }, status=status)


@access.readable
def task_detail(request, pk: int):
    return task_page(request, access.task_for(request.user, pk))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_POST
@access.signed_in
def task_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    task = access.task_for(request.user, pk)
    form_class, permission = ACTIONS[action]
    access.require(request.user, permission, task)
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            message = _perform(action, task, form.cleaned_data, request.user)
        except ServiceError as error:
            apply_service_error(form, error, {"tasks": None})
        else:
            messages.success(request, message)
            return redirect(_next_url(request, reverse("web:task", args=[task.pk])))
    back = request.POST.get("next")
    if back and back.startswith(reverse("web:my_agency")):
        from .agency import my_agency_page

        return my_agency_page(request, forms={(task.pk, action): form}, status=400)
    return task_page(request, access.task_for(request.user, pk), forms={action: form}, status=400)


def _perform(action: str, task: Task, data: dict, user) -> str:
    if action == "report":
        files = [(f.name, b"".join(f.chunks())) for f in data["files"]]
        services.report_progress(task, text=data["text"], percent=data["percent"], on=data["on"], actor=user,
                                 files=files)
        return _("Đã ghi báo cáo tiến độ.")
    if action == "request_extension":
        services.request_extension(task, due=data["due"], reason=data["reason"], actor=user)
        return _("Đã gửi đề nghị gia hạn.")
    if action == "decide_extension":
        approve = data["decision"] == "approve"
        services.decide_extension(task, approve=approve, reason=data["reason"], due=data["due"], actor=user)
        return _("Đã đồng ý gia hạn.") if approve else _("Đã ghi ý kiến không đồng ý gia hạn.")
    if action == "transfer":
        new = services.transfer_task(task, to=data["to"], reason=data["reason"], decision=data["decision"],
                                     due=data["due"], actor=user)
        return _("Đã chuyển nhiệm vụ; nhiệm vụ mới số %(id)s.") % {"id": new.pk}
    if action == "withdraw":
        services.withdraw_task(task, reason=data["reason"], decision=data["decision"], actor=user)
        return _("Đã ghi nhận không tiếp tục thực hiện.")
    if action == "complete":
        services.complete_task(task, result=data["result"], on=data["on"], actor=user)
        return _("Đã ghi nhận hoàn thành.")
    services.reopen_task(task, reason=data["reason"], actor=user)
    return _("Đã mở lại nhiệm vụ.")


@access.readable
def evidence(request, pk: int, file_pk: int):
    task = access.task_for(request.user, pk)
    item = get_object_or_404(EvidenceFile.objects.select_related("event"), pk=file_pk, event__task_id=task.pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


def tasks_url(**params) -> str:
    """The task list filtered by ``params`` (lists repeat their key), for the dashboard's links."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    return reverse("web:tasks") + ("?" + urlencode(clean, doseq=True) if clean else "")
