"""Administration pages: agencies (hierarchy, names, validity, successors), mergers and reminder settings. Only
administrators reach them (the server refuses every other role, and nothing changes); forms keep what was typed
and say what is wrong next to the field; each listing has a JSON twin with the same rows."""

from __future__ import annotations

import re

import pytest

from dondoc.reminders.models import WebhookEndpoint
from dondoc.tracking.models import Agency, AgencyAlias, AgencySuccession, Event

OTHERS = ("officer", "finance_focal", "health_focal", "leader")


def state():
    """Everything the administration pages can write."""
    return (list(Agency.objects.values_list("pk", "name", "short_name", "parent_id", "valid_from", "valid_to")
                 .order_by("pk")),
            sorted(AgencyAlias.objects.values_list("agency_id", "alias")),
            sorted(AgencySuccession.objects.values_list("predecessor_id", "successor_id", "effective_on",
                                                        "applied_at")),
            Event.objects.count(),
            list(WebhookEndpoint.objects.values_list("pk", "name", "url", "secret", "agency_id", "active")))


def leads(task):
    return [a.agency.name for a in task.assignments.filter(role="lead", active=True).order_by("position")]


def form_value(html: str, name: str) -> str | None:
    m = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if not m:
        return None
    v = re.search(r'value="([^"]*)"', m.group(0))
    return v.group(1) if v else ""


def field_errors(html: str, name: str) -> str:
    """The error list Django renders for field ``name`` (its id is id_<name>_error)."""
    m = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return m.group(1) if m else ""


@pytest.fixture
def hook(org):
    return WebhookEndpoint.objects.create(name="Cổng Bộ Tài chính", url="https://btc.example.vn/nhac",
                                          secret="bi-mat-cu", agency=org.finance)


def pages(org, hook):
    return ["/quan-tri/co-quan/", "/quan-tri/co-quan/?format=json", f"/quan-tri/co-quan/{org.tax.pk}/",
            f"/quan-tri/co-quan/{org.tax.pk}/?format=json", "/quan-tri/co-quan/them/",
            f"/quan-tri/co-quan/{org.tax.pk}/sua/", "/quan-tri/sap-nhap/", "/quan-tri/sap-nhap/?format=json",
            "/quan-tri/nhac-viec/", "/quan-tri/nhac-viec/?format=json", "/quan-tri/nhac-viec/webhook/them/",
            f"/quan-tri/nhac-viec/webhook/{hook.pk}/", "/quan-tri/?format=json"]


def writes(org, hook):
    return [
        ("/quan-tri/co-quan/them/", {"name": "Cục Mới"}),
        (f"/quan-tri/co-quan/{org.tax.pk}/sua/", {"name": "Cục Thuế (đổi)", "parent": ""}),
        ("/quan-tri/sap-nhap/", {"predecessor": "Cục Thuế", "successor": "Bộ Tài chính", "effective_on": "2026-04-01",
                                 "primary": "on"}),
        ("/quan-tri/sap-nhap/ap-dung/", {}),
        ("/quan-tri/nhac-viec/webhook/them/", {"url": "https://x.example.vn/", "secret": "k", "active": "on"}),
        (f"/quan-tri/nhac-viec/webhook/{hook.pk}/", {"url": "https://evil.example/", "secret": "k"}),
    ]


def test_only_administrators_open_the_pages(web, confirmed, org, hook):
    for path in pages(org, hook):
        assert web("admin").get(path).status_code == 200, path
        for role in OTHERS:
            assert web(role).get(path).status_code == 403, (path, role)
        response = web("anonymous").get(path)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next="), path


@pytest.mark.parametrize("role", [*OTHERS, "anonymous"])
def test_other_roles_change_nothing(web, confirmed, org, hook, role):
    before = state()
    for path, data in writes(org, hook):
        response = web(role).post(path, data)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), path
        else:
            assert response.status_code == 403, (path, role)
    assert state() == before
    assert leads(confirmed.inspect) == ["Cục Thuế"]


