"""Ngày làm việc: which days a Vietnamese state office works, for deadlines in working days.

A day is not worked when it is a Saturday or Sunday, a public holiday (Tết Dương lịch, Tết Nguyên
đán by the lunar calendar, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh and their observed days, from
the ``holidays`` package), or a weekday the Government swapped away. A Saturday announced as a
make-up day (ngày làm bù) is worked. The announced swaps live in ``data/holidays_vn.yaml``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from dondoc.extract.data_files import load_yaml

__all__ = ["add_working_days", "is_working_day"]

_SATURDAY = 5


@cache
def _announced() -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up days) from the swap table."""
    data = load_yaml("holidays_vn.yaml") or {}
    days_off: set[date] = set()
    make_up: set[date] = set()
    for entry in data.get("swaps") or ():
        days_off.add(entry["day_off"])
        if entry.get("make_up"):
            make_up.add(entry["make_up"])
    for entry in data.get("extra_days_off") or ():
        days_off.add(entry["day_off"])
    return frozenset(days_off), frozenset(make_up)


@cache
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days not worked on a weekday, weekend days worked) in one year; cached per year."""
    public = holidays.country_holidays("VN", years=year)
    days_off, make_up = _announced()
    off = {d for d in public if d.year == year} | {d for d in days_off if d.year == year}
    worked = {d for d in public.weekend_workdays if d.year == year} | {d for d in make_up if d.year == year}
    return frozenset(off - worked), frozenset(worked)


@cache
def lunar_new_year(year: int) -> date | None:
    """Mùng 1 Tết Nguyên đán in ``year`` (the holidays package names it "Lunar New Year")."""
    public = holidays.country_holidays("VN", years=year)
    return next((d for d, name in sorted(public.items()) if name == "Lunar New Year"), None)


def is_working_day(d: date) -> bool:
    """True when a state office works on ``d``."""
    off, worked = _calendar(d.year)
    if d in worked:
        return True
    return d.weekday() < _SATURDAY and d not in off


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative); ``start`` if n == 0.

    "Trong vòng 07 ngày làm việc kể từ ngày ký" signed on ``start`` is due on ``add_working_days(start, 7)``.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day
