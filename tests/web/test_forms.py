"""Each form with valid and invalid input: a refusal is shown next to its field, in Vietnamese, with what was typed
kept, and changes nothing; a valid form calls the tracking service and the result shows on the next page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

OWN_DIRECTIVE = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
Số: 88/UBND-KT
V/v kiểm tra an toàn thực phẩm dịp hè năm 2026

Lâm Đồng, ngày 06 tháng 4 năm 2026

Kính gửi: Sở Y tế tỉnh Lâm Đồng.

1. Sở Y tế tỉnh Lâm Đồng chủ trì kiểm tra các bếp ăn tập thể, hoàn thành trước ngày 31/7/2026.
"""


def events():
    from dondoc.tracking.models import Event

    return Event.objects.count()


# ------------------------------------------------------------------------------------------------ upload


def test_upload_pasted_text_goes_to_review(web, org):
    response = web("officer").post("/van-ban/tai-len/", {"text": OWN_DIRECTIVE})
    from dondoc.tracking.models import Document

    document = Document.objects.get(number="88/UBND-KT")
    assert response.status_code == 302 and response["Location"] == f"/van-ban/{document.pk}/ra-soat/"
    assert document.tasks.count() == 1


def test_upload_a_file_by_xhr_answers_json(web, org):
    upload = SimpleUploadedFile("cong-van.txt", OWN_DIRECTIVE.encode(), content_type="text/plain")
    response = web("officer").post("/van-ban/tai-len/", {"file": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["redirect"].endswith("/ra-soat/")
    # the same directive again: recognised, and the existing document opened
    again = SimpleUploadedFile("ban-sao.txt", OWN_DIRECTIVE.encode(), content_type="text/plain")
    response = web("officer").post("/van-ban/tai-len/", {"file": again}, follow=True)
    assert "đã có trong hệ thống (cùng nội dung)" in response.content.decode()


@pytest.mark.parametrize("upload, message", [
    (None, "Chọn một tệp hoặc dán nội dung văn bản."),
    (("anh.png", b"\x89PNG...."), "Không hỗ trợ loại tệp «.png»"),
    (("rong.txt", b""), "Tệp rỗng"),
    (("hong.docx", b"not a zip at all"), "docx"),
])
def test_upload_failures_say_why(web, org, upload, message):
    from dondoc.tracking.models import Document

    def data():
        return {"file": SimpleUploadedFile(*upload)} if upload else {}

    response = web("officer").post("/van-ban/tai-len/", data())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    xhr = web("officer").post("/van-ban/tai-len/", data(), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert xhr.status_code == 400 and any(message in m for ms in xhr.json()["errors"].values() for m in ms)


def test_upload_too_large(web, org, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = web("officer").post("/van-ban/tai-len/", {"file": SimpleUploadedFile("lon.txt", b"x" * 200)})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


# ------------------------------------------------------------------------------------------------ review


def save(client, document, task, **fields):
    data = {f"t{task.pk}-{k}": v for k, v in fields.items()}
    return client.post(f"/van-ban/{document.pk}/ra-soat/{task.pk}/luu/", data)


def test_review_page_highlights_each_passage(web, drafts):
    html = web("officer").get(f"/van-ban/{drafts.document.pk}/ra-soat/").content.decode()
    assert html.count('<mark id="span-') == 3
    assert f'id="task-{drafts.hospitals.pk}"' in html
    assert 'value="Bộ Y tế"' in html  # the lead as the field shows it
    assert 'value="30/09/2026"' in html


def test_review_corrects_lead_and_deadline_phrase(web, drafts, org):
    response = save(web("officer"), drafts.document, drafts.hospitals, content=drafts.hospitals.content,
                    lead="Bộ Tài chính; Cục Thuế", support="", deadline="Quý IV/2026")
    assert response.status_code == 302
    task = drafts.hospitals
    task.refresh_from_db()
    assert (task.due_date, task.deadline_text) == (date(2026, 12, 31), "Quý IV/2026")
    assert sorted(task.assignments.filter(active=True, role="lead").values_list("agency_id", flat=True)) == sorted(
        [org.finance.pk, org.tax.pk])


def test_review_keeps_wording_when_the_day_is_unchanged(web, drafts):
    save(web("officer"), drafts.document, drafts.inspect, content="Rà soát danh mục cơ sở khám bệnh.",
         lead="Cục Thuế", support="Bộ Y tế", deadline="30/06/2026")
    drafts.inspect.refresh_from_db()
    assert drafts.inspect.content == "Rà soát danh mục cơ sở khám bệnh."
    assert drafts.inspect.deadline_text == "trước ngày 30/6/2026"


@pytest.mark.parametrize("fields, message", [
    ({"lead": "Bộ Y tá"}, "Không có cơ quan «Bộ Y tá». Gần nhất: Bộ Y tế"),
    ({"deadline": "sớm nhất có thể"}, "Không hiểu thời hạn «sớm nhất có thể»"),
    ({"deadline": "31/02/2026"}, "Không hiểu thời hạn «31/02/2026»"),
    ({"deadline": "01/01/2026"}, "Thời hạn 01/01/2026 sớm hơn ngày giao nhiệm vụ 10/03/2026"),
    ({"content": "  "}, "Nội dung nhiệm vụ không được để trống."),
])
def test_review_refusals_next_to_the_field(web, drafts, fields, message):
    before = events()
    data = {"content": drafts.hospitals.content, "lead": "Bộ Y tế", "support": "", "deadline": "30/09/2026",
            **fields}
    response = save(web("officer"), drafts.document, drafts.hospitals, **data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert f'id="id_t{drafts.hospitals.pk}-' in html and "errorlist" in html
    for value in fields.values():
        if value.strip():
            assert f'value="{value}"' in html or f"{value}</textarea>" in html  # kept as typed
    assert events() == before


def test_split_merge_discard_add_confirm(web, drafts, org):
    from dondoc.tracking.models import Task

    client = web("officer")
    doc = drafts.document
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/{drafts.inspect.pk}/tach/",
                           {f"s{drafts.inspect.pk}-parts": "một dòng"})
    assert response.status_code == 400 and "Cần ít nhất hai dòng để tách." in response.content.decode()
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/{drafts.inspect.pk}/tach/",
                           {f"s{drafts.inspect.pk}-parts": "Rà soát danh mục.\nBáo cáo kết quả rà soát."})
    assert response.status_code == 302
    parts = list(doc.tasks.filter(status="draft").exclude(pk__in=[drafts.hospitals.pk, drafts.report.pk]))
    assert len(parts) == 2
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/gop/", {"tasks": [parts[0].pk]})
    assert response.status_code == 400 and "Cần ít nhất hai nhiệm vụ" in response.content.decode()
    assert client.post(f"/van-ban/{doc.pk}/ra-soat/gop/", {"tasks": [p.pk for p in parts]}).status_code == 302
    assert client.post(f"/van-ban/{doc.pk}/ra-soat/{drafts.report.pk}/loai/").status_code == 302
    # add a task from a selected passage: the offsets come from the page
    start = doc.text.index("Bộ Y tế chỉ đạo")
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/them/", {
        "add-content": "Bộ Y tế chỉ đạo các bệnh viện", "add-lead": "", "add-support": "", "add-deadline": "",
        "add-source_start": start, "add-source_end": start + 29})
    assert response.status_code == 302
    added = doc.tasks.get(content="Bộ Y tế chỉ đạo các bệnh viện")
    assert (added.source_start, added.source_end) == (start, start + 29)
    # confirming is refused while a draft has no lead, then accepted
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/xac-nhan/", follow=True)
    assert "chưa có cơ quan chủ trì" in response.content.decode()
    save(client, doc, added, content=added.content, lead="Bộ Y tế", support="", deadline="Quý III/2026")
    response = client.post(f"/van-ban/{doc.pk}/ra-soat/xac-nhan/")
    assert response.status_code == 302 and response["Location"] == f"/nhiem-vu/?document={doc.pk}"
    assert set(doc.tasks.values_list("status", flat=True)) == {Task.Status.OPEN, Task.Status.DISCARDED}
    assert doc.tasks.filter(status="open").count() == 3


# ------------------------------------------------------------------------------------------------ follow-up


def act(client, task, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"/nhiem-vu/{task.pk}/{action}/", data)


def test_progress_with_evidence(web, confirmed):
    client = web("finance_focal")
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(f"/nhiem-vu/{confirmed.inspect.pk}/report/", {
        "report-text": "Đã rà soát 40 cơ sở.", "report-percent": "40", "report-files": [evidence],
        "next": "/don-vi/"})
    assert response.status_code == 302 and response["Location"] == "/don-vi/"
    confirmed.inspect.refresh_from_db()
    assert confirmed.inspect.progress_percent == 40
    from dondoc.tracking.models import EvidenceFile

    item = EvidenceFile.objects.get()
    download = client.get(f"/nhiem-vu/{confirmed.inspect.pk}/tep/{item.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    assert web("leader").get(f"/nhiem-vu/{confirmed.inspect.pk}/tep/{item.pk}/").status_code == 200
    assert web("anonymous").get(f"/nhiem-vu/{confirmed.inspect.pk}/tep/{item.pk}/").status_code == 404


@pytest.mark.parametrize("fields, message", [
    ({"text": "", "percent": "10"}, "Nội dung báo cáo không được để trống."),
    ({"text": "Đang làm", "percent": "150"}, "Tỷ lệ hoàn thành phải từ 0 đến 100."),
    ({"text": "Đang làm", "on": "2026-05-01"}, "Ngày không được ở tương lai."),
    ({"text": "Đang làm", "on": "2026-01-01"}, "sớm hơn ngày giao nhiệm vụ"),
])
def test_progress_refusals(web, confirmed, fields, message):
    before = events()
    response = act(web("finance_focal"), confirmed.inspect, "report", **fields)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    if fields["text"]:
        assert f"{fields['text']}</textarea>" in html
    assert events() == before


def test_progress_refusal_from_my_agency_stays_on_my_agency(web, confirmed):
    response = web("finance_focal").post(f"/nhiem-vu/{confirmed.inspect.pk}/report/", {
        "report-text": "", "report-percent": "5", "next": "/don-vi/"})
    html = response.content.decode()
    assert response.status_code == 400 and "Đơn vị của tôi" in html and "Nội dung báo cáo không được để trống" in html


def test_extension_request_and_decision(web, confirmed):
    focal, officer = web("finance_focal"), web("officer")
    response = act(focal, confirmed.inspect, "request_extension", due="2026-06-01", reason="Thiếu nhân lực")
    assert response.status_code == 400 and "phải sau thời hạn hiện hành (30/06/2026)" in (
        response.content.decode())
    response = act(focal, confirmed.inspect, "request_extension", due="2026-08-31", reason="")
    assert response.status_code == 400 and "Cần nêu lý do gia hạn." in response.content.decode()
    assert act(focal, confirmed.inspect, "request_extension", due="31/08/2026", reason="Thiếu nhân lực"
               ).status_code == 302
    page = officer.get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert 'id="decide_extension"' in page and 'value="2026-08-31"' in page
    dashboard = officer.get("/tong-quan/").content.decode()
    assert f"/nhiem-vu/{confirmed.inspect.pk}/#decide_extension" in dashboard
    response = act(officer, confirmed.inspect, "decide_extension", reason="")
    assert response.status_code == 400 and "Chọn đồng ý hoặc không đồng ý." in response.content.decode()
    assert act(officer, confirmed.inspect, "decide_extension", decision="approve", due="", reason="Đồng ý"
               ).status_code == 302
    confirmed.inspect.refresh_from_db()
    assert confirmed.inspect.due_date == date(2026, 8, 31)
    assert f"/nhiem-vu/{confirmed.inspect.pk}/#decide" not in officer.get("/tong-quan/").content.decode()


def test_transfer_withdraw_complete_reopen(web, confirmed, org):
    officer = web("officer")
    response = act(officer, confirmed.hospitals, "transfer", to="Bộ Y tế", reason="Sai cơ quan")
    assert response.status_code == 400 and "chính cơ quan đang chủ trì" in response.content.decode()
    response = act(officer, confirmed.hospitals, "transfer", to="Sở Y tế tỉnh Lâm Đồng", reason="Giao địa phương")
    assert response.status_code == 302 and "Location" in response
    confirmed.hospitals.refresh_from_db()
    assert confirmed.hospitals.status == "transferred"
    assert act(officer, confirmed.report, "withdraw", reason="").status_code == 400
    assert act(officer, confirmed.report, "withdraw", reason="Không còn phù hợp", decision="Số 9/TB-VP"
               ).status_code == 302
    assert act(officer, confirmed.report, "reopen", reason="Lãnh đạo yêu cầu tiếp tục").status_code == 302
    assert act(web("finance_focal"), confirmed.inspect, "complete", result="Xong", on="2026-04-14"
               ).status_code == 302
    confirmed.inspect.refresh_from_db()
    assert (confirmed.inspect.status, confirmed.inspect.done_late) == ("done", False)


# ------------------------------------------------------------------------------------------------ task list


def test_saved_filters(web, confirmed, users):
    client = web("officer")
    response = client.post("/nhiem-vu/bo-loc/", {"name": "", "query": "state=overdue"})
    assert response.status_code == 302
    assert "Đặt tên cho bộ lọc." in client.get(response["Location"]).content.decode()
    client.post("/nhiem-vu/bo-loc/", {"name": "Quá hạn", "query": "state=overdue"})
    html = client.get("/nhiem-vu/").content.decode()
    assert 'href="?state=overdue">Quá hạn</a>' in html
    saved = users.officer.saved_filters.get()
    assert web("leader").post(f"/nhiem-vu/bo-loc/{saved.pk}/xoa/").status_code == 404  # another user's
    assert client.post(f"/nhiem-vu/bo-loc/{saved.pk}/xoa/").status_code == 302
    assert not users.officer.saved_filters.exists()


def test_exports(web, confirmed):
    client = web("officer")
    response = client.get("/nhiem-vu/?format=csv&agency=Cục Thuế")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Mã,Nội dung,Tình trạng,Chủ trì") and len(lines) == 3
    assert "Cục Thuế" in lines[1] and "Chưa đến hạn" in lines[1]
    response = client.get("/nhiem-vu/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã" and len(rows) == 4


# ------------------------------------------------------------------------------------------------ reports


def test_report_download_and_errors(web, confirmed):
    client = web("officer")
    response = client.get("/bao-cao/?period=năm 2026&format=docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "bao-cao-giao-ban-2026" in response["Content-Disposition"]
    md = client.get("/bao-cao/?period=2026-Q2&format=md&agency=Bộ Tài chính")
    assert "| Bộ Tài chính | 1 |" in md.content.decode()  # Cục Thuế's task, counted for its ministry
    response = client.get("/bao-cao/?period=quý 5/2026&format=docx")
    assert response.status_code == 400 and 'value="quý 5/2026"' in response.content.decode()
    response = client.get("/bao-cao/?period=2026&format=docx&agency=Bộ Không Có")
    assert response.status_code == 400 and "Không có cơ quan «Bộ Không Có»" in response.content.decode()
