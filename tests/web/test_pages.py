"""Every page answers each role as its role allows, renders what the domain functions return, and has a JSON twin."""

from __future__ import annotations

import json
import re

import pytest

PAGES = {  # path: the roles that may open it (others: 403; anonymous: sign-in page)
    "/tong-quan/": {"admin", "officer", "finance_focal", "health_focal", "leader"},
    "/van-ban/": {"admin", "officer", "finance_focal", "health_focal", "leader"},
    "/van-ban/tai-len/": {"admin", "officer"},
    "/nhiem-vu/": {"admin", "officer", "finance_focal", "health_focal", "leader"},
    "/don-vi/": {"admin", "officer", "finance_focal", "health_focal", "leader"},
    "/bao-cao/": {"admin", "officer", "leader"},
    "/quan-tri/": {"admin"},
    "/quan-tri/co-quan/": {"admin"},
    "/quan-tri/sap-nhap/": {"admin"},
    "/quan-tri/nhac-viec/": {"admin"},
}


@pytest.mark.parametrize("role", ["admin", "officer", "finance_focal", "health_focal", "leader"])
def test_each_page_per_role(web, confirmed, role):
    client = web(role)
    for path, allowed in PAGES.items():
        response = client.get(path)
        assert response.status_code == (200 if role in allowed else 403), (path, role)


def test_anonymous_visitors_are_sent_to_sign_in(web, confirmed):
    client = web("anonymous")
    for path in PAGES:
        if path == "/nhiem-vu/":
            continue
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next="), path


def test_home_per_role(web, confirmed):
    assert web("officer").get("/")["Location"] == "/tong-quan/"
    assert web("leader").get("/")["Location"] == "/tong-quan/"
    assert web("finance_focal").get("/")["Location"] == "/don-vi/"
    assert web("anonymous").get("/")["Location"] == "/nhiem-vu/"


def test_home_without_public_pages(web, confirmed, settings):
    settings.DONDOC_PUBLIC_TASKS = False
    assert web("anonymous").get("/")["Location"] == "/dang-nhap/"
    assert web("anonymous").get("/nhiem-vu/").status_code == 302


def test_sign_in_keeps_the_username_and_says_why(web, users, client):
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": "sai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="chuyenvien"' in html and 'class="error"' in html
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": "mật-khẩu-thử"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_public_tasks_only_for_visitors(web, confirmed):
    from dondoc.tracking.models import Task

    client = web("anonymous")
    assert client.get("/nhiem-vu/?format=json").json()["results"] == []
    Task.objects.filter(pk=confirmed.hospitals.pk).update(is_public=True)
    results = client.get("/nhiem-vu/?format=json").json()["results"]
    assert [r["id"] for r in results] == [confirmed.hospitals.pk]
    page = client.get(f"/nhiem-vu/{confirmed.hospitals.pk}/").content.decode()
    assert "chuyenvien" not in page  # who recorded what is not for the public page
    assert client.get(f"/nhiem-vu/{confirmed.inspect.pk}/").status_code == 404
    assert client.get("/nhiem-vu/?format=csv").status_code == 404


def test_task_list_json_twin_matches_filters(web, confirmed):
    client = web("officer")
    data = client.get("/nhiem-vu/?format=json").json()
    assert [r["id"] for r in data["results"]] == [confirmed.inspect.pk, confirmed.hospitals.pk, confirmed.report.pk]
    assert data["results"][0]["lead"] == [{"id": confirmed.inspect.assignments.get(role="lead").agency_id,
                                           "name": "Cục Thuế"}]
    # agency filter includes sub-units: Bộ Tài chính finds Cục Thuế's tasks; "exact" does not
    ids = [r["id"] for r in client.get("/nhiem-vu/?format=json&agency=Bộ Tài chính&role=lead").json()["results"]]
    assert ids == [confirmed.inspect.pk, confirmed.report.pk]
    assert client.get("/nhiem-vu/?format=json&agency=Bộ Tài chính&role=lead&exact=on").json()["results"] == []
    # search without diacritics, due range, sort
    ids = [r["id"] for r in client.get("/nhiem-vu/?format=json&q=benh vien").json()["results"]]
    assert ids == [confirmed.hospitals.pk]
    ids = [r["id"] for r in client.get("/nhiem-vu/?format=json&due_from=01/07/2026&due_to=2026-12-31").json()
           ["results"]]
    assert ids == [confirmed.hospitals.pk]
    ids = [r["id"] for r in client.get("/nhiem-vu/?format=json&sort=-due").json()["results"]]
    assert ids[:2] == [confirmed.hospitals.pk, confirmed.inspect.pk]


