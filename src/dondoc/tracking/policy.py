"""Who may see and do what. Plain functions over a user's profile, used by the API and the web pages alike, so a
permission is enforced in one place rather than by hiding buttons.

Roles (``Profile.Role``):
- administrator: everything;
- tracking officer (chuyên viên theo dõi): ingests and reviews documents, decides extensions, transfers, withdraws,
  completes and reopens tasks; with an agency set, only tasks of documents that agency (or its units) issued,
  or tasks it leads;
- agency focal point (đầu mối): reads the tasks its agency (with sub-units and predecessors) leads or supports,
  reports progress, requests extensions and reports completion on the tasks it leads;
- leader (lãnh đạo): reads everything in scope (the agency's, or everything without one);
- anyone, signed in or not: tasks marked public, once confirmed.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Document, Profile, Task, TaskAgency
from .services import agency_scope

Role = Profile.Role

OFFICE_ACTIONS = {"ingest", "review", "decide_extension", "transfer", "withdraw", "complete", "reopen", "add_subtask"}
AGENCY_ACTIONS = {"report", "request_extension", "complete", "add_subtask"}


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def _scope(user) -> set[int] | None:
    """Agency ids the user's work covers; None means no limit."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.agency_id is None:
        return None
    return agency_scope(profile.agency)


def visible_tasks(user, qs: QuerySet[Task]) -> QuerySet[Task]:
    role = role_of(user)
    if role is None:
        return qs.filter(is_public=True).exclude(status__in=(Task.Status.DRAFT, Task.Status.DISCARDED))
    if role == Role.ADMIN:
        return qs
    scope = _scope(user)
    if role == Role.FOCAL_POINT:
        if scope is None:
            return qs.none()
        return qs.filter(Exists(TaskAgency.objects.filter(task=OuterRef("pk"), agency_id__in=scope))
                         ).exclude(status__in=(Task.Status.DRAFT, Task.Status.DISCARDED))
    if scope is None:
        return qs
    return qs.filter(Q(document__issuer_id__in=scope)
                     | Exists(TaskAgency.objects.filter(task=OuterRef("pk"), agency_id__in=scope)))


def visible_documents(user, qs: QuerySet[Document]) -> QuerySet[Document]:
    """Documents a user may open: all of them for an administrator and for an officer or leader whose work has no
    agency limit; otherwise those with at least one task the user sees, and those the user ingested."""
    role = role_of(user)
    if role is None:
        return qs.none()
    if role == Role.ADMIN or (role in (Role.OFFICER, Role.LEADER) and _scope(user) is None):
        return qs
    seen = visible_tasks(user, Task.objects.filter(document=OuterRef("pk")))
    return qs.filter(Q(Exists(seen)) | Q(created_by=user))


def sees_all(user) -> bool:
    """Does ``visible_tasks(user, qs)`` keep every task of ``qs``? (administrators; officers and leaders whose work
    has no agency limit). Then a page can be chosen before that filter (``selectors.due_page``)."""
    role = role_of(user)
    return role == Role.ADMIN or (role in (Role.OFFICER, Role.LEADER) and _scope(user) is None)


def sees_all_assigned(user, agency_ids: set[int]) -> bool:
    """Does ``visible_tasks(user, ...)`` keep every confirmed task assigned to one of ``agency_ids``? Then a page of
    such tasks can be chosen before this filter (``selectors.assignment_page``) without losing rows."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role is None:
        return False
    scope = _scope(user)
    if scope is None:
        return role != Role.FOCAL_POINT
    return agency_ids <= scope


def can_see(user, task: Task) -> bool:
    return visible_tasks(user, Task.objects.filter(pk=task.pk)).exists()


def can(user, action: str, task: Task | None = None) -> bool:
    """May ``user`` do ``action`` (to ``task``, when the action concerns one)?"""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.OFFICER and action in OFFICE_ACTIONS:
        return task is None or can_see(user, task)
    if role == Role.FOCAL_POINT and action in AGENCY_ACTIONS:
        if task is None:
            return action != "ingest"
        scope = _scope(user)
        return scope is not None and task.assignments.filter(
            role=TaskAgency.Role.LEAD, active=True, agency_id__in=scope).exists()
    return False


def can_manage_agencies(user) -> bool:
    return role_of(user) == Role.ADMIN
