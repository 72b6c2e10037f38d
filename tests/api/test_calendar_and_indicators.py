"""Calendar feeds a calendar application can subscribe to (a feed token in the address), and indicators: progress
against the target, values reported by the responsible agency, wrong units refused with the field at fault."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from dondoc.tracking.models import Task


@pytest.fixture
def july(confirmed, clock):
    clock.set(date(2026, 7, 10))
    return confirmed


def _feed_links(api, role) -> dict:
    answer = api(role).get("/api/calendar/")
    assert answer.status_code == 200
    return answer.json()


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_a_focal_point_subscribes_with_the_feed_address_and_no_headers(api, july, users):
    links = _feed_links(api, "finance_focal")
    assert links["me"].startswith("http://testserver/api/calendar/me.ics?token=")
    assert links["agency"].startswith(f"http://testserver/api/calendar/agency/{users.finance_focal.profile.agency_id}"
                                      ".ics?token=")
    answer = APIClient().get(links["me"].removeprefix("http://testserver"))  # a calendar application: no headers
    assert answer.status_code == 200 and answer["Content-Type"] == "text/calendar; charset=utf-8"
    text = _unfold(answer.content.decode())
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "X-WR-CALNAME:Hạn nhiệm vụ — Bộ Tài chính" in text
    assert f"UID:task-{july.inspect.pk}@" in text and "DTSTART;VALUE=DATE:20260630" in text
    assert "SUMMARY:[Quá hạn] Cục Thuế chủ trì\\, phối hợp với Bộ Y tế rà soát" in text
    assert f"UID:task-{july.hospitals.pk}@" not in text  # Bộ Y tế's task: not Bộ Tài chính's
    assert f"UID:task-{july.report.pk}@" not in text  # no deadline, no event


def test_a_bad_or_revoked_feed_token_is_401(api, july, users):
    links = _feed_links(api, "health_focal")
    assert APIClient().get("/api/calendar/me.ics?token=forged").status_code == 401
    users.health_focal.set_password("mật-khẩu-mới")
    users.health_focal.save()
    answer = APIClient().get(links["me"].removeprefix("http://testserver"))
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "authentication_failed"


def test_a_feed_token_opens_nothing_else(api, july):
    token = _feed_links(api, "officer")["token"]
    assert APIClient().get(f"/api/kpis/?period=2026-Q2&token={token}").status_code == 401
    assert APIClient().get(f"/api/tasks/export?format=json&token={token}").streaming  # public read: no token needed


def test_agency_feeds_show_what_the_reader_may_see(api, july, org):
    url = f"/api/calendar/agency/{org.health.pk}.ics"
    officer = _unfold(api("officer").get(url).content.decode())
    assert f"UID:task-{july.inspect.pk}@" in officer and f"UID:task-{july.hospitals.pk}@" in officer
    assert "BEGIN:VEVENT" not in api("anonymous").get(url).content.decode()
    Task.objects.filter(pk=july.hospitals.pk).update(is_public=True)
    public = _unfold(api("anonymous").get(url).content.decode())
    assert f"UID:task-{july.hospitals.pk}@" in public and f"UID:task-{july.inspect.pk}@" not in public
    assert api("officer").get("/api/calendar/agency/999999.ics").status_code == 404


def test_a_personal_feed_needs_an_agency_and_a_user(api, july):
    answer = api("officer").get("/api/calendar/me.ics")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "no_agency"
    assert api("anonymous").get("/api/calendar/me.ics").status_code == 401
    assert api("anonymous").get("/api/calendar/").status_code == 401


# ------------------------------------------------------------------------------------------------ indicators


@pytest.fixture
def indicator(org, clock):
    from dondoc.kpis.indicators import create_indicator, record_value

    found = create_indicator(name="Dịch vụ công trực tuyến toàn trình", unit="percent", direction="increase",
                             baseline_value="40", baseline_date=date(2026, 1, 1), target_value="100",
                             target_date=date(2026, 12, 31), agency=org.health, code="DVC-TT")
    record_value(found, "45%", date(2026, 3, 31))
    return found


def test_indicators_with_progress_and_the_off_track_flag(api, indicator):
    (row,) = api("leader").get("/api/indicators/").json()["results"]
    assert (row["code"], row["agency"]["name"], row["latest_value"], row["latest_value_as_of"]) == (
        "DVC-TT", "Bộ Y tế", 45.0, "2026-03-31")
    assert row["progress"] == pytest.approx(5 / 60, abs=1e-4) and row["status"] == "behind" and row["off_track"]
    assert "Chậm tiến độ" in row["message"]["vi"]
    assert api("leader").get("/api/indicators/", {"off_track": "false"}).json()["results"] == []
    assert api("leader").get("/api/indicators/", {"agency": "Bộ Tài chính"}).json()["results"] == []
    assert api("anonymous").get("/api/indicators/").json()["results"] == []  # not attached to a public task


def test_the_responsible_agency_reports_a_value(api, indicator):
    answer = api("health_focal").post(f"/api/indicators/{indicator.pk}/values/",
                                      {"value": "80,5%", "as_of": "10/04/2026", "note": "Số liệu quý I"},
                                      format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["value"]["value"], body["value"]["as_of"], body["value"]["reported_by"]) == (80.5, "2026-04-10",
                                                                                              "daumoi_byt")
    assert body["indicator"]["latest_value"] == 80.5 and body["indicator"]["status"] == "on_track"
    assert indicator.values.count() == 2  # the earlier value is kept


@pytest.mark.parametrize("body, field, vi", [
    ({"value": "12 ngày", "as_of": "2026-04-10"}, "value", "là ngày nhưng chỉ tiêu tính bằng phần trăm"),
    ({"value": 120, "as_of": "2026-04-10"}, "value", "Tỷ lệ phần trăm phải từ 0 đến 100"),
    ({"value": 50, "as_of": "2026-05-01"}, "as_of", "ở tương lai"),
    ({"value": 50, "as_of": "31/02/2026"}, "as_of", "không tồn tại"),
    ({"value": 50, "as_of": "2026-04-10", "unit": "%"}, "unit", "không được hỗ trợ"),
])
def test_wrong_values_are_400_with_the_field_at_fault(api, indicator, body, field, vi):
    answer = api("officer").post(f"/api/indicators/{indicator.pk}/values/", body, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert field in error["fields"] and vi in error["fields"][field][0]["vi"] and error["fields"][field][0]["en"]
    assert indicator.values.count() == 1


def test_an_unknown_indicator_is_404(api, indicator):
    answer = api("officer").post("/api/indicators/999999/values/", {"value": 1, "as_of": "2026-04-10"},
                                 format="json")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