def test_task_list_bad_filters_are_shown_next_to_the_field(web, confirmed):
    response = web("officer").get("/nhiem-vu/?agency=Bộ Không Có&due_from=31/02/2026&q=thuế")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không có cơ quan «Bộ Không Có»" in html
    assert "Ngày không hợp lệ" in html
    assert 'value="thuế"' in html  # what was typed stays


def test_pagination_without_counting(web, confirmed, monkeypatch):
    from dondoc.web import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    client = web("officer")
    monkeypatch.setattr("dondoc.web.views.tasks.paginate", lambda qs, page: pages.paginate(qs, page, 2))
    first = client.get("/nhiem-vu/?format=json").json()
    second = client.get("/nhiem-vu/?format=json&page=2").json()
    assert (len(first["results"]), first["has_next"]) == (2, True)
    assert (len(second["results"]), second["has_next"]) == (1, False)


def test_focal_point_sees_only_its_agency(web, confirmed):
    ids = [r["id"] for r in web("health_focal").get("/nhiem-vu/?format=json").json()["results"]]
    assert ids == [confirmed.inspect.pk, confirmed.hospitals.pk]  # supports task 1, leads task 2
    mine = web("health_focal").get("/don-vi/?format=json").json()
    assert mine["agency"] == "Bộ Y tế" and [r["id"] for r in mine["results"]] == ids
    html = web("health_focal").get("/don-vi/").content.decode()
    # a quick progress form only on the task it leads
    assert html.count('name="report-text"') == 1


