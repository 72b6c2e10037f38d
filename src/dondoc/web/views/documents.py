"""Documents: the list and search, the upload (a file or pasted text, read by the same extractor and stored by the
same service as the API), and the review of a new document's draft tasks."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.db.models import F, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.api import uploads
from dondoc.api.errors import ApiError
from dondoc.tracking import policy, services
from dondoc.tracking.models import AgencySuccession, Document, Task, TaskAgency
from dondoc.tracking.services import ServiceError

from .. import access
from ..fields import say
from ..forms import AddTaskForm, SplitForm, TaskEditForm, UploadForm, apply_service_error
from ..pages import json_page, page_number, paginate, wants_json


@access.signed_in
def document_list(request):
    q = " ".join(request.GET.get("q", "").split())
    status = request.GET.get("status", "")
    qs = policy.visible_documents(request.user, Document.objects.all()).select_related("issuer")
    if q:
        for word in q.split():
            qs = qs.filter(Q(number__icontains=word) | Q(title__icontains=word) | Q(issuer_name__icontains=word))
    if status in (Document.Status.DRAFT, Document.Status.CONFIRMED):
        qs = qs.filter(status=status)
    page = page_number(request)
    rows, has_next = paginate(qs.order_by("-id"), page)  # newest first, by the primary key (no sort)
    counts = Counter(dict(((d, s), n) for d, s, n in _task_counts([d.pk for d in rows])))
    for doc in rows:
        doc.draft_count = counts[(doc.pk, Task.Status.DRAFT)]
        doc.task_count = sum(n for (d, s), n in counts.items() if d == doc.pk and s != Task.Status.DISCARDED)
    if wants_json(request):
        return json_page([{
            "id": d.pk, "number": d.number, "type": d.type, "issuer": d.issuer_name,
            "issued_date": d.issued_date.isoformat() if d.issued_date else None, "title": d.title,
            "status": d.status, "tasks": d.task_count, "drafts": d.draft_count,
            "url": reverse("web:document", args=[d.pk]), "api": f"/api/documents/{d.pk}/",
        } for d in rows], page=page, has_next=has_next)
    return render(request, "web/documents.html", {
        "nav": "documents", "documents": rows, "page": page, "has_next": has_next, "q": q, "status": status,
        "can_ingest": policy.can(request.user, "ingest") and access.role_of(request.user) != access.Role.FOCAL_POINT,
    })


def _task_counts(ids: list[int]):
    from django.db.models import Count

    return (Task.objects.filter(document_id__in=ids).values_list("document_id", "status")
            .annotate(n=Count("id")).order_by())


def _is_xhr(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def upload(request):
    access.require(request.user, "ingest")
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            result = _ingest(form.cleaned_data, request.user)
        except (ApiError, ServiceError) as error:
            form.add_error("file" if error.field == "file" else "text" if error.field == "text" else None, say(error))
        else:
            if result.created:
                messages.success(request, _("Đã đọc văn bản: %(n)s nhiệm vụ chờ rà soát.") % {"n": len(result.tasks)})
                target = reverse("web:review", args=[result.document.pk])
            else:
                messages.info(request, _("Văn bản này đã có trong hệ thống (%(why)s); mở văn bản đã có.") % {
                    "why": _("cùng số, ký hiệu và cơ quan ban hành") if result.duplicate_reason == "number_issuer"
                    else _("cùng nội dung")})
                target = reverse("web:document", args=[result.document.pk])
            if _is_xhr(request):
                return JsonResponse({"redirect": target})
            return redirect(target)
    if request.method == "POST" and _is_xhr(request):
        return JsonResponse({"errors": {k: list(v) for k, v in form.errors.items()}}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "web/upload.html", {"nav": "documents", "form": form,
                                               "limit_mb": f"{uploads.limit() / 1024 / 1024:.3g}"},
                  status=400 if form.errors else 200)


def _ingest(data: dict, user):
    upload_file = data.get("file")
    if upload_file is not None:
        name = uploads.safe_name(upload_file.name)
        content = uploads.read_upload(upload_file)
        directive = uploads.extract_upload(name, content)
        return services.ingest_directive(directive, file_bytes=content, file_name=name,
                                         content_type=upload_file.content_type or "", actor=user)
    return services.ingest_directive(uploads.extract_text(data["text"]), actor=user)


@access.signed_in
def document_detail(request, pk: int):
    document = access.document_for(request.user, pk)
    if document.status == Document.Status.DRAFT and policy.can(request.user, "review"):
        return redirect("web:review", pk=pk)
    return redirect(reverse("web:tasks") + f"?document={pk}")


@access.signed_in
def document_file(request, pk: int):
    document = access.document_for(request.user, pk)
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.original_name or document.file.name.rsplit("/", 1)[-1])


# ------------------------------------------------------------------------------------------------ review


def _segments(text: str, tasks: list[Task]) -> list[dict]:
    """The document text cut at each task's passage, so the page can highlight them (overlaps are clipped)."""
    out, pos = [], 0
    spans = sorted((t.source_start, t.source_end, t) for t in tasks
                   if t.source_start is not None and t.source_end is not None and t.source_end <= len(text))
    for start, end, task in spans:
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            out.append({"start": pos, "text": text[pos:start]})
        out.append({"start": start, "text": text[start:end], "task": task})
        pos = end
    if pos < len(text):
        out.append({"start": pos, "text": text[pos:]})
    return out


