"""The KPI tallies kept with the events (``tracking.tallies``): which rows a period reads, and rows that follow a task
through its life, the same as a rebuild from the tasks after every step, none left empty."""

from datetime import date

import pytest

from dondoc.tracking import services, tallies
from dondoc.tracking.models import LeadTally
from tests.kpis.builders import Clock, task

D = date.fromisoformat


def test_whole_months_are_read_from_month_rows_and_the_rest_from_day_rows():
    assert tallies.spans(D("2026-01-01"), D("2026-12-31")) == [("m", D("2026-01-01"), D("2026-12-01"))]
    assert tallies.spans(D("2025-06-10"), D("2025-09-03")) == [
        ("d", D("2025-06-10"), D("2025-06-30")), ("m", D("2025-07-01"), D("2025-08-01")),
        ("d", D("2025-09-01"), D("2025-09-03"))]
    assert tallies.spans(D("2026-02-10"), D("2026-02-16")) == [("d", D("2026-02-10"), D("2026-02-16"))]


@pytest.mark.django_db
def test_rows_follow_a_task_and_equal_a_rebuild_after_every_step(org, monkeypatch):
    clock = Clock(monkeypatch, D("2025-02-03"))

    def check():
        kept = tallies.stored()
        assert all(any(counts) for counts in kept.values())  # a row brought down to nothing is deleted
        tallies.rebuild()
        assert tallies.stored() == kept
        return kept

    t = task(clock, lead=[org.ict, org.health], due=D("2025-03-20"), assigned=D("2025-02-03"))
    kept = check()
    assert {(k[0], k[3], k[4]) for k in kept} == {("a", org.ict.pk, ""), ("a", org.health.pk, ""), ("t", 0, ""),
                                                  ("s", org.ict.pk, tallies.lead_key([org.ict.pk, org.health.pk])),
                                                  ("s", org.health.pk, tallies.lead_key([org.ict.pk, org.health.pk]))}
    services.request_extension(t, due=D("2025-04-30"), reason="Chờ ý kiến")
    services.decide_extension(t, approve=True)
    assert not LeadTally.objects.filter(day=D("2025-03-20")).exists()  # the deadline moved with its rows
    check()
    clock.day = D("2025-03-05")
    services.apply_successions(clock.day)  # ICT merged into science on 1/3: its rows (the approval's too) move
    assert not LeadTally.objects.filter(agency=org.ict.pk).exists()
    check()
    clock.day = D("2025-05-06")
    services.complete_task(t, on=D("2025-05-04"))
    services.reopen_task(t, reason="Chưa đạt")
    services.transfer_task(t, to=[org.finance], reason="Đúng chức năng")
    check()
