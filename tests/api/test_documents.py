"""Uploading a directive: a file or its text becomes a draft document with draft tasks; duplicates, oversized and
unreadable files are refused and leave nothing behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import counts, files_in


def upload(client, name, content, **extra):
    return client.post("/api/documents/", {"file": SimpleUploadedFile(name, content), **extra}, format="multipart")


def test_uploading_a_file_gives_the_document_and_its_draft_tasks(api, users, directive_text, media):
    answer = upload(api("officer"), "1234-BTC.txt", directive_text.encode())
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["number"], body["type"], body["issuer"]["name"], body["issued_date"]) == (
        "1234/BTC-CNTT", "Công văn", "Bộ Tài chính", "2026-03-10")
    assert body["status"] == "draft" and body["original_name"] == "1234-BTC.txt"
    assert [t["state"] for t in body["tasks"]] == ["draft", "draft", "draft"]
    first = body["tasks"][0]
    assert first["lead"] == [{"id": users.finance_focal.profile.agency.children.get().pk, "name": "Cục Thuế"}]
    assert first["support"][0]["name"] == "Bộ Y tế"
    assert first["due_date"] == "2026-06-30" and first["deadline_text"] == "trước ngày 30/6/2026"
    start, end = first["source"]["start"], first["source"]["end"]
    assert body["text"][start:end].startswith("Cục Thuế chủ trì")
    assert body["tasks"][2]["recurrence"] == "quarterly"
    assert len(files_in(media)) == 1  # the original file is kept


def test_uploading_the_text_as_json_works_too(api, directive_text):
    answer = api("admin").post("/api/documents/", {"text": directive_text}, format="json")
    assert answer.status_code == 201
    assert len(answer.json()["tasks"]) == 3 and answer.json()["original_name"] == ""


def test_a_docx_upload_is_read(api, directive_text):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in directive_text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    answer = upload(api("officer"), "cong-van.docx", buffer.getvalue())
    assert answer.status_code == 201, answer.json()
    assert answer.json()["number"] == "1234/BTC-CNTT" and len(answer.json()["tasks"]) == 3


def test_the_same_directive_twice_is_409_with_the_existing_document(api, directive_text, media):
    first = upload(api("officer"), "a.txt", directive_text.encode()).json()
    before, stored = counts(), files_in(media)
    again = upload(api("officer"), "b.txt", directive_text.encode())
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "duplicate_document" and error["existing"] == first["id"]
    assert error["message"]["vi"].startswith("Văn bản đã có")
    assert counts() == before and files_in(media) == stored
    # the same number and issuer with other wording is the same directive too
    reworded = directive_text.replace("rà soát danh mục", "kiểm tra danh mục")
    assert api("officer").post("/api/documents/", {"text": reworded}, format="json").status_code == 409


def test_a_file_over_the_limit_is_413_and_nothing_is_stored(api, settings, directive_text, media):
    settings.MAX_UPLOAD_BYTES = 200
    before = counts()
    answer = upload(api("officer"), "big.txt", directive_text.encode())
    assert answer.status_code == 413
    error = answer.json()["error"]
    assert error["code"] == "too_large" and error["limit"] == 200 and "file" in error["fields"]
    assert counts() == before and files_in(media) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(api, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    answer = upload(api("officer"), "huge.txt", b"x" * 200_000)
    assert answer.status_code == 413 and answer.json()["error"]["limit"] == 1000


def test_text_over_the_limit_is_413(api, settings, directive_text):
    settings.MAX_UPLOAD_BYTES = 100
    answer = api("officer").post("/api/documents/", {"text": directive_text}, format="json")
    assert answer.status_code == 413 and "text" in answer.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["bang-tinh.xlsx", "anh.png", "khong-duoi", "script.exe"])
def test_a_file_type_not_accepted_is_400_unsupported_type(api, name):
    before = counts()
    answer = upload(api("officer"), name, b"hello")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "unsupported_type" and ".docx" in error["accepted"]
    assert set(error["message"]) == {"vi", "en"}
    assert counts() == before


def test_an_unreadable_file_is_400_with_the_readers_bilingual_message(api, media):
    before = counts()
    answer = upload(api("officer"), "hong.pdf", b"%PDF-1.4 not really a pdf")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "unreadable_file"
    assert error["message"]["vi"] and error["message"]["en"] and error["message"]["vi"] != error["message"]["en"]
    assert counts() == before and files_in(media) == []


def test_an_empty_file_and_a_missing_file_are_400(api):
    empty = upload(api("officer"), "rong.txt", b"")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "empty_file"
    missing = api("officer").post("/api/documents/", {}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["file"][0] == {"vi": "Chưa gửi tệp.", "en": "No file was submitted."}
    blank = api("officer").post("/api/documents/", {"text": "   "}, format="json")
    assert blank.status_code == 400


def test_a_json_upload_with_other_fields_is_refused(api, directive_text):
    answer = api("officer").post("/api/documents/", {"text": directive_text, "number": "99"}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "unknown_field"
    assert counts()["Document"] == 0


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("finance_focal", 403), ("health_focal", 403),
                                          ("leader", 403)])
def test_only_officers_and_administrators_upload(api, directive_text, role, status):
    assert upload(api(role), "a.txt", directive_text.encode()).status_code == status
    assert counts()["Document"] == 0


def test_documents_are_listed_newest_first_and_searched_by_number_or_title(api, drafts):
    other = ("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSố: 55/UBND-VX\nV/v phòng chống dịch sốt xuất huyết\n\n"
             "Lâm Đồng, ngày 2 tháng 4 năm 2026\n\n"
             "1. Sở Y tế tỉnh Lâm Đồng chủ trì giám sát dịch trước ngày 30/5/2026.\n")
    assert api("officer").post("/api/documents/", {"text": other}, format="json").status_code == 201
    listing = api("officer").get("/api/documents/").json()
    assert listing["count"] == 2
    assert [d["number"] for d in listing["results"]] == ["55/UBND-VX", "1234/BTC-CNTT"]
    assert [d["number"] for d in api("officer").get("/api/documents/?q=1234").json()["results"]] == ["1234/BTC-CNTT"]
    assert [d["number"] for d in api("officer").get("/api/documents/?q=sốt xuất").json()["results"]] == [
        "55/UBND-VX"]
    assert api("officer").get("/api/documents/?status=confirmed").json()["count"] == 0
    paged = api("officer").get("/api/documents/?page_size=1&page=2").json()
    assert paged["count"] == 2 and [d["number"] for d in paged["results"]] == ["1234/BTC-CNTT"]


def test_the_document_page_shows_header_citations_text_and_tasks_with_spans(api, drafts):
    body = api("officer").get(f"/api/documents/{drafts.document.pk}/").json()
    assert body["citations"] == [] and body["text"].startswith("BỘ TÀI CHÍNH")
    assert [t["id"] for t in body["tasks"]] == [drafts.inspect.pk, drafts.hospitals.pk, drafts.report.pk]
    for task in body["tasks"]:
        assert body["text"][task["source"]["start"]:task["source"]["end"]].split()[0] in ("Cục", "Bộ")


def test_focal_points_see_a_confirmed_document_with_only_their_tasks(api, confirmed):
    body = api("health_focal").get(f"/api/documents/{confirmed.document.pk}/").json()
    assert [t["id"] for t in body["tasks"]] == [confirmed.inspect.pk, confirmed.hospitals.pk]
    assert api("health_focal").get("/api/documents/").json()["count"] == 1


def test_a_draft_document_is_hidden_from_focal_points_and_listing_needs_sign_in(api, drafts):
    assert api("finance_focal").get(f"/api/documents/{drafts.document.pk}/").status_code == 404
    assert api("finance_focal").get("/api/documents/").json()["count"] == 0
    assert api("anonymous").get("/api/documents/").status_code == 401
    assert api("officer").get("/api/documents/999999/").status_code == 404


def test_confirming_the_document_confirms_every_draft_task(api, drafts):
    answer = api("officer").post(f"/api/documents/{drafts.document.pk}/confirm/", {}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "confirmed" and body["confirmed_at"]
    assert [t["state"] for t in body["tasks"]] == ["not_due", "not_due", "not_due"]


def test_a_document_with_a_draft_without_lead_cannot_be_confirmed_and_nothing_changes(api, drafts):
    api("officer").patch(f"/api/tasks/{drafts.report.pk}/", {"lead": []}, format="json")
    before = counts()
    answer = api("officer").post(f"/api/documents/{drafts.document.pk}/confirm/")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "no_lead"
    assert counts() == before
    assert api("officer").get(f"/api/documents/{drafts.document.pk}/").json()["status"] == "draft"


def test_the_reviewer_adds_a_task_the_extractor_missed_by_selecting_its_passage(api, drafts, org):
    text = drafts.document.text
    start = text.index("Để triển khai")
    end = text.index(":", start)
    answer = api("officer").post(f"/api/documents/{drafts.document.pk}/tasks/", {
        "content": text[start:end], "lead": ["Bộ Tài chính"], "support": [org.health.pk], "due": "2026-12-31",
        "deadline_text": "trong năm 2026", "source_start": start, "source_end": end,
    }, format="json")
    assert answer.status_code == 201, answer.json()
    task = answer.json()
    assert task["state"] == "draft" and task["lead"] == [{"id": org.finance.pk, "name": "Bộ Tài chính"}]
    assert task["support"] == [{"id": org.health.pk, "name": "Bộ Y tế"}]
    assert task["source"] == {"start": start, "end": end}
    assert [e["kind"] for e in task["events"]] == ["created"] and task["events"][0]["data"]["added"] is True


@pytest.mark.parametrize("body, code, field", [
    ({"content": "Việc mới", "lead": ["Bộ Tài chánh"]}, "unknown_agency", "lead"),
    ({"content": "Việc mới", "source_start": 10, "source_end": 99999}, "bad_span", "source_start"),
    ({"content": "Việc mới", "due": "2020-01-01"}, "due_before_assignment", "due"),
    ({"content": "Việc mới", "due": "2026-02-30"}, "invalid_date", "due"),
    ({"content": "   "}, "blank", "content"),
    ({"lead": [1]}, "required", "content"),
    ({"content": "Việc mới", "lead": [True]}, "invalid", "lead.0"),
    ({"content": "Việc mới", "owner": 1}, "unknown_field", "owner"),
])
def test_adding_a_task_with_bad_input_is_400_and_adds_nothing(api, drafts, body, code, field):
    before = counts()
    answer = api("officer").post(f"/api/documents/{drafts.document.pk}/tasks/", body, format="json")
    assert answer.status_code == 400, answer.json()
    error = answer.json()["error"]
    assert error["code"] == code and field in error["fields"], error
    assert counts() == before