def _initial(task: Task, agencies: dict) -> dict:
    mine = agencies.get(task.pk, {"lead": [], "support": []})
    return {"content": task.content, "lead": "; ".join(a.name for a in mine["lead"]),
            "support": "; ".join(a.name for a in mine["support"]),
            "deadline": task.due_date.strftime("%d/%m/%Y") if task.due_date else task.deadline_text}


def review_page(request, document: Document, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    tasks = list(document.tasks.exclude(status=Task.Status.DISCARDED)
                 .order_by(F("source_start").asc(nulls_last=True), "id"))
    rows = (TaskAgency.objects.filter(task__in=tasks, active=True).select_related("agency")
            .order_by("task_id", "role", "position"))
    agencies: dict[int, dict] = {}
    for row in rows:
        agencies.setdefault(row.task_id, {"lead": [], "support": []})[row.role].append(row.agency)
    successions: dict[int, list] = {}
    for s in AgencySuccession.objects.filter(predecessor_id__in={r.agency_id for r in rows}).select_related(
            "successor"):
        successions.setdefault(s.predecessor_id, []).append(s)
    for number, task in enumerate(tasks, 1):
        task.number = number
        mine = agencies.get(task.pk, {"lead": [], "support": []})
        task.lead_agencies, task.support_agencies = mine["lead"], mine["support"]
        task.merged = [(a, s) for a in mine["lead"] + mine["support"] for s in successions.get(a.pk, [])]
        if task.status == Task.Status.DRAFT:
            task.form = forms.get(("edit", task.pk)) or TaskEditForm(
                prefix=f"t{task.pk}", initial=_initial(task, agencies), doc_date=document.issued_date)
            task.split_form = forms.get(("split", task.pk)) or SplitForm(prefix=f"s{task.pk}",
                                                                         initial={"parts": task.content})
    drafts = [t for t in tasks if t.status == Task.Status.DRAFT]
    return render(request, "web/review.html", {
        "nav": "documents", "document": document, "tasks": tasks, "drafts": drafts,
        "segments": _segments(document.text, tasks), "missing_lead": [t for t in drafts if not t.lead_agencies],
        "add_form": forms.get("add") or AddTaskForm(prefix="add", doc_date=document.issued_date),
        "merge_error": forms.get("merge"),
    }, status=status)


def _reviewable(request, pk: int) -> Document:
    document = access.document_for(request.user, pk)
    access.require(request.user, "review")
    return document


@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review(request, pk: int):
    return review_page(request, _reviewable(request, pk))


def _draft(document: Document, task_pk: int, user) -> Task:
    task = get_object_or_404(Task, pk=task_pk, document=document)
    access.require(user, "review", task)
    return task


def _back(document: Document, task: Task | None = None):
    url = reverse("web:review", args=[document.pk])
    return redirect(url + (f"#task-{task.pk}" if task else ""))


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_save(request, pk: int, task_pk: int):
    document = _reviewable(request, pk)
    task = _draft(document, task_pk, request.user)
    form = TaskEditForm(request.POST, prefix=f"t{task.pk}", doc_date=document.issued_date)
    if form.is_valid():
        due, text = form.cleaned_data["deadline"]
        changes = {"content": form.cleaned_data["content"], "lead": [a.pk for a in form.cleaned_data["lead"]],
                   "support": [a.pk for a in form.cleaned_data["support"]], "due": due}
        if not (due == task.due_date and text and text[0].isdigit()):
            changes["deadline_text"] = text  # a phrase, or a new day: the old wording no longer holds
        try:
            services.correct_task(task, actor=request.user, **changes)
        except ServiceError as error:
            apply_service_error(form, error, {"due": "deadline", "deadline_text": "deadline"})
        else:
            messages.success(request, _("Đã lưu nhiệm vụ %(n)s.") % {"n": request.POST.get("number", task.pk)})
            return _back(document, task)
    return review_page(request, document, {("edit", task.pk): form}, status=400)


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_discard(request, pk: int, task_pk: int):
    document = _reviewable(request, pk)
    task = _draft(document, task_pk, request.user)
    try:
        services.discard_task(task, actor=request.user, reason=request.POST.get("reason", "")[:500])
    except ServiceError as error:
        messages.error(request, say(error))
    else:
        messages.success(request, _("Đã loại nhiệm vụ khỏi danh sách."))
    return _back(document)


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_split(request, pk: int, task_pk: int):
    document = _reviewable(request, pk)
    task = _draft(document, task_pk, request.user)
    form = SplitForm(request.POST, prefix=f"s{task.pk}")
    if form.is_valid():
        try:
            parts = services.split_task(task, form.cleaned_data["parts"], actor=request.user)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã tách thành %(n)s nhiệm vụ.") % {"n": len(parts)})
            return _back(document, parts[0])
    return review_page(request, document, {("split", task.pk): form}, status=400)


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_merge(request, pk: int):
    document = _reviewable(request, pk)
    ids = [int(i) for i in request.POST.getlist("tasks") if i.isdigit()]
    tasks = list(document.tasks.filter(pk__in=ids))
    for task in tasks:
        access.require(request.user, "review", task)
    try:
        merged = services.merge_tasks(tasks, actor=request.user)
    except ServiceError as error:
        return review_page(request, document, {"merge": say(error)}, status=400)
    messages.success(request, _("Đã gộp %(n)s nhiệm vụ.") % {"n": len(tasks)})
    return _back(document, merged)


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_add(request, pk: int):
    document = _reviewable(request, pk)
    form = AddTaskForm(request.POST, prefix="add", doc_date=document.issued_date)
    if form.is_valid():
        data = form.cleaned_data
        due, text = data["deadline"]
        start, end = data.get("source_start"), data.get("source_end")
        if start is None or end is None or document.text[start:end].strip() == "":
            found = document.text.find(data["content"].strip())
            start, end = (found, found + len(data["content"].strip())) if found >= 0 else (None, None)
        try:
            task = services.add_task(document, content=data["content"], lead=data["lead"], support=data["support"],
                                     due=due, deadline_text=text, source_start=start, source_end=end,
                                     actor=request.user)
        except ServiceError as error:
            apply_service_error(form, error, {"due": "deadline", "source_start": None})
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return _back(document, task)
    return review_page(request, document, {"add": form}, status=400)


@require_POST
@access.roles(access.Role.ADMIN, access.Role.OFFICER)
def review_confirm(request, pk: int):
    document = _reviewable(request, pk)
    drafts = document.tasks.filter(status=Task.Status.DRAFT)
    without_lead = drafts.exclude(pk__in=TaskAgency.objects.filter(role="lead", active=True).values("task_id"))
    if without_lead.exists():
        messages.error(request, _("Còn %(n)s nhiệm vụ chưa có cơ quan chủ trì; bổ sung hoặc loại trước khi xác "
                                  "nhận.") % {"n": without_lead.count()})
        return _back(document, without_lead.first())
    n = drafts.count()
    try:
        services.confirm_document(document, actor=request.user)
    except ServiceError as error:
        messages.error(request, say(error))
        return _back(document)
    messages.success(request, _("Đã xác nhận văn bản và %(n)s nhiệm vụ; các nhiệm vụ bắt đầu được theo dõi.")
                     % {"n": n})
    return redirect(reverse("web:tasks") + f"?document={document.pk}")
