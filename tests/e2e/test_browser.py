"""The whole loop in a real browser: every role signs in; the officer uploads a directive, corrects a lead agency and
a deadline in review and confirms; the focal point reports progress with evidence and asks for an extension; the
officer approves it; the dashboard's figures move; the officer downloads a briefing report. Screenshots of the main
pages are kept in tests/e2e/artifacts/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mật-khẩu-thử"  # tests/conftest.py's users

# A directive written for this test (not from any corpus): two tasks, the second with a lead to correct.
DIRECTIVE = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
Số: 215/UBND-VX
V/v tăng cường tiêm chủng mở rộng năm 2026

Lâm Đồng, ngày 02 tháng 4 năm 2026

Kính gửi: Sở Y tế tỉnh Lâm Đồng; Bộ Y tế; Bộ Tài chính.

Để nâng tỷ lệ trẻ em được tiêm chủng đầy đủ, Ủy ban nhân dân tỉnh đề nghị:
1. Sở Y tế tỉnh Lâm Đồng chủ trì rà soát danh sách trẻ chưa được tiêm đủ mũi vắc xin, hoàn thành trước ngày 30/5/2026.
2. Bộ Tài chính bố trí kinh phí mua bổ sung vắc xin sởi cho các huyện vùng sâu, hoàn thành trong tháng 6/2026.
"""


