"""Who may reach which page: thin wrappers over ``tracking.policy`` (the one place permissions are decided).

A task or document the user may not see answers 404 (its existence does not leak); one the user sees but may not
act on answers 403."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Document, Profile, Task
from dondoc.tracking.selectors import TaskFilter

Role = Profile.Role
OFFICE_ROLES = (Role.ADMIN, Role.OFFICER)
READER_ROLES = (Role.ADMIN, Role.OFFICER, Role.LEADER)


def role_of(user) -> str | None:
    return policy.role_of(user)


def agency_of(user):
    profile = getattr(user, "profile", None)
    return profile.agency if profile is not None and profile.agency_id else None


def public_enabled() -> bool:
    return getattr(settings, "DONDOC_PUBLIC_TASKS", True)


def signed_in(view):
    """Pages for signed-in users with a role; others go to the sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if role_of(request.user) is None:
            raise PermissionDenied("no role")
        return view(request, *args, **kwargs)

    return wrapper


def roles(*allowed: str):
    """Signed in and one of ``allowed`` roles (403 otherwise)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in allowed:
                raise PermissionDenied("role")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def readable(view):
    """Task pages: signed-in users with a role, and anonymous visitors when public tasks are enabled."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if not public_enabled():
                return redirect_to_login(request.get_full_path())
        elif role_of(request.user) is None:
            raise PermissionDenied("no role")
        return view(request, *args, **kwargs)

    return wrapper


def require(user, action: str, task: Task | None = None) -> None:
    if not policy.can(user, action, task):
        raise PermissionDenied(action)


def task_for(user, pk: int) -> Task:
    """A task the user may see, with its ``bucket`` today (drafts only for those who review)."""
    qs = selectors.tasks(TaskFilter(include_drafts=True)).filter(pk=pk).select_related("document", "parent")
    task = policy.visible_tasks(user, qs).first()
    if task is None:
        raise Http404
    return task


def document_for(user, pk: int) -> Document:
    document = policy.visible_documents(user, Document.objects.filter(pk=pk)).select_related("issuer").first()
    if document is None:
        raise Http404
    return document
