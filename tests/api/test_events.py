"""Follow-up events: each answers with the event and the task's new state; a refused one records nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.tracking import services

from .conftest import counts, files_in, task_state


def post(client, task, action, body=None, **kwargs):
    return client.post(f"/api/tasks/{task.pk}/{action}/", body if body is not None else {},
                       format=kwargs.pop("format", "json"), **kwargs)


def refused(client, task, action, body, status, code, **kwargs):
    before, stored = counts(), task_state(task)
    answer = post(client, task, action, body, **kwargs)
    assert answer.status_code == status, answer.json()
    assert answer.json()["error"]["code"] == code, answer.json()
    assert counts() == before and task_state(task) == stored
    return answer.json()["error"]


def test_progress_answers_with_the_event_and_the_new_state(api, confirmed):
    answer = post(api("finance_focal"), confirmed.report, "progress", {"text": "Đã gửi báo cáo quý I"})
    assert answer.status_code == 201
    body = answer.json()
    assert body["event"]["kind"] == "progress" and body["event"]["kind_label"] == "Báo cáo tiến độ"
    assert body["event"]["data"] == {"text": "Đã gửi báo cáo quý I", "percent": None}
    assert body["task"]["state"] == "in_progress" and body["task"]["id"] == confirmed.report.pk


@pytest.mark.parametrize("body, status, code, field", [
    ({"text": "Đã họp", "percent": 101}, 400, "max_value", "percent"),
    ({"text": "Đã họp", "percent": "nhiều"}, 400, "invalid", "percent"),
    ({"text": "   "}, 400, "empty_report", "text"),
    ({}, 400, "required", "text"),
    ({"text": "Đã họp", "on": "2026-04-16"}, 400, "future_date", "on"),
    ({"text": "Đã họp", "on": "2026-04-31"}, 400, "invalid_date", "on"),
    ({"text": "Đã họp", "on": "2026-03-01"}, 400, "before_assignment", "on"),  # the directive is of 10/3
    ({"text": "Đã họp", "files": ["a.pdf"]}, 400, "invalid", "files.0"),
    ({"text": "Đã họp", "note": "x"}, 400, "unknown_field", "note"),
])
def test_bad_progress_reports_are_refused(api, confirmed, body, status, code, field):
    error = refused(api("finance_focal"), confirmed.inspect, "progress", body, status, code)
    assert field in error["fields"]


def test_progress_on_a_draft_is_409(api, drafts):
    refused(api("admin"), drafts.inspect, "progress", {"text": "Đã họp"}, 409, "task_not_open")


def test_evidence_over_the_limit_is_413_and_nothing_is_stored(api, confirmed, settings, media):
    settings.MAX_UPLOAD_BYTES = 100
    body = {"text": "Kèm biên bản", "files": [SimpleUploadedFile("ok.txt", b"small"),
                                              SimpleUploadedFile("big.pdf", b"x" * 500)]}
    error = refused(api("finance_focal"), confirmed.inspect, "progress", body, 413, "too_large", format="multipart")
    assert "files" in error["fields"]
    assert files_in(media) == []


def test_evidence_files_are_stored_with_their_hash(api, confirmed, media):
    import hashlib

    answer = post(api("finance_focal"), confirmed.inspect, "progress", {
        "text": "Kèm biên bản", "percent": 50, "files": [SimpleUploadedFile("../../bien ban.pdf", b"%PDF-1.4")]},
        format="multipart")
    assert answer.status_code == 201, answer.json()
    (evidence,) = answer.json()["event"]["files"]
    assert evidence["name"] == "bien ban.pdf" and evidence["size"] == 8
    assert evidence["sha256"] == hashlib.sha256(b"%PDF-1.4").hexdigest()
    assert len(files_in(media / "evidence")) == 1


def test_extension_request_and_refusal(api, confirmed):
    focal, officer = api("finance_focal"), api("officer")
    asked = post(focal, confirmed.inspect, "extension-request", {"due": "2026-07-31", "reason": "Thiếu số liệu"})
    assert asked.status_code == 201 and asked.json()["event"]["data"]["due"] == "2026-07-31"
    refused(focal, confirmed.inspect, "extension-request", {"due": "2026-08-31", "reason": "Lần nữa"}, 409,
            "extension_pending")
    answer = post(officer, confirmed.inspect, "extension-decision", {"approve": False, "reason": "Không có cơ sở"})
    assert answer.status_code == 201 and answer.json()["event"]["kind"] == "extension_refused"
    assert answer.json()["task"]["due_date"] == "2026-06-30" and answer.json()["task"]["extensions"] == 0


def test_an_extension_approved_with_another_date(api, confirmed):
    post(api("finance_focal"), confirmed.inspect, "extension-request", {"due": "2026-09-30", "reason": "Thiếu"})
    answer = post(api("officer"), confirmed.inspect, "extension-decision", {"approve": True, "due": "2026-08-15"})
    assert answer.status_code == 201 and answer.json()["task"]["due_date"] == "2026-08-15"


@pytest.mark.parametrize("body, status, code", [
    ({"due": "2026-06-30", "reason": "Chậm"}, 400, "extension_not_later"),
    ({"due": "2026-07-31", "reason": " "}, 400, "reason_required"),
    ({"due": "2026-13-01", "reason": "Chậm"}, 400, "invalid_date"),
    ({"reason": "Chậm"}, 400, "required"),
    ({"due": "2026-07-31", "reason": "Chậm", "approve": True}, 400, "unknown_field"),
])
def test_bad_extension_requests_are_refused(api, confirmed, body, status, code):
    refused(api("finance_focal"), confirmed.inspect, "extension-request", body, status, code)


def test_a_decision_needs_a_request_and_a_yes_or_no(api, confirmed):
    officer = api("officer")
    refused(officer, confirmed.inspect, "extension-decision", {"approve": True}, 409, "no_extension_request")
    post(api("finance_focal"), confirmed.inspect, "extension-request", {"due": "2026-07-31", "reason": "Thiếu"})
    refused(officer, confirmed.inspect, "extension-decision", {"reason": "?"}, 400, "required")
    error = refused(officer, confirmed.inspect, "extension-decision", {"approve": "có lẽ"}, 400, "invalid")
    assert error["fields"]["approve"][0]["vi"] == "Cần giá trị đúng/sai (true hoặc false)."
    refused(officer, confirmed.inspect, "extension-decision", {"approve": True, "due": "2026-01-01"}, 400,
            "due_before_assignment")


def test_a_transfer_closes_the_task_and_opens_one_for_the_receiving_agency(api, confirmed, org):
    answer = post(api("officer"), confirmed.report, "transfer", {
        "to": ["Bộ Y tế"], "reason": "Thuộc chức năng của Bộ Y tế", "decision": "Công văn 99/VPCP-KTTH",
        "due": "2026-10-31"})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["task"]["state"] == "transferred" and body["event"]["kind"] == "transferred"
    assert body["event"]["data"]["to"] == [org.health.pk]
    new = body["new_task"]
    assert new["state"] == "not_due" and new["lead"] == [{"id": org.health.pk, "name": "Bộ Y tế"}]
    assert new["parent"] == confirmed.report.pk and new["due_date"] == "2026-10-31"
    # the receiving agency's focal point now sees and reports on it; the old one still sees the closed task
    progress = api("health_focal").post(f"/api/tasks/{new['id']}/progress/", {"text": "Đã nhận"}, format="json")
    assert progress.status_code == 201
    assert api("finance_focal").get(f"/api/tasks/{confirmed.report.pk}/").json()["state"] == "transferred"


@pytest.mark.parametrize("body, status, code", [
    ({"to": ["Bộ Y tê'"], "reason": "x"}, 400, "unknown_agency"),
    ({"to": ["Cục Thuế"], "reason": "x"}, 400, "transfer_same_agency"),
    ({"to": [], "reason": "x"}, 400, "min_length"),
    ({"to": ["Bộ Y tế"], "reason": ""}, 400, "reason_required"),
    ({"to": ["Bộ Y tế"], "reason": "x", "due": "2020-01-01"}, 400, "due_before_assignment"),
])
def test_bad_transfers_are_refused(api, confirmed, body, status, code):
    error = refused(api("officer"), confirmed.report, "transfer", body, status, code)
    if code == "unknown_agency":
        assert error["closest"] and "to" in error["fields"]


def test_withdraw_then_reopen(api, confirmed):
    officer = api("officer")
    answer = post(officer, confirmed.hospitals, "withdraw", {"reason": "Không còn phù hợp", "decision": "CV 12"})
    assert answer.status_code == 201 and answer.json()["task"]["state"] == "withdrawn"
    refused(officer, confirmed.hospitals, "withdraw", {"reason": "Lần nữa"}, 409, "task_not_open")
    refused(officer, confirmed.hospitals, "reopen", {"reason": ""}, 400, "reason_required")
    reopened = post(officer, confirmed.hospitals, "reopen", {"reason": "Chỉ đạo mới"})
    assert reopened.status_code == 201 and reopened.json()["task"]["state"] == "not_due"


def test_completion_late_and_on_a_given_day(api, confirmed, clock):
    focal = api("finance_focal")
    clock.set(date(2026, 7, 10))
    late = post(focal, confirmed.inspect, "complete", {"result": "Xong"})
    assert late.status_code == 201 and late.json()["task"]["state"] == "done_late"
    on_time = post(focal, confirmed.report, "complete", {"result": "Xong", "on": "2026-06-01"})
    assert on_time.json()["task"]["state"] == "done_on_time" and on_time.json()["task"]["done_on"] == "2026-06-01"
    refused(focal, confirmed.inspect, "complete", {}, 409, "task_not_open")


@pytest.mark.parametrize("body, status, code", [
    ({"on": "2026-04-16"}, 400, "future_date"),
    ({"on": "2026-03-01"}, 400, "before_assignment"),  # the directive is of 10/3
    ({"on": "2026-02-29"}, 400, "invalid_date"),
    ({"on": "2026-04-01T10:00:00"}, 400, "invalid_date"),
    ({"result": ["a"]}, 400, "invalid"),
])
def test_bad_completions_are_refused(api, confirmed, body, status, code):
    refused(api("finance_focal"), confirmed.inspect, "complete", body, status, code)


def test_reopening_an_open_task_is_409(api, confirmed):
    refused(api("officer"), confirmed.inspect, "reopen", {"reason": "x"}, 409, "not_closed")


def test_the_events_of_a_task_page_by_page(api, confirmed, users):
    for percent in (10, 20, 30):
        services.report_progress(confirmed.inspect, text=f"{percent}%", percent=percent, actor=users.finance_focal)
    page = api("finance_focal").get(f"/api/tasks/{confirmed.inspect.pk}/events/", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 5
    assert [e["kind"] for e in page["results"]] == ["progress", "progress"]
    assert [e["data"]["percent"] for e in page["results"]] == [10, 20]  # after created and confirmed
    assert all(len(e["hash"]) == 64 for e in page["results"])


def test_an_extension_cannot_move_the_deadline_earlier(api, confirmed):
    post(api("finance_focal"), confirmed.inspect, "extension-request", {"due": "2026-07-31", "reason": "Thiếu"})
    refused(api("officer"), confirmed.inspect, "extension-decision", {"approve": True, "due": "2026-04-01"}, 400,
            "extension_not_later")


def test_a_reopening_and_later_reports_keep_the_order_of_days(api, confirmed):
    focal, officer = api("finance_focal"), api("officer")
    post(focal, confirmed.inspect, "complete", {"result": "Xong", "on": "2026-04-10"})
    refused(officer, confirmed.inspect, "reopen", {"reason": "Chưa đạt", "on": "2026-04-09"}, 400,
            "before_last_event")
    assert post(officer, confirmed.inspect, "reopen", {"reason": "Chưa đạt", "on": "2026-04-12"}).status_code == 201
    refused(focal, confirmed.inspect, "complete", {"on": "2026-04-11"}, 400, "before_reopening")
    refused(focal, confirmed.inspect, "progress", {"text": "Đã bổ sung", "on": "2026-04-11"}, 400, "before_reopening")
