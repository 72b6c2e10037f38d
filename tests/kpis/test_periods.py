"""Reporting periods as offices write them, and clear refusals of the ones that do not exist."""

from datetime import date

import pytest

from dondoc.kpis.periods import PeriodError, parse_period

D = date.fromisoformat


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2025-Q3", "2025-07-01", "2025-09-30", "Quý III/2025"),
    ("Quý III/2025", "2025-07-01", "2025-09-30", "Quý III/2025"),
    ("quý 4 năm 2024", "2024-10-01", "2024-12-31", "Quý IV/2024"),
    ("Q1/2025", "2025-01-01", "2025-03-31", "Quý I/2025"),
    ("2025-07", "2025-07-01", "2025-07-31", "Tháng 7/2025"),
    ("tháng 2/2024", "2024-02-01", "2024-02-29", "Tháng 2/2024"),
    ("THÁNG 12 NĂM 2025", "2025-12-01", "2025-12-31", "Tháng 12/2025"),
    ("2025-H1", "2025-01-01", "2025-06-30", "6 tháng đầu năm 2025"),
    ("6 tháng cuối năm 2025", "2025-07-01", "2025-12-31", "6 tháng cuối năm 2025"),
    ("9 tháng đầu năm 2025", "2025-01-01", "2025-09-30", "9 tháng đầu năm 2025"),
    ("2025", "2025-01-01", "2025-12-31", "Năm 2025"),
    ("năm 2025", "2025-01-01", "2025-12-31", "Năm 2025"),
    ("2025-W14", "2025-03-31", "2025-04-06", "Tuần 14/2025 (31/03–06/04/2025)"),
    ("tuần 1/2026", "2025-12-29", "2026-01-04", "Tuần 1/2026 (29/12–04/01/2026)"),
    ("2025-07-01..2025-09-30", "2025-07-01", "2025-09-30", "Từ ngày 01/07/2025 đến ngày 30/09/2025"),
    ("từ 1/7/2025 đến 15/8/2025", "2025-07-01", "2025-08-15", "Từ ngày 01/07/2025 đến ngày 15/08/2025"),
    ("2025-03-05..2025-03-05", "2025-03-05", "2025-03-05", "Từ ngày 05/03/2025 đến ngày 05/03/2025"),
])
def test_periods_in_iso_and_vietnamese_forms(text, start, end, label):
    period = parse_period(text)
    assert tuple(period) == (D(start), D(end), label)
    assert parse_period(period.code) == period  # the canonical code reads back the same


@pytest.mark.parametrize(("text", "code", "en"), [
    ("", "no_period", "No period given"),
    ("quý trước", "unknown_period", "Unknown period «quý trước». Use one of: 2025-Q3"),
    ("2025-Q5", "bad_quarter", "The quarter must be 1 to 4"),
    ("Quý V/2025", "bad_quarter", "Quarter «V» is not valid"),
    ("2025-13", "bad_month", "The month must be 1 to 12, not 13"),
    ("2025-W53", "bad_week", "2025 has 52 ISO weeks; there is no week 53"),
    ("2025-09-30..2025-07-01", "empty_period", "Empty period: the end 2025-07-01 is before the start 2025-09-30"),
    ("31/02/2025-01/03/2025", "bad_date", "The date «31/02/2025» does not exist"),
    ("3025", "bad_year", "outside 1945–2100"),
])
def test_a_period_that_does_not_exist_is_refused_in_vietnamese_and_english(text, code, en):
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert error.value.code == code and en in error.value.en
    assert error.value.vi and error.value.vi != error.value.en
    assert str(error.value) == f"{error.value.vi} / {error.value.en}"


def test_a_period_knows_its_days():
    q = parse_period("2025-Q1")
    assert q.days == 90 and D("2025-03-31") in q and D("2025-04-01") not in q
