"""Who may reach what, for the endpoints: thin wrappers over ``tracking.policy`` that turn its answers into 401,
403 and 404 in the API's error shape. A task (or document) the user may not see is 404, never 403, so its existence
does not leak; one the user sees but may not act on is 403."""

from __future__ import annotations

from rest_framework import permissions

from dondoc.tracking import policy
from dondoc.tracking.models import Document, Task

from .errors import ApiError
from .present import task_queryset


def not_found(what_vi: str = "Không tìm thấy.", what_en: str = "Not found.") -> ApiError:
    return ApiError("not_found", what_vi, what_en, status=404)


def forbidden() -> ApiError:
    return ApiError("forbidden", "Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this.",
                    status=403)


# Reads are open (what an anonymous user sees is narrowed by ``policy.visible_tasks``); writes need a signed-in user
# (401 otherwise); what each role may write is then decided by ``policy.can`` (403). DRF's own class, so the OpenAPI
# description marks these reads as open to anonymous users.
ReadAnyoneWriteSignedIn = permissions.IsAuthenticatedOrReadOnly


def require(user, action: str, task: Task | None = None) -> None:
    if not policy.can(user, action, task):
        raise forbidden()


def visible_task(user, pk: int) -> Task:
    task = policy.visible_tasks(user, task_queryset().filter(pk=pk)).select_related("document").first()
    if task is None:
        raise not_found("Không tìm thấy nhiệm vụ.", "Task not found.")
    return task


def visible_document(user, pk: int) -> Document:
    document = policy.visible_documents(user, Document.objects.filter(pk=pk)).select_related("issuer").first()
    if document is None:
        raise not_found("Không tìm thấy văn bản.", "Document not found.")
    return document
