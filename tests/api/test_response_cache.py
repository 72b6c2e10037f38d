"""The task list's response cache (``dondoc.api.cache``, on with ``DONDOC_API_CACHE``): a repeated request with the
same token is answered from Redis without a query; any committed write (an event, a user, a token, an agency)
makes the next answer fresh; answers are kept per token; a session, another Accept or a Redis that does not answer
go through Django as usual. Skipped when no Redis answers on 127.0.0.1:6379."""

from __future__ import annotations

import uuid

import pytest

REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def cached(settings):
    """The cache on, under a prefix of this test's own (removed afterwards)."""
    import redis

    prefix = f"dondoc-test:{uuid.uuid4().hex}"
    settings.API_CACHE = {"URL": REDIS, "TTL": 60, "PREFIX": prefix, "PATHS": ("/api/tasks/",)}
    yield prefix
    server = redis.Redis.from_url(REDIS)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def token_client(users):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def client(role: str = "officer"):
        token, _ = Token.objects.get_or_create(user=getattr(users, role))
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        c.token = token
        return c

    return client


LIST = "/api/tasks/?sort=id"


def test_a_repeated_request_is_answered_from_the_cache_without_a_query(cached, token_client, confirmed,
                                                                       django_assert_num_queries):
    officer = token_client("officer")
    first = officer.get(LIST)
    assert first.status_code == 200 and first["X-Cache"] == "miss" and first.json()["count"] == 3
    with django_assert_num_queries(0):
        again = officer.get(LIST)
    assert again["X-Cache"] == "hit" and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    for header in ("Vary", "Allow", "X-Frame-Options", "X-Content-Type-Options"):
        assert again[header] == first[header]
    # another address, another answer
    assert officer.get(LIST + "&page_size=1")["X-Cache"] == "miss"


def test_an_event_written_makes_the_next_answer_fresh(cached, token_client, confirmed,
                                                     django_capture_on_commit_callbacks):
    officer, focal = token_client("officer"), token_client("finance_focal")
    before = {t["id"]: t for t in officer.get(LIST).json()["results"]}
    assert before[confirmed.report.pk]["progress_percent"] == 0
    assert officer.get(LIST)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        answer = focal.post(f"/api/tasks/{confirmed.report.pk}/progress/", {"text": "Đã gửi", "percent": 40},
                            format="json")
    assert answer.status_code == 201
    fresh = officer.get(LIST)
    assert fresh["X-Cache"] == "miss"
    after = {t["id"]: t for t in fresh.json()["results"]}
    assert after[confirmed.report.pk]["progress_percent"] == 40
    assert after[confirmed.report.pk]["state"] == "in_progress"
    assert officer.get(LIST)["X-Cache"] == "hit"


def test_a_write_through_the_services_and_an_agency_renamed_make_answers_fresh(cached, token_client, confirmed,
                                                                              org, django_capture_on_commit_callbacks):
    from dondoc.tracking import services

    officer = token_client("officer")
    officer.get(LIST)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_task(confirmed.inspect)
    answer = officer.get(LIST)
    assert answer["X-Cache"] == "miss"
    assert {t["id"]: t["state"] for t in answer.json()["results"]}[confirmed.inspect.pk] == "done_on_time"
    with django_capture_on_commit_callbacks(execute=True):
        org.tax.name = "Cục Thuế (mới)"
        org.tax.save()
    names = {a["name"] for t in officer.get(LIST).json()["results"] for a in t["lead"]}
    assert "Cục Thuế (mới)" in names and "Cục Thuế" not in names


def test_answers_are_kept_per_token(cached, token_client, confirmed):
    officer, focal = token_client("officer"), token_client("health_focal")
    everything = [t["id"] for t in officer.get(LIST).json()["results"]]
    assert officer.get(LIST)["X-Cache"] == "hit"
    mine = focal.get(LIST)
    assert mine["X-Cache"] == "miss"
    assert [t["id"] for t in mine.json()["results"]] == [confirmed.inspect.pk, confirmed.hospitals.pk]
    assert len(everything) == 3


def test_a_deleted_token_is_refused_at_once(cached, token_client, confirmed, django_capture_on_commit_callbacks):
    officer = token_client("officer")
    officer.get(LIST)
    assert officer.get(LIST)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        officer.token.delete()
    refused = officer.get(LIST)
    assert refused.status_code == 401 and "X-Cache" not in refused


def test_a_user_given_another_role_sees_what_the_new_role_allows(cached, token_client, confirmed, users, org,
                                                                django_capture_on_commit_callbacks):
    officer = token_client("officer")
    assert len(officer.get(LIST).json()["results"]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        profile = users.officer.profile
        profile.role, profile.agency = "focal_point", org.health
        profile.save()
    assert [t["id"] for t in officer.get(LIST).json()["results"]] == [confirmed.inspect.pk, confirmed.hospitals.pk]


def test_another_day_is_a_fresh_answer(cached, token_client, confirmed, clock):
    from datetime import date

    officer = token_client("officer")
    officer.get("/api/tasks/?state=overdue")
    assert officer.get("/api/tasks/?state=overdue").json()["count"] == 0
    clock.set(date(2026, 7, 1))  # the first task (30/6) is now overdue, with no write at all
    answer = officer.get("/api/tasks/?state=overdue")
    assert answer["X-Cache"] == "miss" and [t["id"] for t in answer.json()["results"]] == [confirmed.inspect.pk]


def test_what_the_cache_leaves_alone(cached, token_client, api, confirmed):
    officer = token_client("officer")
    assert "X-Cache" not in api("officer").get(LIST)  # no token header (a session, or DRF's test login)
    assert "X-Cache" not in officer.get(LIST, HTTP_ACCEPT="text/html")
    assert "X-Cache" not in officer.get(LIST + "&format=json")
    assert "X-Cache" not in officer.get(f"/api/tasks/{confirmed.inspect.pk}/")
    officer.cookies["sessionid"] = "x"
    assert "X-Cache" not in officer.get(LIST)
    refused = token_client("officer").get("/api/tasks/?sort=nonsense")
    assert refused.status_code == 400 and "X-Cache" not in refused  # errors are not kept


def test_without_redis_requests_are_answered_as_usual(settings, token_client, confirmed):
    settings.API_CACHE = {"URL": "redis://127.0.0.1:1/0", "TTL": 60, "PREFIX": "x", "PATHS": ("/api/tasks/",)}
    answer = token_client("officer").get(LIST)
    assert answer.status_code == 200 and answer.json()["count"] == 3 and "X-Cache" not in answer