def test_the_agency_list_shows_hierarchy_names_validity_and_successors(web, org):
    client = web("admin")
    html = client.get("/quan-tri/co-quan/").content.decode()
    for text in ("Cục Thuế", "Bộ Tài chính", "BTC", "Bộ TT&amp;TT", "28/02/2025", "hết hiệu lực",
                 "Bộ Khoa học và Công nghệ", "01/03/2025"):
        assert text in html, text
    assert f'href="?parent={org.finance.pk}"' in html  # its one unit, Cục Thuế
    html = client.get("/quan-tri/co-quan/?q=cuc thue").content.decode()  # no diacritics needed
    assert "Cục Thuế" in html and "Bộ Y tế" not in html
    names = [r["name"] for r in client.get(f"/quan-tri/co-quan/?parent={org.finance.pk}&format=json").json()[
        "results"]]
    assert names == ["Cục Thuế"]
    names = [r["name"] for r in client.get("/quan-tri/co-quan/?top=on&format=json").json()["results"]]
    assert "Cục Thuế" not in names and "Bộ Tài chính" in names
    ended = client.get("/quan-tri/co-quan/?state=ended&format=json").json()["results"]
    assert [r["name"] for r in ended] == ["Bộ Thông tin và Truyền thông"]
    assert ended[0]["successors"] == [{"id": org.science.pk, "name": "Bộ Khoa học và Công nghệ",
                                       "effective_on": "2025-03-01", "primary": True, "applied": False}]
    assert ended[0]["aliases"] == ["Bộ TT&TT"] and ended[0]["valid_to"] == "2025-02-28"


def test_the_json_twin_has_the_rows_of_the_page_and_of_the_api(web, org):
    client = web("admin")
    twin = client.get("/quan-tri/co-quan/?q=bo&format=json").json()
    html = client.get("/quan-tri/co-quan/?q=bo").content.decode()
    rows = re.findall(r'<th scope="row"><a href="/quan-tri/co-quan/(\d+)/">', html)
    assert [str(r["id"]) for r in twin["results"]] == rows and len(rows) == 4
    api = client.get("/api/agencies/?q=bo").json()["results"]
    assert [(r["id"], r["name"], r["valid_to"]) for r in twin["results"]] == [
        (r["id"], r["name"], r["valid_to"]) for r in api]
    assert 'href="?q=bo&amp;format=json"' in html  # the footer's link to the twin keeps the filters


def test_an_agency_page(web, confirmed, org, users):
    client = web("admin")
    html = client.get(f"/quan-tri/co-quan/{org.finance.pk}/").content.decode()
    assert "Cục Thuế" in html and "BTC" in html and "daumoi_btc" in html
    data = client.get(f"/quan-tri/co-quan/{org.tax.pk}/?format=json").json()
    assert data["parent"] == {"id": org.finance.pk, "name": "Bộ Tài chính"} and data["open_tasks_led"] == 2
    html = client.get(f"/quan-tri/co-quan/{org.tax.pk}/").content.decode()
    link = re.search(r'href="(/nhiem-vu/\?[^"]*role=lead[^"]*)">2</a>', html).group(1).replace("&amp;", "&")
    assert len(client.get(link + "&format=json").json()["results"]) == 2  # the number links to those tasks
    science = client.get(f"/quan-tri/co-quan/{org.science.pk}/?format=json").json()
    assert [p["name"] for p in science["predecessors"]] == ["Bộ Thông tin và Truyền thông"]
    assert client.get("/quan-tri/co-quan/999999/").status_code == 404


def test_create_an_agency_and_refusals_keep_what_was_typed(web, org):
    client = web("admin")
    html = client.get(f"/quan-tri/co-quan/them/?parent={org.finance.pk}").content.decode()  # "add a unit"
    assert form_value(html, "parent") == "Bộ Tài chính"
    typed = {"name": "Bộ Y tế", "short_name": "CHQ", "parent": "bo tai chinh", "aliases": "Tổng cục Hải quan\nTCHQ",
             "valid_from": "01/03/2025", "valid_to": ""}
    response = client.post("/quan-tri/co-quan/them/", typed)
    html = response.content.decode()
    assert response.status_code == 400 and "đã là tên của cơ quan «Bộ Y tế»" in field_errors(html, "name")
    assert form_value(html, "short_name") == "CHQ" and form_value(html, "parent") == "bo tai chinh"
    assert form_value(html, "valid_from") == "01/03/2025" and "Tổng cục Hải quan\nTCHQ" in html
    response = client.post("/quan-tri/co-quan/them/", {**typed, "parent": "Bộ Tài chin"})
    assert response.status_code == 400 and "Bộ Tài chính" in field_errors(response.content.decode(), "parent")
    response = client.post("/quan-tri/co-quan/them/", {**typed, "valid_to": "31/02/2026"})
    assert response.status_code == 400 and "Ngày không hợp lệ" in field_errors(response.content.decode(), "valid_to")
    response = client.post("/quan-tri/co-quan/them/", {**typed, "name": "Cục Hải quan"})
    agency = Agency.objects.get(name="Cục Hải quan")
    assert response.status_code == 302 and response["Location"] == f"/quan-tri/co-quan/{agency.pk}/"
    assert (agency.parent, agency.short_name, str(agency.valid_from), agency.source) == (
        org.finance, "CHQ", "2025-03-01", "manual")
    assert sorted(agency.aliases.values_list("alias", flat=True)) == ["Cục Hải quan", "TCHQ", "Tổng cục Hải quan"]
    assert "Đã thêm cơ quan «Cục Hải quan»" in client.get(response["Location"]).content.decode()


