"""Review of draft tasks: correct, confirm, discard, split, merge; refused requests change nothing."""

import pytest

from .conftest import counts, task_state


def test_a_correction_changes_only_the_fields_sent_and_keeps_before_and_after(api, drafts, org):
    answer = api("officer").patch(f"/api/tasks/{drafts.report.pk}/", {
        "content": "Cục Thuế  báo cáo kết quả hằng quý", "lead": [org.tax.pk, "Bộ Y tế"], "due": "2026-12-31",
        "recurrence": "", "deadline_text": "hằng quý, lần cuối 31/12/2026",
    }, format="json")
    assert answer.status_code == 200, answer.json()
    task = answer.json()
    assert task["content"] == "Cục Thuế báo cáo kết quả hằng quý"
    assert [a["name"] for a in task["lead"]] == ["Cục Thuế", "Bộ Y tế"]
    assert (task["due_date"], task["original_due"], task["recurrence"]) == ("2026-12-31", "2026-12-31", "")
    changes = task["events"][-1]["data"]["changes"]
    assert changes["recurrence"] == ["quarterly", ""] and changes["due"] == [None, "2026-12-31"]
    assert set(changes) == {"content", "lead", "due", "recurrence", "deadline_text"}


def test_a_correction_can_clear_the_deadline(api, drafts):
    task = api("officer").patch(f"/api/tasks/{drafts.inspect.pk}/", {"due": None}, format="json").json()
    assert task["due_date"] is None and task["events"][-1]["data"]["changes"]["due"] == ["2026-06-30", None]


def test_a_correction_that_changes_nothing_records_nothing(api, drafts):
    before = counts()
    answer = api("officer").patch(f"/api/tasks/{drafts.inspect.pk}/", {"due": "2026-06-30"}, format="json")
    assert answer.status_code == 200 and counts() == before


@pytest.mark.parametrize("body, status, code, field", [
    ({"lead": ["Cục Thuế", "Bộ Y tê'"]}, 400, "unknown_agency", "lead"),
    ({"due": "2026-02-30"}, 400, "invalid_date", "due"),
    ({"due": "30/06/2026"}, 400, "invalid_date", "due"),
    ({"due": "2025-12-31"}, 400, "due_before_assignment", "due"),
    ({"content": ""}, 400, "blank", "content"),
    ({"recurrence": "daily"}, 400, "invalid_choice", "recurrence"),
    ({"deadline_text": "x" * 300}, 400, "max_length", "deadline_text"),
    ({"lead": "Cục Thuế"}, 400, "not_a_list", "lead"),
    ({"status": "open"}, 400, "unknown_field", "status"),
    ({"id": 5}, 400, "unknown_field", "id"),
])
def test_a_bad_correction_is_refused_and_the_task_is_unchanged(api, drafts, body, status, code, field):
    before, stored = counts(), task_state(drafts.inspect)
    answer = api("officer").patch(f"/api/tasks/{drafts.inspect.pk}/", body, format="json")
    assert answer.status_code == status, answer.json()
    error = answer.json()["error"]
    assert error["code"] == code and field in error["fields"], error
    assert all(m["vi"] and m["en"] for m in error["fields"][field])
    assert counts() == before and task_state(drafts.inspect) == stored


def test_vietnamese_is_given_for_drfs_own_messages(api, drafts):
    answer = api("officer").patch(f"/api/tasks/{drafts.inspect.pk}/", {
        "deadline_text": "x" * 300, "recurrence": "daily", "due": "2026-02-30"}, format="json")
    fields = answer.json()["error"]["fields"]
    assert fields["deadline_text"] == [{"vi": "Không được dài quá 255 ký tự.",
                                        "en": "Ensure this field has no more than 255 characters."}]
    assert fields["recurrence"] == [{"vi": "«daily» không phải là một lựa chọn hợp lệ.",
                                     "en": '"daily" is not a valid choice.'}]
    assert fields["due"][0]["vi"].startswith("Ngày không hợp lệ") and fields["due"][0]["en"].startswith("Date has")
    assert answer.json()["error"]["code"] == "invalid"  # several kinds of error at once


def test_a_confirmed_task_is_not_corrected_but_extended_or_transferred(api, confirmed):
    before, stored = counts(), task_state(confirmed.inspect)
    answer = api("officer").patch(f"/api/tasks/{confirmed.inspect.pk}/", {"due": "2026-07-31"}, format="json")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "task_confirmed"
    assert counts() == before and task_state(confirmed.inspect) == stored


