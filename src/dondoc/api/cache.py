"""A response cache for the task list, in Redis, for API clients that authenticate with a token. Off unless
``DONDOC_API_CACHE`` names a Redis server (``redis://127.0.0.1:6379/0``).

What it keeps: the whole answer (status, headers, body) of ``GET /api/tasks/?...`` for one token, one address
(path and query string, as sent) and one ``Accept``/``Accept-Language``, with the data version and the day it was
computed on. What it serves: that answer, again, to the same token asking the same thing while both the data
version and the day are unchanged. Everything else goes through Django as usual.

The data version (``<prefix>:version`` in Redis) is raised after every committed write of a tracking record
(events, tasks, assignments, documents, agencies and their names and successions, profiles), of a user or of a
token: ``post_save``/``post_delete`` of those models, run at commit (``transaction.on_commit``), so an answer
computed before a write is never served after it. A token deleted (signed out), a user deactivated or given
another role, an agency renamed or merged: each is such a write. The version is read *before* the answer is
computed and stored with it, so an answer computed while a write commits is stored under the older version and
not served once the version moves. Writes that bypass the ORM's signals (``QuerySet.update`` alone, raw SQL, the
scale benchmark's bulk fill) must call ``bump()``; the services always save the task itself alongside such
updates. Entries also expire (``DONDOC_API_CACHE_TTL``, 300 s), which bounds what a write made while Redis was
unreachable could leave behind. If Redis does not answer, requests are computed as if there were no cache.

Only requests with ``Authorization: Token ...`` and no session cookie are cached (a session would authenticate
first), without a ``format`` parameter and asking for JSON (no ``Accept``, ``*/*`` or ``application/json``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

log = logging.getLogger(__name__)

#: apps whose records a task list answer (or the user and token behind it) is made of
WATCHED_APPS = frozenset({"tracking", "auth", "authtoken"})
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})

_client: Any = None
_client_url: str | None = None


def config() -> dict:
    return getattr(settings, "API_CACHE", None) or {}


def enabled() -> bool:
    return bool(config().get("URL"))


def client():
    """One Redis connection pool per process (and per URL, for tests that change it)."""
    global _client, _client_url
    url = config()["URL"]
    if _client is None or _client_url != url:
        import redis

        _client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        _client_url = url
    return _client


def _prefix() -> str:
    return config().get("PREFIX") or f"dondoc:{settings.DATABASES['default']['NAME']}"


def version_key() -> str:
    return f"{_prefix()}:version"


def bump() -> None:
    """Raise the data version now: every answer cached so far is stale."""
    if not enabled():
        return
    try:
        client().incr(version_key())
    except Exception as error:  # Redis down: entries left behind expire after the TTL
        log.warning("api cache: could not raise the data version (%s); cached answers expire within %s s",
                    error, config().get("TTL", 300))


def _on_write(sender, **kwargs) -> None:
    if enabled() and sender._meta.app_label in WATCHED_APPS:
        transaction.on_commit(bump, robust=True)


def connect_signals() -> None:
    post_save.connect(_on_write, dispatch_uid="dondoc-api-cache-save")
    post_delete.connect(_on_write, dispatch_uid="dondoc-api-cache-delete")


def _token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, key = header.partition(" ")
    return key.strip() if kind.lower() == "token" and key.strip() else None


def _entry_key(request, token: str) -> str:
    who = hashlib.sha256(token.encode()).hexdigest()[:32]
    what = hashlib.sha256("\n".join((request.get_full_path(), request.META.get("HTTP_ACCEPT", ""),
                                     request.META.get("HTTP_ACCEPT_LANGUAGE", ""))).encode()).hexdigest()[:32]
    return f"{_prefix()}:answer:{who}:{what}"


def _cacheable(request) -> str | None:
    """The request's token when this cache may answer it, else None."""
    if request.method != "GET" or request.path_info not in config().get("PATHS", ()):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "format" in request.GET:
        return None
    if request.META.get("HTTP_ACCEPT", "").strip() not in JSON_ACCEPTS:
        return None
    return _token(request)


class ResponseCache:
    """The middleware; first in ``MIDDLEWARE``, so a cached answer skips the rest (the headers the others add are
    stored with it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _cacheable(request) if enabled() else None
        if token is None:
            return self.get_response(request)
        key, today = _entry_key(request, token), timezone.localdate().isoformat()
        try:
            version, entry = client().mget(version_key(), key)
        except Exception as error:
            log.warning("api cache: Redis did not answer (%s); computing the answer", error)
            return self.get_response(request)
        version = (version or b"0").decode()
        if entry is not None:
            head, _, body = entry.partition(b"\n")
            stored_version, stored_day, status, headers = json.loads(head)
            if stored_version == version and stored_day == today:
                response = HttpResponse(body, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Cache"] = "hit"
                return response
        response = self.get_response(request)
        auth = getattr(request, "auth", None)
        if response.status_code == 200 and not response.streaming and not response.cookies \
                and getattr(auth, "key", None) == token:
            head = json.dumps([version, today, response.status_code, list(response.items())]).encode()
            try:
                client().set(key, head + b"\n" + response.content, ex=int(config().get("TTL", 300)))
            except Exception as error:
                log.warning("api cache: could not store an answer (%s)", error)
            response["X-Cache"] = "miss"
        return response
