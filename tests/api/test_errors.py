"""Every error in one shape, in Vietnamese and English, and no change of any kind when a request is refused."""

import pytest

from .conftest import counts, task_state


def shape(answer, status):
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert set(error["message"]) == {"vi", "en"} and error["message"]["vi"] and error["message"]["en"]
    for messages in error["fields"].values():
        assert messages and all(set(m) == {"vi", "en"} and m["vi"] and m["en"] for m in messages)
    return error


@pytest.mark.parametrize("method, url", [
    ("patch", "/api/tasks/{inspect}/"), ("post", "/api/tasks/{inspect}/confirm/"),
    ("post", "/api/tasks/{inspect}/discard/"), ("post", "/api/documents/"), ("post", "/api/tasks/merge/"),
])
def test_malformed_json_is_400_and_changes_nothing(api, drafts, method, url):
    before, stored = counts(), task_state(drafts.inspect)
    answer = getattr(api("officer"), method)(url.format(inspect=drafts.inspect.pk), '{"due": "2026-07-31",',
                                             content_type="application/json")
    error = shape(answer, 400)
    assert error["code"] == "malformed_json" and error["message"]["vi"] == "Nội dung JSON không hợp lệ."
    assert counts() == before and task_state(drafts.inspect) == stored


def test_a_json_body_that_is_not_an_object_is_400(api, drafts):
    answer = api("officer").patch(f"/api/tasks/{drafts.inspect.pk}/", [1, 2], format="json")
    error = shape(answer, 400)
    assert error["message"]["vi"] == "Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được list."


def test_unknown_fields_are_named_and_nothing_changes(api, confirmed):
    before = counts()
    answer = api("finance_focal").post(f"/api/tasks/{confirmed.inspect.pk}/progress/",
                                       {"text": "Đã họp", "precent": 40, "attachments": []}, format="json")
    error = shape(answer, 400)
    assert error["code"] == "unknown_field" and set(error["fields"]) == {"precent", "attachments"}
    assert error["message"]["vi"] == "Có trường không được hỗ trợ: attachments, precent."
    assert counts() == before


def test_an_unknown_field_in_a_form_upload_is_refused_too(api, confirmed):
    answer = api("finance_focal").post(f"/api/tasks/{confirmed.inspect.pk}/progress/",
                                       {"text": "Đã họp", "evidence": "x"}, format="multipart")
    assert shape(answer, 400)["code"] == "unknown_field"


@pytest.mark.parametrize("params", [{"due_from": "2026-02-30"}, {"due_to": "2026-6-31"}, {"as_of": "hôm qua"}])
def test_impossible_dates_in_a_query_are_400(api, confirmed, params):
    error = shape(api("officer").get("/api/tasks/", params), 400)
    assert error["code"] == "invalid_date" and set(error["fields"]) == set(params)


@pytest.mark.parametrize("day", ["2026-02-30", "2026-04-31", "2026-00-10", "10/05/2026"])
def test_impossible_dates_in_a_body_are_400_and_change_nothing(api, confirmed, day):
    before = counts()
    answer = api("finance_focal").post(f"/api/tasks/{confirmed.inspect.pk}/extension-request/",
                                       {"due": day, "reason": "Thiếu"}, format="json")
    assert shape(answer, 400)["code"] == "invalid_date"
    assert counts() == before


def test_writes_without_sign_in_are_401(api, confirmed):
    before = counts()
    answer = api("anonymous").post(f"/api/tasks/{confirmed.inspect.pk}/complete/", {}, format="json")
    assert shape(answer, 401)["code"] == "not_authenticated"
    assert counts() == before


def test_a_task_the_user_may_not_see_is_404_not_403(api, confirmed):
    # Bộ Y tế has nothing to do with task 3: its focal point cannot even tell that it exists
    error = shape(api("health_focal").post(f"/api/tasks/{confirmed.report.pk}/complete/", {}, format="json"), 404)
    assert error["code"] == "not_found"
    assert shape(api("health_focal").get(f"/api/tasks/{confirmed.report.pk}/"), 404) == error | {
        "message": {"vi": "Không tìm thấy nhiệm vụ.", "en": "Task not found."}}
    # task 1, which it supports, it sees but may not complete
    assert shape(api("health_focal").post(f"/api/tasks/{confirmed.inspect.pk}/complete/", {}, format="json"),
                 403)["code"] == "forbidden"


def test_a_conflict_with_the_tasks_state_is_409(api, confirmed):
    error = shape(api("officer").post(f"/api/tasks/{confirmed.inspect.pk}/confirm/"), 409)
    assert error["code"] == "not_draft"


def test_a_json_body_over_the_request_limit_is_413(api, confirmed, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = counts()
    answer = api("finance_focal").post(f"/api/tasks/{confirmed.inspect.pk}/progress/", {"text": "x" * 5000},
                                       format="json")
    assert shape(answer, 413)["code"] == "too_large"
    assert counts() == before


def test_other_http_errors_share_the_shape(api, confirmed):
    officer = api("officer")
    assert shape(officer.delete(f"/api/tasks/{confirmed.inspect.pk}/"), 405)["code"] == "method_not_allowed"
    assert shape(officer.put(f"/api/tasks/{confirmed.inspect.pk}/", {}, format="json"), 405)
    assert shape(officer.post(f"/api/tasks/{confirmed.inspect.pk}/complete/", "xong", content_type="text/plain"),
                 415)["code"] == "unsupported_media_type"
    assert shape(officer.get("/api/tasks/abc/"), 404)["code"] == "not_found"
    assert shape(officer.get("/api/khong-co/"), 404)["code"] == "not_found"
    assert shape(officer.get("/api/tasks/", {"page": "zzz"}), 404)["code"] == "not_found"


def test_an_unexpected_failure_is_500_in_the_same_shape(api, confirmed, monkeypatch):
    from dondoc.tracking import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "complete_task", broken)
    answer = api("finance_focal").post(f"/api/tasks/{confirmed.inspect.pk}/complete/", {}, format="json")
    assert shape(answer, 500)["code"] == "server_error"
    assert "disk full" not in answer.content.decode()