def sign_in(browser, base: str, username: str, *, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900}, accept_downloads=True,
                                  locale="vi-VN")
    page = context.new_page()
    page.goto(base + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")  # a form submits with Enter
    page.wait_for_load_state()
    return page


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def state_count(page, state: str) -> int:
    return int(page.locator(f"a[data-state={state}]").inner_text())


def test_whole_loop(browser, live_server, users, artifacts, tmp_path):
    base = live_server.url
    homes = {"quantri": "/tong-quan/", "chuyenvien": "/tong-quan/", "lanhdao": "/tong-quan/",
             "daumoi_byt": "/don-vi/"}
    pages = {}
    for username, home in homes.items():
        pages[username] = sign_in(browser, base, username)
        assert pages[username].url == base + home, username
    officer, focal, leader = pages["chuyenvien"], pages["daumoi_byt"], pages["lanhdao"]

    anonymous = browser.new_page()
    anonymous.goto(base + "/dang-nhap/")
    shot(anonymous, artifacts, "01-dang-nhap")
    anonymous.fill("#id_username", "chuyenvien")
    anonymous.fill("#id_password", "sai-mat-khau")
    anonymous.click("button[type=submit].primary")
    assert anonymous.locator(".error").is_visible()
    assert anonymous.input_value("#id_username") == "chuyenvien"  # nothing typed is lost
    anonymous.close()

    # the leader cannot upload: the server refuses, not just the menu
    assert leader.goto(base + "/van-ban/tai-len/").status == 403

    # the officer uploads a file (through the XHR with its progress bar) and lands on the review page
    officer.goto(base + "/van-ban/tai-len/")
    shot(officer, artifacts, "02-tai-len")
    sample = tmp_path / "cong-van-215.txt"
    sample.write_text(DIRECTIVE, encoding="utf-8")
    officer.set_input_files("input[type=file]", str(sample))
    officer.click("#upload-submit")
    officer.wait_for_url(re.compile(r".*/ra-soat/$"))
    assert officer.locator(".drafts .task-card").count() == 3  # two drafts and the "add" card
    assert officer.locator("#doc-text mark").count() == 2
    shot(officer, artifacts, "03-ra-soat")

    # keyboard: j moves to the first task and highlights its passage
    officer.locator("h1").click()
    officer.keyboard.press("j")
    assert officer.locator("#doc-text mark.current").count() == 1

    # correct the second task: Bộ Y tế leads, not Bộ Tài chính; the deadline becomes "Quý III/2026"
    second = officer.locator(".drafts .task-card").nth(1)
    lead = second.locator("input[name$='-lead']")
    assert lead.input_value() == "Bộ Tài chính"
    lead.fill("Bộ Y tá")  # a typo: refused next to the field, with the closest names, and nothing typed is lost
    second.locator("input[name$='-deadline']").fill("Quý III/2026")
    second.locator("button.primary").click()
    second = officer.locator(".drafts .task-card").nth(1)
    assert "Bộ Y tế" in second.locator(".errorlist").inner_text()
    assert second.locator("input[name$='-deadline']").input_value() == "Quý III/2026"
    second.locator("input[name$='-lead']").fill("Bộ Y tế")
    second.locator("button.primary").click()
    assert "Đã lưu" in officer.locator(".messages").inner_text()
    second = officer.locator(".drafts .task-card").nth(1)
    assert second.locator("input[name$='-lead']").input_value() == "Bộ Y tế"
    assert second.locator("input[name$='-deadline']").input_value() == "30/09/2026"

    officer.click("text=Xác nhận văn bản và 2 nhiệm vụ")
    assert "Đã xác nhận" in officer.locator(".messages").inner_text()
    assert officer.locator("table.tasks tbody tr").count() == 2
    shot(officer, artifacts, "04-nhiem-vu")

    officer.goto(base + "/tong-quan/?period=năm+2026")
    not_due, in_progress = state_count(officer, "not_due"), state_count(officer, "in_progress")
    assert (not_due, in_progress) == (2, 0)

    # the focal point of Bộ Y tế: the task is in "my agency"; report progress with an evidence file in few clicks
    focal.reload()
    shot(focal, artifacts, "05-don-vi")
    card = focal.locator(".task-card", has_text="vắc xin sởi")
    card.locator("summary").click()
    card.locator("textarea").fill("Đã lập dự toán kinh phí, chờ thẩm định.")
    card.locator("input[name=report-percent]").fill("40")
    evidence = tmp_path / "du-toan.txt"
    evidence.write_text("Dự toán kinh phí vắc xin sởi", encoding="utf-8")
    card.locator("input[type=file]").set_input_files(str(evidence))
    card.locator("button.primary").click()
    assert "Đã ghi báo cáo tiến độ" in focal.locator(".messages").inner_text()

    focal.locator(".task-card", has_text="vắc xin sởi").locator("h3 a").click()
    assert focal.locator(".timeline").get_by_text("du-toan.txt").count() == 1
    form = focal.locator("#request_extension form")
    form.locator("input[name=request_extension-due]").fill("2026-10-31")
    form.locator("textarea").fill("Chờ phân bổ ngân sách bổ sung.")
    form.locator("button.primary").click()
    assert "Đã gửi đề nghị gia hạn" in focal.locator(".messages").inner_text()
    shot(focal, artifacts, "06-nhiem-vu-chi-tiet")
    # a focal point cannot decide its own extension: no form, and the server refuses the request
    assert focal.locator("#decide_extension").count() == 0

    # the officer sees the request waiting on the dashboard and approves it
    officer.goto(base + "/tong-quan/?period=năm+2026")
    assert state_count(officer, "in_progress") == in_progress + 1
    assert state_count(officer, "not_due") == not_due - 1
    shot(officer, artifacts, "07-tong-quan")
    officer.locator(".waiting").get_by_text("vắc xin sởi").click()
    decide = officer.locator("#decide_extension form")
    decide.locator("input[value=approve]").check()
    decide.locator("button.primary").click()
    assert "Đã đồng ý gia hạn" in officer.locator(".messages").inner_text()
    assert "31/10/2026" in officer.locator(".facts").inner_text()

    # the leader's dashboard, the document list, and a phone-sized "my agency"
    leader.goto(base + "/tong-quan/?period=năm+2026")
    assert state_count(leader, "in_progress") == 1
    officer.goto(base + "/van-ban/")
    shot(officer, artifacts, "08-van-ban")
    phone = sign_in(browser, base, "daumoi_byt", viewport={"width": 390, "height": 844})
    shot(phone, artifacts, "09-dien-thoai-don-vi")

    # the officer downloads the briefing report of the year
    officer.goto(base + "/bao-cao/")
    shot(officer, artifacts, "10-bao-cao")
    officer.fill("input[name=period]", "năm 2026")
    with officer.expect_download() as info:
        officer.click("button.primary")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes()[:2] == b"PK"  # a DOCX is a zip

    for page in (*pages.values(), phone):
        page.context.close()


def test_administration_records_a_merger(browser, live_server, users, org, directive_text, artifacts):
    """The administrator finds an agency, records its merger (after a refused one), and sees its open tasks moved;
    the reminders' settings and webhook endpoints; an officer is refused; the agency list on a phone."""
    from dondoc.extract import extract_text
    from dondoc.tracking import services

    document = services.ingest_directive(extract_text(directive_text), actor=users.officer).document
    services.confirm_document(document, actor=users.officer)  # Cục Thuế leads two of its three tasks
    base = live_server.url
    admin = sign_in(browser, base, "quantri")

    admin.goto(base + "/quan-tri/co-quan/")
    admin.fill("input[name=q]", "cuc thue")  # without diacritics
    admin.locator("form[role=search] button").click()
    rows = admin.locator("table.agencies tbody tr")
    assert rows.count() == 1 and "Bộ Tài chính" in rows.first.inner_text()  # its parent
    rows.first.locator("th a").click()
    assert admin.locator("h1").inner_text().startswith("Cục Thuế")

    form = admin.locator("form.merger")
    assert form.locator("input[name=predecessor]").input_value() == "Cục Thuế"
    form.locator("input[name=successor]").fill("Cục Thuế")  # itself: refused next to the field
    form.locator("input[name=effective_on]").fill("2026-04-01")
    form.locator("button.primary").click()
    form = admin.locator("form.merger")
    assert "phải khác cơ quan bị sáp nhập" in form.locator(".errorlist").inner_text()
    assert form.locator("input[name=effective_on]").input_value() == "2026-04-01"  # nothing typed is lost
    shot(admin, artifacts, "11-quan-tri-sap-nhap-loi")
    form.locator("input[name=successor]").fill("Bộ Tài chính")
    form.locator("button.primary").click()
    messages = admin.locator(".messages").inner_text()
    assert "2 nhiệm vụ đang mở đã chuyển cho «Bộ Tài chính»" in messages
    assert "Bộ Tài chính" in admin.locator("#successors").inner_text()
    shot(admin, artifacts, "12-quan-tri-co-quan")

    # the tasks moved: the ministry now leads them, and each timeline says so on the merger's day
    admin.locator("#successors").get_by_text("nhiệm vụ của cơ quan kế thừa").click()
    table = admin.locator("table.tasks tbody")
    assert table.get_by_text("rà soát danh mục cơ sở khám bệnh").count() == 1
    admin.goto(base + f"/nhiem-vu/{document.tasks.order_by('source_start').first().pk}/")
    timeline = admin.locator(".timeline").inner_text()
    assert "01/04/2026 · Chuyển cho cơ quan kế thừa" in timeline

    # a new unit of the ministry: a name another agency has is refused, and the form comes back as typed
    admin.goto(base + f"/quan-tri/co-quan/them/?parent={org.finance.pk}")
    admin.fill("#id_name", "Bộ Y tế")
    admin.fill("#id_short_name", "KBNN")
    admin.fill("#id_aliases", "Kho bạc\nKBNN")
    admin.fill("#id_valid_from", "2025-03-01")
    admin.click("form.agency-form button.primary")
    assert "Bộ Y tế" in admin.locator("#id_name_error").inner_text()
    assert admin.input_value("#id_aliases") == "Kho bạc\nKBNN" and admin.input_value("#id_valid_from") == "2025-03-01"
    shot(admin, artifacts, "16-quan-tri-them-co-quan-loi")
    admin.fill("#id_name", "Kho bạc Nhà nước")
    admin.click("form.agency-form button.primary")
    assert "Đã thêm cơ quan «Kho bạc Nhà nước»" in admin.locator(".messages").inner_text()
    assert "Bộ Tài chính" in admin.locator(".crumbs").inner_text()

    admin.goto(base + "/quan-tri/co-quan/")
    shot(admin, artifacts, "13-quan-tri-danh-sach-co-quan")
    admin.goto(base + "/quan-tri/nhac-viec/")
    assert "ngày làm việc" in admin.locator("table.settings").inner_text()
    shot(admin, artifacts, "14-quan-tri-nhac-viec")

    officer = sign_in(browser, base, "chuyenvien")
    assert officer.goto(base + "/quan-tri/co-quan/").status == 403
    assert officer.goto(base + "/quan-tri/sap-nhap/").status == 403
    phone = sign_in(browser, base, "quantri", viewport={"width": 390, "height": 844})
    phone.goto(base + "/quan-tri/co-quan/")
    shot(phone, artifacts, "15-dien-thoai-co-quan")
    for page in (admin, officer, phone):
        page.context.close()
