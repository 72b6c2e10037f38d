"""A quarter of work written through the tracking services on a clock the test moves (tests/kpis/builders.py), and
one indicator: enough for every part of a briefing report to have something true to show.

Quý III/2025, as of 05/10/2025:
- Bộ Y tế leads three tasks: done on time, done late (4 days), open past its deadline of 15/09 (20 days overdue);
- Cục Thuế (a unit of Bộ Tài chính) leads one open task due 30/09 (5 days overdue);
- Bộ Y tế answers for an indicator "Hồ sơ xử lý trực tuyến toàn trình" (40 % → 100 % in 2025), 50 % reported on
  30/09: far behind a linear path, so off track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.kpis.builders import Clock, document

D = date.fromisoformat
AS_OF = D("2025-10-05")


@dataclass
class Quarter:
    clock: Clock
    late_health: object  # the Bộ Y tế task still open
    late_tax: object  # the Cục Thuế task still open
    indicator: object


def _task(clock: Clock, *, lead, due: date, assigned: date, content: str):
    from dondoc.tracking import services

    with clock.at(assigned):
        task = services.add_task(document(assigned), content=content, lead=list(lead), due=due)
        services.confirm_task(task)
    task.refresh_from_db()
    return task


@pytest.fixture
def quarter(org, monkeypatch) -> Quarter:
    from dondoc.kpis.indicators import create_indicator, record_value
    from dondoc.tracking import services

    clock = Clock(monkeypatch, AS_OF)
    start = D("2025-07-01")
    on_time = _task(clock, lead=[org.health], due=D("2025-07-31"), assigned=start,
                    content="Ban hành quy trình tiếp nhận hồ sơ trực tuyến")
    late = _task(clock, lead=[org.health], due=D("2025-08-31"), assigned=start,
                 content="Kết nối dữ liệu khám chữa bệnh với bảo hiểm xã hội")
    open_health = _task(clock, lead=[org.health], due=D("2025-09-15"), assigned=start,
                        content="Rà soát danh mục thuốc đấu thầu tập trung")
    open_tax = _task(clock, lead=[org.tax], due=D("2025-09-30"), assigned=start,
                     content="Hoàn thiện cơ sở dữ liệu hóa đơn điện tử")
    with clock.at(D("2025-07-30")):
        services.complete_task(on_time, on=D("2025-07-30"))
    with clock.at(D("2025-09-04")):
        services.complete_task(late, on=D("2025-09-04"))
    with clock.at(D("2025-09-30")):
        indicator = create_indicator(name="Hồ sơ xử lý trực tuyến toàn trình", unit="percent", direction="increase",
                                     baseline_value="40", baseline_date=D("2025-01-01"), target_value="100",
                                     target_date=D("2025-12-31"), agency=org.health, code="HS-TT")
        record_value(indicator, "50%", D("2025-09-30"))
    return Quarter(clock, open_health, open_tax, indicator)
