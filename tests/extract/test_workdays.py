"""Working days of a Vietnamese state office: weekends, public holidays incl. Tết, announced swaps."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.extract.workdays import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 11, 25), True),  # an ordinary Tuesday
        (date(2025, 11, 29), False),  # Saturday
        (date(2025, 11, 30), False),  # Sunday
        (date(2025, 1, 27), False),  # Tết Ất Tỵ 2025
        (date(2025, 1, 31), False),
        (date(2025, 2, 3), True),  # first working day after Tết 2025
        (date(2026, 2, 16), False),  # Tết Bính Ngọ 2026
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), True),
        (date(2025, 4, 30), False),  # Ngày Chiến thắng
        (date(2025, 5, 1), False),  # Quốc tế Lao động
        (date(2025, 5, 2), False),  # swapped away...
        (date(2025, 4, 26), True),  # ...for this make-up Saturday
        (date(2024, 5, 4), True),  # make-up Saturday of 2024
        (date(2026, 1, 2), False),  # Tết Dương lịch 2026 swap, from the table
        (date(2026, 1, 10), True),  # its make-up Saturday
        (date(2025, 9, 2), False),  # Quốc khánh
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2025, 11, 24), 0, date(2025, 11, 24)),
        (date(2025, 11, 24), 1, date(2025, 11, 25)),
        (date(2025, 11, 27), 3, date(2025, 12, 2)),  # Thu + 3 skips the weekend
        (date(2025, 1, 24), 1, date(2025, 2, 3)),  # Friday before Tết 2025 → the Monday after it
        (date(2026, 2, 12), 2, date(2026, 2, 23)),  # Tết 2026 skipped
        (date(2025, 4, 24), 2, date(2025, 4, 26)),  # Thu, Fri 25, make-up Saturday 26 counts
        (date(2025, 12, 31), 2, date(2026, 1, 6)),  # 1/1 holiday, 2/1 swapped off, weekend
        (date(2025, 12, 2), -1, date(2025, 12, 1)),
        (date(2025, 12, 1), -1, date(2025, 11, 28)),
    ],
)
def test_add_working_days(start: date, n: int, due: date) -> None:
    assert add_working_days(start, n) == due