def test_edit_an_agency(web, org):
    client = web("admin")
    url = f"/quan-tri/co-quan/{org.finance.pk}/sua/"
    html = client.get(url).content.decode()
    assert form_value(html, "name") == "Bộ Tài chính" and ">\nBTC</textarea>" in html
    response = client.post(url, {"name": "Bộ Tài chính", "parent": "Cục Thuế", "aliases": "BTC"})
    assert response.status_code == 400
    assert "đơn vị cấp dưới của nó" in field_errors(response.content.decode(), "parent")
    response = client.post(url, {"name": "Bộ Tài chính", "aliases": "BTC", "valid_from": "2026-05-01",
                                 "valid_to": "2026-04-30"})
    assert response.status_code == 400
    assert "phải sau hoặc bằng ngày bắt đầu" in field_errors(response.content.decode(), "valid_to")
    response = client.post(url, {"name": "Bộ Tài chính", "short_name": "BTC", "aliases": "Bộ Tài chánh",
                                 "valid_from": "2025-03-01"})
    assert response.status_code == 302
    org.finance.refresh_from_db()
    assert (org.finance.short_name, str(org.finance.valid_from)) == ("BTC", "2025-03-01")
    assert sorted(org.finance.aliases.values_list("alias", flat=True)) == ["Bộ Tài chánh", "Bộ Tài chính"]


def test_record_a_merger_moves_the_open_tasks(web, confirmed, org, users):
    client = web("admin")
    response = client.post("/quan-tri/sap-nhap/", {"predecessor": "Cục Thuế", "successor": "bo tai chinh",
                                                   "effective_on": "01/04/2026", "primary": "on"})
    assert response.status_code == 302 and response["Location"] == f"/quan-tri/co-quan/{org.tax.pk}/#successors"
    html = client.get(response["Location"]).content.decode()
    assert "2 nhiệm vụ đang mở đã chuyển cho «Bộ Tài chính»" in html
    assert "«Cục Thuế» → «Bộ Tài chính» từ ngày 01/04/2026" in html
    confirmed.inspect.refresh_from_db()
    assert leads(confirmed.inspect) == ["Bộ Tài chính"] and leads(confirmed.report) == ["Bộ Tài chính"]
    event = confirmed.inspect.events.get(kind="succeeded")
    assert (str(event.on), event.actor_id) == ("2026-04-01", users.admin.pk)
    org.tax.refresh_from_db()
    assert str(org.tax.valid_to) == "2026-03-31"
    listed = client.get("/quan-tri/sap-nhap/?q=cuc thue&format=json").json()["results"]
    assert [(r["predecessor"]["name"], r["successor"]["name"], r["effective_on"], bool(r["applied_at"]))
            for r in listed] == [("Cục Thuế", "Bộ Tài chính", "2026-04-01", True)]
    # the task page's timeline says where the task went
    task_page = client.get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert "Chuyển cho cơ quan kế thừa" in task_page


@pytest.mark.parametrize("typed, field, message", [
    ({"successor": "Cục Thuế"}, "successor", "phải khác cơ quan bị sáp nhập"),
    ({"effective_on": "16/04/2026"}, "effective_on", "chưa đến"),
    ({"predecessor": "Bộ Khoa học và Công nghệ", "successor": "Bộ Thông tin và Truyền thông"}, "successor",
     "không có hiệu lực vào ngày"),
    ({"successor": "Bộ Tài chín"}, "successor", "Không có cơ quan «Bộ Tài chín»"),
    ({"effective_on": ""}, "effective_on", "Chọn ngày sáp nhập có hiệu lực"),
    ({"predecessor": "Bộ Thông tin và Truyền thông", "successor": "Bộ Y tế", "effective_on": "01/04/2025"},
     "predecessor", "đã được sáp nhập vào «Bộ Khoa học và Công nghệ»"),
])
def test_bad_mergers_are_refused_next_to_the_field(web, confirmed, typed, field, message):
    before = state()
    data = {"predecessor": "Cục Thuế", "successor": "Bộ Tài chính", "effective_on": "01/04/2026", "primary": "on",
            **typed}
    response = web("admin").post("/quan-tri/sap-nhap/", data)
    html = response.content.decode()
    assert response.status_code == 400 and message in field_errors(html, field), html[:0]
    for name in ("predecessor", "successor"):
        assert form_value(html, name) == data[name]
    assert state() == before