def test_my_agency_pages_are_the_agencys_open_tasks_by_deadline(web, confirmed, clock, org):
    """Past a page of 100, "my agency" (its page chosen from the assignment index, its rows read by key) lists the
    same open tasks in the same order as the task list filtered to the agency's open states."""
    from datetime import date, timedelta

    from dondoc.tracking import services

    for i in range(110):  # some overdue on 15/4/2026, the same deadline for several, a few other agencies' tasks
        services.add_task(confirmed.document, content=f"Nhiệm vụ bổ sung {i}", draft=False,
                          lead=[org.health if i % 10 else org.finance],
                          due=date(2026, 3, 20) + timedelta(days=i // 3))
    client = web("health_focal")
    mine = [client.get(f"/don-vi/?format=json&page={n}").json() for n in (1, 2)]
    # 99 of them, with the two the fixture gives Bộ Y tế (it leads one, supports the other)
    assert [(len(p["results"]), p["has_next"]) for p in mine] == [(100, True), (1, False)]
    listed, page = [], 1
    while page:
        data = client.get(f"/nhiem-vu/?format=json&agency={org.health.pk}&state=overdue&state=in_progress"
                          f"&state=not_due&page={page}").json()
        listed += [r["id"] for r in data["results"]]
        page = page + 1 if data["has_next"] else 0
    assert [r["id"] for p in mine for r in p["results"]] == listed
    assert mine[0]["results"][0]["due"] == "2026-03-20" and mine[0]["results"][0]["state"] == "overdue"


def test_task_page_shows_passage_timeline_and_allowed_forms(web, confirmed):
    html = web("finance_focal").get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert "<mark>" in html and "rà soát danh mục cơ sở khám bệnh" in html
    assert "Tạo từ văn bản" in html and "Xác nhận" in html
    assert 'id="report"' in html and 'id="request_extension"' in html
    assert 'id="decide_extension"' not in html and 'id="withdraw"' not in html
    officer = web("officer").get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert 'id="withdraw"' in officer and 'id="transfer"' in officer and 'id="report"' not in officer
    leader = web("leader").get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert "<form method=\"post\" action=\"/nhiem-vu/" not in leader
    data = web("officer").get(f"/nhiem-vu/{confirmed.inspect.pk}/?format=json").json()
    assert [e["kind"] for e in data["timeline"]] == ["created", "confirmed"]


def test_dashboard_numbers_match_the_lists_they_link_to(web, confirmed, users):
    from dondoc.tracking import services

    services.report_progress(confirmed.hospitals, text="Đã kết nối 3 bệnh viện.", actor=users.health_focal)
    client = web("leader")
    data = client.get("/tong-quan/?format=json&period=năm 2026").json()
    assert data["total"] == 2  # the two tasks with a deadline in 2026
    assert data["states"]["not_due"]["n"] == 1 and data["states"]["in_progress"]["n"] == 1
    for state in data["states"].values():
        listed = client.get(state["url"] + "&format=json").json()["results"]
        assert len(listed) == state["n"]
    months = {m["month"]: m for m in data["trend"]}
    assert months["2026-06"]["open"] == 1 and months["2026-09"]["open"] == 1
    html = client.get("/tong-quan/?period=năm 2026").content.decode()
    assert "Năm 2026" in html


def test_dashboard_overdue_and_week_lists(web, confirmed, clock):
    from datetime import date

    clock.set(date(2026, 7, 2))
    data = web("officer").get("/tong-quan/?format=json&period=2026-Q2").json()
    assert [t["id"] for t in data["overdue"]] == [confirmed.inspect.pk]
    assert data["states"]["overdue"]["n"] == 1 and data["on_time_rate"] == 0.0
    assert data["ranking"]["criticise"][0]["name"] == "Cục Thuế"
    clock.set(date(2026, 9, 25))
    data = web("officer").get("/tong-quan/?format=json&period=2026-Q3").json()
    assert [t["id"] for t in data["due_this_week"]] == [confirmed.hospitals.pk]


def test_dashboard_ranking_is_the_kpis_of_the_events(web, confirmed, clock, users):
    """The ranking reads the tallies kept as events are written; its figures are those ``compute_kpis`` rebuilds
    from the events, after an extension, a late completion, a transfer and a reopening."""
    from datetime import date

    from dondoc.kpis import formula
    from dondoc.kpis.compute import compute_kpis
    from dondoc.tracking import services

    services.request_extension(confirmed.hospitals, due=date(2026, 10, 15), reason="Chờ số liệu",
                               actor=users.health_focal)
    services.decide_extension(confirmed.hospitals, approve=True, actor=users.officer)
    clock.set(date(2026, 7, 3))
    services.complete_task(confirmed.inspect, result="Đã rà soát", actor=users.finance_focal)  # 3 days late
    services.reopen_task(confirmed.inspect, reason="Thiếu số liệu", actor=users.officer)
    services.complete_task(confirmed.inspect, result="Đã bổ sung", actor=users.finance_focal)
    moved = services.transfer_task(confirmed.hospitals, to=[users.finance_focal.profile.agency],
                                   reason="Đúng chức năng", actor=users.officer)
    clock.set(date(2026, 10, 20))
    for period in ("2026-Q2", "2026-Q3", "2026-Q4", "2026"):
        ranking = web("officer").get(f"/tong-quan/?format=json&period={period}").json()["ranking"]
        ranked = formula.rank(compute_kpis(period, as_of=date(2026, 10, 20), method="replay").rows, min_judged=1,
                              limit=5)
        for side in ("commend", "criticise"):
            assert [(r["name"], r["rate"], r["overdue"], r["judged"]) for r in ranking[side]] == [
                (r.agency, r.on_time_rate, r.overdue, r.judged) for r in getattr(ranked, side)], (period, side)
    assert ranking["criticise"] and ranking["commend"]  # 2026: the transferred task overdue, the first one late
    assert moved.due_date == date(2026, 10, 15)


def test_dashboard_bad_period(web, confirmed):
    response = web("leader").get("/tong-quan/?period=quý 9/2026")
    assert response.status_code == 400
    assert "Quý phải từ 1 đến 4 (I–IV), không phải 9." in response.content.decode()


def test_documents_list_and_search(web, confirmed):
    client = web("officer")
    data = client.get("/van-ban/?format=json").json()
    assert [(d["number"], d["tasks"], d["status"]) for d in data["results"]] == [("1234/BTC-CNTT", 3, "confirmed")]
    assert client.get("/van-ban/?format=json&q=hóa đơn").json()["results"]
    assert client.get("/van-ban/?format=json&q=không-có").json()["results"] == []
    assert client.get("/van-ban/?format=json&status=draft").json()["results"] == []


def test_agency_suggestions_show_successors(web, org):
    data = web("officer").get("/co-quan/goi-y/?q=thong tin").json()["results"]
    assert data[0]["name"] == "Bộ Thông tin và Truyền thông"
    assert data[0]["successors"] == [{"id": org.science.pk, "name": "Bộ Khoa học và Công nghệ",
                                      "effective_on": "2025-03-01"}]
    assert web("anonymous").get("/co-quan/goi-y/?q=bo").status_code == 302


def test_calendar_feed(web, confirmed):
    tax = confirmed.inspect.assignments.get(role="lead").agency_id
    response = web("finance_focal").get(f"/bao-cao/lich.ics?agency={tax}")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20260630" in body


def test_english_pages(web, confirmed):
    client = web("officer")
    client.cookies["django_language"] = "en"
    html = client.get("/tong-quan/").content.decode()
    assert "Dashboard" in html and "On-time rate" in html and "Tổng quan" not in html
    assert 'lang="en"' in html
    task = client.get(f"/nhiem-vu/{confirmed.inspect.pk}/").content.decode()
    assert "Not yet due" in task and "Created from the document" in task


def test_admin_users_and_roles(web, users, org):
    client = web("admin")
    html = client.get("/quan-tri/").content.decode()
    assert "daumoi_btc" in html and "/quan-tri/co-quan/" in html and "/quan-tri/nhac-viec/" in html
    pk = users.leader.pk
    response = client.post(f"/quan-tri/{pk}/", {f"u{pk}-role": "focal_point", f"u{pk}-agency": ""})
    assert response.status_code == 400 and "Đầu mối đơn vị cần có cơ quan" in response.content.decode()
    response = client.post(f"/quan-tri/{pk}/", {f"u{pk}-role": "focal_point", f"u{pk}-agency": "bo y te"})
    assert response.status_code == 302
    users.leader.profile.refresh_from_db()
    assert (users.leader.profile.role, users.leader.profile.agency_id) == ("focal_point", org.health.pk)
    assert web("officer").post(f"/quan-tri/{pk}/", {f"u{pk}-role": "admin"}).status_code == 403


def test_json_is_json(web, confirmed):
    for path in ("/nhiem-vu/?format=json", "/van-ban/?format=json", "/tong-quan/?format=json", "/don-vi/?format=json"):
        response = web("admin").get(path)
        assert response["Content-Type"] == "application/json"
        json.loads(response.content)


def test_the_reports_page_offers_the_agencys_calendar_with_a_feed_token(web, users, org):
    from django.test import Client

    users.officer.profile.agency = org.finance  # an office that follows its ministry's tasks
    users.officer.profile.save()
    page = web("officer").get("/bao-cao/").content.decode()
    link = next(h for h in re.findall(r'href="([^"]+)"', page) if "/api/calendar/agency/" in h)
    answer = Client().get(link.replace("&amp;", "&"))  # a calendar application: no session, no header
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")


def test_the_reports_page_offers_all_followed_tasks_with_a_feed_token(web, users, confirmed):
    from django.test import Client

    page = web("officer").get("/bao-cao/").content.decode()
    link = next(h for h in re.findall(r'href="([^"]+)"', page) if "/bao-cao/lich.ics" in h).replace("&amp;", "&")
    assert "token=" in link
    calendar = Client().get(link)  # a calendar application: no session, no header
    assert calendar.status_code == 200 and calendar["Content-Type"].startswith("text/calendar")
    signed_in = web("officer").get("/bao-cao/lich.ics").content.decode()
    uids = sorted(re.findall(r"UID:(\S+)", calendar.content.decode()))
    assert len(uids) == 2 and uids == sorted(re.findall(r"UID:(\S+)", signed_in))  # what the officer sees

    anonymous = Client()
    assert anonymous.get("/bao-cao/lich.ics").status_code == 302  # no token, no session: sign in first
    assert anonymous.get("/bao-cao/lich.ics?token=forged").status_code == 403
    token = link.split("token=", 1)[1]
    for page in ("/tong-quan/", "/van-ban/", "/bao-cao/"):  # the token opens the feed and nothing else
        assert anonymous.get(f"{page}?token={token}").status_code == 302
    assert "_auth_user_id" not in anonymous.session  # nor does it sign anyone in
    users.officer.set_password("another secret")  # a new password revokes the feeds' tokens
    users.officer.save()
    assert anonymous.get(link).status_code == 403
