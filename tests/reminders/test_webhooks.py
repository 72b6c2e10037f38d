"""Webhooks through a real HTTP receiver on loopback: signed JSON, retried after a 5xx or a timeout, not after a 4xx."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dondoc.reminders.models import Delivery, Notification, WebhookEndpoint
from dondoc.reminders.runner import run_pass

pytestmark = pytest.mark.django_db

WED = date(2027, 2, 3)
SECRET = "khóa-bí-mật-của-webhook"


@pytest.fixture
def endpoint(receiver, remind_settings):
    return WebhookEndpoint.objects.create(name="Hệ thống điều hành", url=receiver.url, secret=SECRET)


@pytest.fixture
def three_tasks(org, make_task):
    return [make_task(date(2027, 2, 11), content="Rà soát danh mục thuốc"),
            make_task(date(2027, 2, 11), lead=org.health, content="Bảo đảm cung ứng thuốc dịp Tết"),
            make_task(date(2027, 1, 20), lead=org.tax, content="Quyết toán thuế năm 2026")]


def test_reminders_are_posted_as_json_signed_with_the_endpoint_secret(endpoint, receiver, three_tasks):
    result = run_pass(WED)
    assert result.delivered.sent == 3 and result.delivered.messages == 1
    (request,) = receiver.requests
    body, headers = request["body"], request["headers"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Dondoc-Signature"], expected)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(body)
    assert payload["type"] == "dondoc.reminders" and payload["delivery"] == headers["X-Dondoc-Delivery"]
    by_task = {r["task"]["id"]: r for r in payload["reminders"]}
    first = by_task[three_tasks[0].pk]
    assert first["window"] == "before:1@2027-02-11" and first["kind"] == "before"
    assert first["text"] == "Hạn 11/02/2027, còn 1 ngày làm việc"
    assert first["task"]["lead"] == ["Bộ Tài chính"] and first["task"]["due_date"] == "2027-02-11"
    assert by_task[three_tasks[2].pk]["text"] == "Quá hạn 14 ngày (hạn 20/01/2027)"
    assert {r["notification"] for r in payload["reminders"]} == set(Notification.objects.values_list("pk", flat=True))
    assert run_pass(WED).delivered.sent == 0 and len(receiver.requests) == 1


def test_a_500_is_retried_after_the_backoff_and_delivered_once(endpoint, receiver, three_tasks):
    receiver.statuses = [500]
    t0 = timezone.now()
    first = run_pass(WED, now=t0)
    assert (first.delivered.sent, first.delivered.retrying) == (0, 3)
    row = Notification.objects.first()
    assert row.state == "pending" and row.attempts == 1 and "trả lời 500" in row.last_error
    assert "lỗi máy chủ" in row.last_error  # the answer is kept
    assert run_pass(WED, now=t0 + timedelta(seconds=59)).delivered.sent == 0
    assert len(receiver.requests) == 1
    second = run_pass(WED, now=t0 + timedelta(seconds=60))
    assert second.delivered.sent == 3
    assert [r["status"] for r in receiver.requests] == [500, 200]
    assert receiver.requests[0]["body"] != receiver.requests[1]["body"]  # a new delivery id and time ...
    retried = [{r["notification"] for r in req["json"]["reminders"]} for req in receiver.requests]
    assert retried[0] == retried[1]  # ... for the same notifications
    assert list(Delivery.objects.order_by("pk").values_list("ok", "status_code")) == [(False, 500), (True, 200)]


def test_a_4xx_is_not_retried_and_the_answer_is_recorded(endpoint, receiver, three_tasks):
    receiver.statuses = [401]
    result = run_pass(WED)
    assert (result.delivered.failed, result.delivered.retrying) == (3, 0)
    assert set(Notification.objects.values_list("state", "attempts")) == {("failed", 1)}
    assert "trả lời 401" in Notification.objects.first().last_error
    assert run_pass(WED, now=timezone.now() + timedelta(days=1)).delivered.sent == 0


def test_a_receiver_too_slow_to_answer_is_retried(endpoint, receiver, three_tasks, remind_settings):
    remind_settings(WEBHOOK_TIMEOUT=0.3)
    receiver.delay = 1
    result = run_pass(WED)
    assert result.delivered.retrying == 3
    assert "không trả lời sau 0.3 giây" in Notification.objects.first().last_error


def test_batches_of_an_endpoint_that_is_down_wait_with_it(endpoint, receiver, three_tasks, remind_settings):
    remind_settings(WEBHOOK_BATCH=1)
    receiver.statuses = [503]
    result = run_pass(WED)
    assert result.delivered.retrying == 3 and len(receiver.requests) == 1  # one try, not three
    assert Delivery.objects.filter(error__startswith="Chưa gửi / not tried").count() == 2


def test_an_agency_endpoint_hears_only_of_its_agency_and_units(receiver, remind_settings, org, three_tasks):
    WebhookEndpoint.objects.create(url=receiver.url, secret=SECRET, agency=org.finance)
    WebhookEndpoint.objects.create(url=receiver.url, secret=SECRET, agency=org.province)
    WebhookEndpoint.objects.create(url=receiver.url, secret=SECRET, active=False)
    run_pass(WED)
    (request,) = receiver.requests
    # Bộ Tài chính's own task and Cục Thuế's (a unit under it), not Bộ Y tế's
    assert {r["task"]["id"] for r in request["json"]["reminders"]} == {three_tasks[0].pk, three_tasks[2].pk}


def test_only_http_urls_are_accepted():
    hook = WebhookEndpoint(url="file:///etc/passwd", secret="x")
    with pytest.raises(ValidationError):
        hook.clean()
