"""KPIs, briefing reports and task exports over the API: the figures users see, the files read back, who may read
them, and refusals in the one error shape.

The shared directive is confirmed on 15/4/2026; the clock then moves to 10/7/2026: task 1 (Cục Thuế, due 30/6) is
10 days overdue, task 2 (Bộ Y tế, due 30/9) in progress within its deadline, task 3 (Cục Thuế, no deadline)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from dondoc.tracking.models import Task

from .conftest import ROLES

JULY = date(2026, 7, 10)


@pytest.fixture
def july(confirmed, clock):
    clock.set(JULY)
    return confirmed


def test_kpis_per_agency_with_ranking(api, july):
    answer = api("leader").get("/api/kpis/", {"period": "2026-Q2"})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["period"]["code"] == "2026-Q2" and body["as_of"] == "2026-07-10"
    rows = {r["agency"]: r for r in body["rows"]}
    assert set(rows) == {"Cục Thuế"}
    assert (rows["Cục Thuế"]["assigned"], rows["Cục Thuế"]["overdue"], rows["Cục Thuế"]["on_time_rate"]) == (1, 1, 0)
    assert body["total"]["overdue"] == 1
    assert [r["agency"] for r in body["ranking"]["criticise"]] == ["Cục Thuế"]
    assert body["ranking"]["commend"] == []  # one judged task is fewer than the default minimum of 5


def test_kpis_of_an_agency_with_its_units_as_of_a_past_day(api, july, org):
    answer = api("officer").get("/api/kpis/", {"period": "2026-Q2", "agency": "Bộ Tài chính", "include_units": "true",
                                               "as_of": "2026-06-20"})
    (row,) = answer.json()["rows"]
    assert (row["agency"], row["assigned"], row["in_progress"], row["overdue"]) == ("Bộ Tài chính", 1, 1, 0)
    assert [n["code"] for n in answer.json()["notices"]] == ["period_not_over"]


def test_kpis_as_csv(api, july):
    answer = api("officer").get("/api/kpis/", {"period": "2026-Q2", "format": "csv"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"] == 'attachment; filename="chi-so-2026-Q2.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["agency"], r["overdue"], r["period"]) for r in rows] == [("Cục Thuế", "1", "2026-Q2"),
                                                                      ("Tổng cộng", "1", "2026-Q2")]


@pytest.mark.parametrize("query, code, field, vi", [
    ({"period": "Quý V/2026"}, "bad_quarter", "period", "Quý «V» không hợp lệ"),
    ({"period": "hôm qua"}, "unknown_period", "period", "Không hiểu kỳ báo cáo"),
    ({}, "required", "period", "bắt buộc"),
    ({"period": "2026-Q2", "agency": "Bộ Ngoại giao"}, "unknown_agency", "agency", "Không có cơ quan «Bộ Ngoại giao»"),
    ({"period": "2026-Q2", "format": "xml"}, "invalid_choice", "format", "không phải là một lựa chọn hợp lệ"),
])
@pytest.mark.parametrize("url", ["/api/kpis/", "/api/reports/briefing"])
def test_bad_queries_answer_400_in_the_error_shape(api, july, url, query, code, field, vi):
    answer = api("officer").get(url, query)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == code and field in error["fields"]
    assert vi in error["message"]["vi"] and error["message"]["en"]


def test_an_empty_period_still_answers_with_a_notice(api, july):
    body = api("officer").get("/api/kpis/", {"period": "2024-Q1"}).json()
    assert body["rows"] == [] and [n["code"] for n in body["notices"]] == ["no_tasks"]


def test_briefing_docx_is_an_attachment_with_the_figures_and_the_overdue_task(api, july):
    answer = api("leader").get("/api/reports/briefing", {"period": "2026-Q2"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="bao-cao-giao-ban-2026-Q2.docx"'
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(answer.content))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].rows[0].cells[1].text
    results = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    assert results[0][1:] == ["Cục Thuế", "1", "0", "0", "0", "1", "0", "0,0%"]
    overdue = [c.text for c in doc.tables[2].rows[1].cells]
    assert "rà soát danh mục cơ sở khám bệnh" in overdue[1] and overdue[2:] == ["Cục Thuế", "1234/BTC-CNTT",
                                                                              "30/06/2026", "10"]


def test_briefing_xlsx_and_markdown(api, july):
    answer = api("officer").get("/api/reports/briefing", {"period": "2026-Q2", "format": "xlsx",
                                                          "agency": "Cục Thuế"})
    assert answer["Content-Disposition"] == 'attachment; filename="bao-cao-giao-ban-2026-Q2-cuc-thue.xlsx"'
    wb = load_workbook(io.BytesIO(answer.content))
    assert [r[:2] for r in wb["Kết quả"].iter_rows(min_row=2, values_only=True)] == [("Cục Thuế", 1),
                                                                                    ("Tổng cộng", 1)]
    (task,) = wb["Nhiệm vụ quá hạn"].iter_rows(min_row=2, values_only=True)
    assert task[2] == "Cục Thuế" and task[5] == 10
    text = api("officer").get("/api/reports/briefing", {"period": "2026-Q2", "format": "md"}).content.decode()
    assert "| Cục Thuế | 1 | 0 | 0 | 0 | 1 | 0 | 0,0% |" in text


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (apt install libreoffice-writer-nogui)")
def test_briefing_pdf(api, july):
    answer = api("officer").get("/api/reports/briefing", {"period": "2026-Q2", "format": "pdf"})
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert answer["Content-Disposition"] == 'attachment; filename="bao-cao-giao-ban-2026-Q2.pdf"'


def test_briefing_pdf_without_libreoffice_is_503_saying_what_to_install(api, july, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    answer = api("officer").get("/api/reports/briefing", {"period": "2026-Q2", "format": "pdf"})
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "pdf_unavailable" and "libreoffice-writer-nogui" in error["message"]["vi"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/api/kpis/?period=2026-Q2", "/api/reports/briefing?period=2026-Q2&format=md"])
def test_reports_are_for_signed_in_users_with_a_role(api, july, role, url):
    answer = api(role).get(url)
    assert answer.status_code == (401 if role == "anonymous" else 200)
    if role == "anonymous":
        assert answer.json()["error"]["code"] == "not_authenticated"


def test_a_signed_in_user_without_a_role_may_not_read_reports(july, django_user_model):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("khach", password="x"))
    answer = client.get("/api/kpis/", {"period": "2026-Q2"})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"


# ------------------------------------------------------------------------------------------------ task exports


def _streamed(answer) -> str:
    return b"".join(answer.streaming_content).decode("utf-8")


def test_export_csv_for_the_office(api, july):
    answer = api("officer").get("/api/tasks/export", {"format": "csv"})
    assert answer.status_code == 200 and answer.streaming
    assert answer["Content-Disposition"] == 'attachment; filename="nhiem-vu-2026-07-10.csv"'
    text = _streamed(answer)
    assert text.startswith("\ufeffid,content,state")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["lead"], r["state"], r["due_date"]) for r in rows] == [
        ("Cục Thuế", "overdue", "2026-06-30"), ("Bộ Y tế", "not_due", "2026-09-30"), ("Cục Thuế", "not_due", "")]
    assert rows[0]["document_number"] == "1234/BTC-CNTT" and rows[0]["state_label"]


def test_export_json_with_the_task_list_filters(api, july):
    answer = api("officer").get("/api/tasks/export", {"format": "json", "state": "overdue"})
    (task,) = json.loads(_streamed(answer))
    assert task["lead"][0]["name"] == "Cục Thuế" and task["state"] == "overdue" and task["support"][0]["name"] == \
        "Bộ Y tế"
    on_day = json.loads(_streamed(api("officer").get("/api/tasks/export", {"format": "json", "as_of": "2026-06-20",
                                                                            "state": "overdue"})))
    assert on_day == []


def test_anonymous_exports_hold_public_tasks_only(api, july):
    Task.objects.filter(pk=july.hospitals.pk).update(is_public=True)
    rows = json.loads(_streamed(api("anonymous").get("/api/tasks/export", {"format": "json"})))
    assert [r["id"] for r in rows] == [july.hospitals.pk]
    focal = json.loads(_streamed(api("health_focal").get("/api/tasks/export", {"format": "json"})))
    assert {r["id"] for r in focal} == {july.inspect.pk, july.hospitals.pk}


def test_export_refuses_an_unknown_format_in_the_error_shape(api, july):
    answer = api("officer").get("/api/tasks/export", {"format": "xml"})
    assert answer.status_code == 400 and answer.json()["error"]["fields"]["format"]


def test_without_the_public_view_anonymous_exports_and_feeds_are_401(api, july, org, settings):
    settings.DONDOC_PUBLIC_TASKS = False
    Task.objects.filter(pk=july.hospitals.pk).update(is_public=True)
    for url in ("/api/tasks/export?format=json", f"/api/calendar/agency/{org.health.pk}.ics"):
        answer = api("anonymous").get(url)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "not_authenticated"
        assert api("officer").get(url).status_code == 200