def test_confirming_a_draft_opens_it_and_twice_is_409(api, drafts):
    answer = api("officer").post(f"/api/tasks/{drafts.hospitals.pk}/confirm/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "not_due"
    again = api("officer").post(f"/api/tasks/{drafts.hospitals.pk}/confirm/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_draft"


def test_a_draft_without_lead_cannot_be_confirmed(api, drafts):
    api("officer").patch(f"/api/tasks/{drafts.report.pk}/", {"lead": []}, format="json")
    before = counts()
    answer = api("officer").post(f"/api/tasks/{drafts.report.pk}/confirm/")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "no_lead"
    assert answer.json()["error"]["message"] == {"vi": "Chưa có cơ quan chủ trì.", "en": "The task has no lead agency."}
    assert counts() == before


def test_discarding_a_draft(api, drafts):
    answer = api("officer").post(f"/api/tasks/{drafts.report.pk}/discard/", {"reason": "Không phải nhiệm vụ"},
                                 format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "discarded"
    assert answer.json()["events"][-1]["data"] == {"reason": "Không phải nhiệm vụ"}
    listed = api("officer").get("/api/tasks/", {"state": "draft,discarded"}).json()["results"]
    assert {t["id"]: t["state"] for t in listed}[drafts.report.pk] == "discarded"


def test_splitting_a_draft_into_parts(api, drafts):
    answer = api("officer").post(f"/api/tasks/{drafts.inspect.pk}/split/", {"parts": [
        "Cục Thuế chủ trì rà soát danh mục cơ sở khám bệnh", "phối hợp với Bộ Y tế"]}, format="json")
    assert answer.status_code == 201, answer.json()
    parts = answer.json()["tasks"]
    assert [p["state"] for p in parts] == ["draft", "draft"]
    assert all(p["lead"][0]["name"] == "Cục Thuế" and p["due_date"] == "2026-06-30" for p in parts)
    original = api("officer").get(f"/api/tasks/{drafts.inspect.pk}/").json()
    assert original["state"] == "discarded"
    assert original["events"][-1]["data"]["split_into"] == [p["id"] for p in parts]


@pytest.mark.parametrize("parts, field", [(["một phần"], "parts"), (["một", ""], "parts.1"), ("a,b", "parts")])
def test_a_split_needs_two_non_empty_parts(api, drafts, parts, field):
    before = counts()
    answer = api("officer").post(f"/api/tasks/{drafts.inspect.pk}/split/", {"parts": parts}, format="json")
    assert answer.status_code == 400 and field in answer.json()["error"]["fields"], answer.json()
    assert counts() == before


def test_merging_drafts_of_one_document(api, drafts):
    answer = api("officer").post("/api/tasks/merge/", {"tasks": [drafts.report.pk, drafts.inspect.pk]},
                                 format="json")
    assert answer.status_code == 201, answer.json()
    merged = answer.json()
    assert merged["state"] == "draft" and merged["due_date"] == "2026-06-30"
    assert merged["content"].startswith("Cục Thuế chủ trì") and merged["content"].endswith("định kỳ hằng quý")
    assert {a["name"] for a in merged["lead"]} == {"Cục Thuế"}
    for old in (drafts.report, drafts.inspect):
        assert api("officer").get(f"/api/tasks/{old.pk}/").json()["state"] == "discarded"


def test_merging_refuses_confirmed_tasks_unknown_ids_and_a_single_task(api, drafts, users):
    from dondoc.tracking import services

    services.confirm_task(drafts.hospitals, actor=users.officer)
    before = counts()
    officer = api("officer")
    confirmed = officer.post("/api/tasks/merge/", {"tasks": [drafts.hospitals.pk, drafts.report.pk]}, format="json")
    assert confirmed.status_code == 409 and confirmed.json()["error"]["code"] == "not_draft"
    unknown = officer.post("/api/tasks/merge/", {"tasks": [drafts.report.pk, 999999]}, format="json")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_task"
    single = officer.post("/api/tasks/merge/", {"tasks": [drafts.report.pk]}, format="json")
    assert single.status_code == 400 and single.json()["error"]["fields"]["tasks"][0]["vi"] == (
        "Cần ít nhất 2 phần tử.")
    same = officer.post("/api/tasks/merge/", {"tasks": [drafts.report.pk, drafts.report.pk]}, format="json")
    assert same.status_code == 400 and same.json()["error"]["code"] == "merge_needs_two"
    assert counts() == before