def test_a_cycle_is_refused(web, org):
    web("admin").post("/quan-tri/sap-nhap/", {"predecessor": "Cục Thuế", "successor": "Bộ Y tế",
                                              "effective_on": "01/04/2026"})  # a part of its work, no task moved
    response = web("admin").post("/quan-tri/sap-nhap/", {"predecessor": "Bộ Y tế", "successor": "Cục Thuế",
                                                         "effective_on": "02/04/2026", "primary": "on"})
    assert response.status_code == 400 and "vòng kế thừa" in field_errors(response.content.decode(), "successor")


def test_apply_the_successions_that_are_due(web, confirmed, org):
    AgencySuccession.objects.create(predecessor=org.health, successor=org.finance,
                                    effective_on=confirmed.document.issued_date)  # loaded, not applied
    assert "chưa chuyển" in web("admin").get("/quan-tri/sap-nhap/?pending=1").content.decode()
    response = web("admin").post("/quan-tri/sap-nhap/ap-dung/", follow=True)
    # Bộ Y tế leads task 2 and supports task 1: both pass to the successor
    assert "2 nhiệm vụ đã chuyển cho cơ quan kế thừa" in response.content.decode()
    confirmed.hospitals.refresh_from_db()
    assert leads(confirmed.hospitals) == ["Bộ Tài chính"]


def test_reminder_settings_are_shown_read_only(web, settings, hook):
    settings.DONDOC_REMINDERS = {"BEFORE_DAYS": [10, 3], "STALE_DAYS": None, "DAYS": "calendar"}
    client = web("admin")
    html = client.get("/quan-tri/nhac-viec/").content.decode()
    assert "10, 3" in html and "ngày theo lịch" in html and "không bao giờ" in html and "DONDOC_REMINDERS" in html
    assert "<input" not in html.split("Thiết lập nhắc việc", 2)[-1]  # nothing to edit there
    data = client.get("/quan-tri/nhac-viec/?format=json").json()
    assert data["settings"]["BEFORE_DAYS"] == [10, 3] and data["settings"]["STALE_DAYS"] is None
    assert data["webhooks"][0]["url"] == "https://btc.example.vn/nhac" and "bi-mat-cu" not in str(data)
    settings.DONDOC_REMINDERS = {"DAYS": "weekly"}
    assert "không hợp lệ" in client.get("/quan-tri/nhac-viec/").content.decode()


def test_webhook_endpoints(web, org, hook):
    client = web("admin")
    response = client.post("/quan-tri/nhac-viec/webhook/them/", {"name": "Sở", "url": "ftp://so.example.vn/",
                                                                  "agency": "Bộ Y tế", "active": "on"})
    html = response.content.decode()
    assert response.status_code == 400 and "http:// hoặc https://" in field_errors(html, "url")
    assert "Cần khóa ký" in field_errors(html, "secret") and form_value(html, "name") == "Sở"
    assert form_value(html, "secret") == ""  # a secret is never sent back
    response = client.post("/quan-tri/nhac-viec/webhook/them/", {"name": "Sở", "url": "https://so.example.vn/",
                                                                  "secret": "k1", "agency": "Bộ Y tế"})
    assert response.status_code == 302
    created = WebhookEndpoint.objects.get(name="Sở")
    assert (created.agency, created.secret, created.active) == (org.health, "k1", False)
    url = f"/quan-tri/nhac-viec/webhook/{hook.pk}/"
    assert "bi-mat-cu" not in client.get(url).content.decode()
    response = client.post(url, {"name": "Cổng BTC", "url": "https://btc.example.vn/moi", "secret": "",
                                 "agency": "", "active": "on"})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.secret, hook.agency) == ("Cổng BTC", "https://btc.example.vn/moi", "bi-mat-cu",
                                                               None)


def test_administration_in_english(web, org, hook):
    client = web("admin")
    client.cookies["django_language"] = "en"
    html = client.get("/quan-tri/co-quan/").content.decode()
    assert "Agencies" in html and "Succeeded by" in html and "Cơ quan, đơn vị" not in html
    html = client.get("/quan-tri/nhac-viec/").content.decode()
    assert "working days" in html and "Reminders" in html
    html = client.get("/quan-tri/sap-nhap/").content.decode()
    assert "Record a merger" in html
    response = client.post("/quan-tri/sap-nhap/", {"predecessor": "Cục Thuế", "successor": "Cục Thuế",
                                                   "effective_on": "2026-04-01"})
    assert "The successor must be another agency." in response.content.decode()


def test_users_json_twin(web, users, org):
    rows = web("admin").get("/quan-tri/?format=json").json()["results"]
    focal = next(r for r in rows if r["username"] == "daumoi_btc")
    assert focal["role"] == "focal_point" and focal["agency"] == {"id": org.finance.pk, "name": "Bộ Tài chính"}
