"""`dondoc kpis` as users run it: a table, JSON or CSV per agency, and clear refusals."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from dondoc.tracking import services

from .builders import Clock, task

D = date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(org, monkeypatch):
    clock = Clock(monkeypatch, D("2025-10-15"))
    for due, finished in ((D("2025-07-31"), D("2025-07-30")), (D("2025-08-31"), D("2025-09-04")),
                          (D("2025-09-15"), None)):
        t = task(clock, lead=[org.health], due=due, assigned=D("2025-07-01"))
        if finished:
            with clock.at(finished):
                services.complete_task(t, on=finished)
    task(clock, lead=[org.tax], due=D("2025-09-30"), assigned=D("2025-07-01"))
    return clock


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("kpis", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_table_lists_each_agency_with_its_rate_and_a_total(quarter):
    out, err = run("--period", "Quý III/2025", "--as-of", "2025-09-30")
    lines = out.splitlines()
    assert lines[0].startswith("Chỉ số thực hiện nhiệm vụ Quý III/2025 (01/07/2025–30/09/2025), tính đến ngày "
                               "30/09/2025")
    health = next(line for line in lines if line.startswith("Bộ Y tế"))
    assert health.split()[3:11] == ["3", "3", "1", "1", "0", "1", "0", "0"] and "33.3%" in health
    assert next(line for line in lines if line.startswith("Tổng cộng")).split()[2:4] == ["4", "4"]
    assert "công thức 2026.1" in out and err == ""


def test_json_and_csv_carry_the_formula_version_and_the_events_read(quarter, org):
    out, _ = run("--period", "2025-Q3", "--as-of", "2025-09-30", "--format", "json", "--agency", "Bộ Y tế")
    report = json.loads(out)
    assert (report["formula_version"], report["period"]["label"], report["as_of"]) == ("2026.1", "Quý III/2025",
                                                                                        "2025-09-30")
    assert [(r["agency"], r["on_time_rate"], r["judged"]) for r in report["rows"]] == [("Bộ Y tế", 0.333333, 3)]
    assert report["until_seq"] > 0
    out, _ = run("--period", "2025-Q3", "--as-of", "2025-09-30", "--format", "csv", "--units")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["agency"], r["assigned"], r["overdue"]) for r in rows] == [
        ("Bộ Tài chính", "1", "0"), ("Bộ Y tế", "3", "1"), ("Tổng cộng", "4", "1")]


def test_ranking_names_agencies_for_commendation_and_criticism(quarter):
    out, _ = run("--period", "2025-Q3", "--as-of", "2025-10-15", "--rank", "--min-tasks", "1")
    tail = out[out.index("Đề nghị biểu dương"):]
    assert "1. Bộ Y tế — 33.3% đúng hạn, 1 quá hạn" in tail
    assert tail.index("Đề nghị phê bình") < tail.index("1. Cục Thuế — 1 quá hạn (TB 15.0 ngày), 0.0% đúng hạn")


def test_a_wrong_period_or_agency_is_refused_in_both_languages(quarter):
    with pytest.raises(CommandError, match=r"Không hiểu kỳ báo cáo «quý ba».*Unknown period «quý ba»"):
        run("--period", "quý ba")
    with pytest.raises(CommandError, match=r"Không có cơ quan «Bộ Y tể».*closest: Bộ Y tế"):
        run("--period", "2025-Q3", "--agency", "Bộ Y tể")


def test_an_agency_without_tasks_and_an_empty_period_are_said_on_stderr(quarter):
    out, err = run("--period", "2025-Q3", "--agency", "Bộ Tài chính", "--as-of", "2025-09-30")
    assert "Bộ Tài chính" in out and "has no tasks in 2025-Q3" in err
    _, err = run("--period", "2024", "--as-of", "2025-09-30")
    assert "Không có nhiệm vụ nào trong kỳ Năm 2024" in err


def test_indicators_are_listed_with_progress_and_off_track_flags_and_imported_from_a_file(org, tmp_path,
                                                                                         monkeypatch):
    from dondoc.kpis import indicators as ind
    from dondoc.kpis.models import IndicatorValue

    Clock(monkeypatch, D("2025-10-01"))
    online = ind.create_indicator(name="Hồ sơ xử lý trực tuyến toàn trình", code="HS-TT", unit="percent",
                                  direction="increase", baseline_value="20", baseline_date=D("2025-01-01"),
                                  target_value="50", target_date=D("2025-12-31"), agency=org.province)
    ind.create_indicator(name="Xếp hạng PCI", code="PCI", unit="rank", direction="decrease", baseline_value="40",
                         baseline_date=D("2025-01-01"), target_value="30", target_date=D("2026-12-31"),
                         agency=org.province)
    wrong = tmp_path / "sai.csv"
    wrong.write_text("chỉ tiêu,giá trị,ngày\nHS-TT,47%,30/09/2025\nPCI,12%,30/09/2025\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi, không lưu số liệu nào"):
        call_command("indicators", "--import", str(wrong), stderr=err)
    assert "dòng 3, cột «giá trị»: «12%» là phần trăm (%) nhưng chỉ tiêu tính bằng thứ hạng" in err.getvalue()
    assert not IndicatorValue.objects.exists()
    right = tmp_path / "dung.csv"
    right.write_text("chỉ tiêu,giá trị,ngày\nHS-TT,27%,30/09/2025\n", encoding="utf-8")
    out = io.StringIO()
    call_command("indicators", "--import", str(right), stdout=out)
    assert "1 số liệu mới" in out.getvalue()
    out = io.StringIO()
    call_command("indicators", "--as-of", "2025-10-01", "--off-track", "--format", "json", stdout=out)
    flagged = json.loads(out.getvalue())
    assert [(f["code"], f["status"], f["progress"]) for f in flagged] == [("HS-TT", "behind", 0.2333),
                                                                          ("PCI", "no_data", None)]
    assert online.values.get().value == 27
