"""Indicators: progress against the target, the off-track flag, values checked against the unit, CSV/XLSX imports
that save all rows or none."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from dondoc.kpis import indicators as ind
from dondoc.kpis.indicators import ValueProblem, assess, parse_value
from dondoc.kpis.models import Indicator, IndicatorValue
from dondoc.tracking.services import ServiceError

D = date.fromisoformat


# ------------------------------------------------------------------------------------------------ progress (pure)


def at(day, value=None, value_day="2025-06-30", direction="increase", baseline="20", target="100",
       tolerance="0.10"):
    return assess(direction=direction, baseline=Decimal(baseline), baseline_date=D("2025-01-01"),
                  target=Decimal(target), target_date=D("2026-01-01"),
                  latest=None if value is None else (Decimal(value), D(value_day)), day=D(day),
                  tolerance=Decimal(tolerance))


def test_progress_is_the_share_of_the_way_from_baseline_to_target_and_expected_progress_is_linear_in_time():
    a = at("2025-07-02", "60")  # 40 of the 80 points; 182 of 365 days
    assert (a.progress, a.expected, a.status, a.off_track) == (0.5, 0.4986, "on_track", False)


def test_an_indicator_more_than_the_tolerance_behind_the_expected_progress_is_off_track():
    behind = at("2025-07-02", "44", tolerance="0.10")
    assert (behind.progress, behind.status, behind.off_track) == (0.3, "behind", True)
    assert at("2025-07-02", "52").status == "on_track"  # 40 %: 9.9 points behind, within the tolerance
    assert at("2025-07-02", "44", tolerance="0.25").status == "on_track"


def test_reaching_the_target_is_achieved_and_missing_the_day_is_missed():
    assert at("2025-03-01", "100").status == "achieved"
    assert at("2025-03-01", "104").status == "achieved"  # more than the target is fine for an increase
    missed = at("2026-01-02", "99", value_day="2025-12-31")
    assert (missed.status, missed.off_track) == ("missed", True)


def test_a_decreasing_indicator_goes_down_and_a_level_to_reach_must_not_be_overshot():
    down = at("2025-07-02", "30", direction="decrease", baseline="50", target="10")
    assert (down.progress, down.status) == (0.5, "on_track")
    assert at("2025-07-02", "9", direction="decrease", baseline="50", target="10").status == "achieved"
    over = at("2025-07-02", "6", direction="reach", baseline="2", target="4")  # 2 points past a level of 4
    assert (over.progress, over.status, over.off_track) == (0.0, "behind", True)
    assert at("2025-07-02", "4", direction="reach", baseline="2", target="4").status == "achieved"


def test_no_value_is_flagged_once_progress_was_expected():
    early, late = at("2025-01-20"), at("2025-04-01")
    assert (early.status, early.off_track, late.status, late.off_track) == ("no_data", False, "no_data", True)
    assert late.message == ("Chưa có số liệu báo cáo.", "No value reported yet.")


# ------------------------------------------------------------------------------------------------ values


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("45", "percent", "45"), ("45%", "percent", "45"), ("45,5 %", "percent", "45.5"), (45.5, "percent", "45.5"),
    ("1.500", "count", "1500"), ("1.234.567", "count", "1234567"), ("12", "rank", "12"), ("12 hạng", "rank", "12"),
    ("1,5 tỷ đồng", "vnd", "1500000000"), ("250 triệu", "vnd", "250000000"), ("15.000đ", "vnd", "15000"),
    ("30 ngày", "days", "30"), ("-3,25", "number", "-3.25"), ("1,234,567", "count", "1234567"),
    ("1.234,5", "number", "1234.5"), (7, "count", "7"),
])
def test_values_are_read_the_vietnamese_way(raw, unit, expected):
    assert parse_value(raw, unit) == Decimal(expected)


@pytest.mark.parametrize(("raw", "unit", "code", "en"), [
    ("45%", "count", "wrong_unit", "«45%» is in percent but the indicator is measured in a count"),
    ("30 ngày", "percent", "wrong_unit", "is in days but the indicator is measured in percent"),
    ("2 tỷ", "count", "wrong_unit", "is an amount of money"),
    ("khoảng 40", "percent", "not_a_number", "«khoảng 40» is not a number"),
    ("chưa có", "count", "not_a_number", "is not a number"),
    ("145", "percent", "percent_out_of_range", "between 0 and 100; «145» is not"),
    ("12,5", "count", "bad_count", "whole number"),
    ("0", "rank", "bad_rank", "1 or more"),
    ("-5", "vnd", "negative", "cannot be negative"),
    ("", "count", "missing_value", "missing"),
    ("1.2.3", "count", "not_a_number", "is not a number"),
    ("0,123456", "number", "too_precise", "at most 4 decimal places"),
])
def test_a_value_in_the_wrong_unit_or_not_a_number_is_refused_with_a_clear_message(raw, unit, code, en):
    with pytest.raises(ValueProblem) as error:
        parse_value(raw, unit)
    assert error.value.code == code and en in error.value.en and error.value.vi


def test_a_percent_formatted_spreadsheet_cell_is_read_as_a_percentage_and_refused_for_a_count():
    assert parse_value(0.45, "percent", percent_cell=True) == Decimal("45")
    with pytest.raises(ValueProblem, match="percent-formatted cell"):
        parse_value(0.45, "count", percent_cell=True)


# ------------------------------------------------------------------------------------------------ stored


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def online(org):
    return ind.create_indicator(
        name="Tỷ lệ dịch vụ công trực tuyến toàn trình đủ điều kiện", code="DVC-TT", unit="percent",
        direction="increase", baseline_value="40", baseline_date=D("2025-01-01"), target_value="100",
        target_date=D("2025-12-31"), agency=org.province)


@pytest.fixture
def ranking(org):
    return ind.create_indicator(name="Chỉ số PAPI", code="PAPI", unit="rank", direction="decrease",
                                baseline_value="45", baseline_date=D("2025-01-01"), target_value="35",
                                target_date=D("2026-12-31"), agency=org.province)


@pytestmark_db
def test_an_indicator_must_point_somewhere_its_direction_allows(org):
    kwargs = dict(name="Hồ sơ trực tuyến", unit="percent", baseline_date=D("2025-01-01"),
                  target_date=D("2025-12-31"), agency=org.province)
    with pytest.raises(ServiceError) as error:
        ind.create_indicator(direction="increase", baseline_value="50", target_value="40", **kwargs)
    assert (error.value.code, error.value.field) == ("target_direction", "target_value")
    with pytest.raises(ServiceError) as error:
        ind.create_indicator(direction="increase", baseline_value="50", target_value="140", **kwargs)
    assert error.value.code == "percent_out_of_range" and error.value.field == "target_value"
    with pytest.raises(ServiceError, match="unit"):
        ind.create_indicator(direction="increase", baseline_value="5", target_value="10",
                             **{**kwargs, "unit": "kg"})
    assert not Indicator.objects.exists()


@pytestmark_db
def test_reported_values_are_kept_and_the_latest_one_counts(online, users, monkeypatch):
    monkeypatch.setattr(ind.timezone, "localdate", lambda *a, **k: D("2025-12-01"))
    ind.record_value(online, "55%", D("2025-06-30"), reported_by=users.officer)
    ind.record_value(online, "58", "30/06/2025", reported_by=users.officer, note="Số liệu sau rà soát")
    ind.record_value(online, "70", D("2025-09-30"))
    assert IndicatorValue.objects.count() == 3
    june = ind.progress(online, D("2025-07-01"))
    assert (june.value, june.progress, june.status) == (Decimal("58"), 0.3, "behind")
    assert ind.progress(online, D("2025-10-01")).value == Decimal("70")
    assert [i.code for i, _ in ind.off_track(Indicator.objects.all(), D("2025-10-01"))] == ["DVC-TT"]
    first = IndicatorValue.objects.first()
    with pytest.raises(ValueError, match="append-only"):
        first.save()
    with pytest.raises(ValueError, match="append-only"):
        first.delete()


@pytestmark_db
def test_a_wrong_value_or_day_is_refused_naming_the_field(online, monkeypatch):
    monkeypatch.setattr(ind.timezone, "localdate", lambda *a, **k: D("2025-12-01"))
    for value, day, field, code in (("45 ngày", D("2025-06-30"), "value", "wrong_unit"),
                                    ("45", D("2026-01-05"), "as_of", "future_date"),
                                    ("45", D("2024-12-31"), "as_of", "before_baseline"),
                                    ("45", "31/06/2025", "as_of", "bad_date")):
        with pytest.raises(ServiceError) as error:
            ind.record_value(online, value, day)
        assert (error.value.field, error.value.code) == (field, code)
    assert not IndicatorValue.objects.exists()


# ------------------------------------------------------------------------------------------------ imports


def xlsx(rows, percent_cells=()):
    import io

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref in percent_cells:
        sheet[ref].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytestmark_db
def test_a_csv_import_saves_every_row(online, ranking, monkeypatch):
    monkeypatch.setattr(ind.timezone, "localdate", lambda *a, **k: D("2025-12-01"))
    data = ("Chỉ tiêu;Giá trị;Ngày số liệu;Ghi chú\n"
            "DVC-TT;62,5%;30/06/2025;Báo cáo 6 tháng\n"
            "Chỉ số PAPI;41;2025-09-30;\n").encode()
    result = ind.import_values(data, "so-lieu.csv")
    assert (result.ok, result.rows, len(result.created), result.unchanged) == (True, 2, 2, 0)
    assert [(v.indicator.code, v.value, v.source) for v in result.created] == [
        ("DVC-TT", Decimal("62.5"), "import"), ("PAPI", Decimal("41"), "import")]
    again = ind.import_values(data, "so-lieu.csv")  # the same file twice adds nothing
    assert (again.ok, len(again.created), again.unchanged) == (True, 0, 2)


@pytestmark_db
def test_an_import_with_wrong_rows_saves_nothing_and_lists_each_error(online, ranking, monkeypatch):
    monkeypatch.setattr(ind.timezone, "localdate", lambda *a, **k: D("2025-12-01"))
    data = xlsx([
        ["Mã chỉ tiêu", "Giá trị", "Ngày", "Đơn vị"],
        ["DVC-TT", 0.62, datetime(2025, 6, 30), "%"],  # row 2: right (a percent-formatted cell)
        ["PAPI", "45%", "30/09/2025", None],  # row 3: a percent for a rank
        ["DVC-TT", "nhiều", "30/09/2025", None],  # row 4: text
        [None, None, None, None],  # row 5: blank, skipped
        ["DVC-XYZ", 10, "30/09/2025", None],  # row 6: unknown indicator
        ["DVC-TT", 120, "2025-09-31", None],  # row 7: above 100 and no such day
        ["PAPI", 40, "30/09/2025", "%"],  # row 8: the unit column disagrees
        ["DVC-TT", 0.7, datetime(2025, 6, 30), None],  # row 9: same indicator and day as row 2
    ], percent_cells=("B2", "B9"))
    result = ind.import_values(data, "so-lieu.xlsx")
    assert not result.ok and result.created == [] and not IndicatorValue.objects.exists()
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "Giá trị", "wrong_unit"), (4, "Giá trị", "not_a_number"), (6, "Mã chỉ tiêu", "unknown_indicator"),
        (7, "Ngày", "bad_date"), (7, "Giá trị", "percent_out_of_range"), (8, "Đơn vị", "wrong_unit"),
        (9, "Ngày", "duplicate_row")]
    assert str(result.errors[0]).startswith("dòng 3, cột «Giá trị»: «45%» là phần trăm (%) nhưng chỉ tiêu tính bằng "
                                            "thứ hạng. / row 3, column «Giá trị»: «45%» is in percent")


@pytestmark_db
def test_a_file_that_is_not_a_table_of_values_is_refused_as_a_whole(online):
    assert ind.import_values(b"%PDF-1.4", "so-lieu.pdf").errors[0].code == "bad_format"
    assert ind.import_values(b"", "so-lieu.csv").errors[0].code == "empty_file"
    missing = ind.import_values("Chỉ tiêu;Ghi chú\nDVC-TT;x\n".encode(), "a.csv").errors[0]
    assert (missing.row, missing.code) == (1, "missing_columns") and "value (gia tri)" in missing.en
    assert ind.import_values(b"\xff\xfe\x00", "a.csv").errors[0].code == "bad_encoding"
    assert ind.import_values(b"not a zip", "a.xlsx").errors[0].code == "bad_file"


@pytestmark_db
def test_the_admin_form_reads_values_the_vietnamese_way_and_refuses_the_wrong_unit(client, users, org, monkeypatch):
    monkeypatch.setattr(ind.timezone, "localdate", lambda *a, **k: D("2025-12-01"))
    count = ind.create_indicator(name="Số thủ tục được cắt giảm", unit="count", direction="increase",
                                 baseline_value="0", baseline_date=D("2025-01-01"), target_value="1.200",
                                 target_date=D("2025-12-31"), agency=org.province)
    client.force_login(users.admin)
    url = "/admin/kpis/indicatorvalue/add/"
    page = client.post(url, {"indicator": count.pk, "value": "45%", "as_of": "30/06/2025"})
    assert page.status_code == 200 and "nhưng chỉ tiêu tính bằng số lượng" in page.content.decode()
    assert not IndicatorValue.objects.exists()
    page = client.post(url, {"indicator": count.pk, "value": "1.050", "as_of": "30/06/2025"})
    assert page.status_code == 302, page.context["adminform"].form.errors
    stored = IndicatorValue.objects.get()
    assert (stored.value, stored.source, stored.reported_by) == (Decimal("1050"), "form", users.admin)
    assert client.post(f"/admin/kpis/indicatorvalue/{stored.pk}/delete/").status_code == 403
    bad = client.post("/admin/kpis/indicator/add/", {
        "name": "Tỷ lệ hồ sơ trễ hạn", "unit": "percent", "direction": "decrease", "baseline_value": "5",
        "baseline_date": "01/01/2025", "target_value": "8", "target_date": "31/12/2025", "agency": org.province.pk})
    assert "Chỉ tiêu giảm cần mục tiêu nhỏ hơn giá trị gốc" in bad.content.decode()
