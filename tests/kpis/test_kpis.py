"""Each rule of formula 2026.1 on a tiny history written through the services; every figure is checked against
both computations (the SQL one and the replay of every task's events)."""

from datetime import date

import pytest

from dondoc.kpis.compute import compute_kpis
from dondoc.tracking import services

from .builders import Clock, agency, task

D = date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, D("2025-12-31"))


def kpis(period, as_of, **options):
    fast = compute_kpis(period, as_of=as_of, **options)
    slow = compute_kpis(period, as_of=as_of, method="replay", **options)
    assert (fast.rows, fast.total, fast.notices) == (slow.rows, slow.total, slow.notices)
    return fast


def row(report, agency):
    found = [r for r in report.rows if r.agency_id == agency.pk]
    assert found, f"{agency} not in the report"
    return found[0]


def done(clock, t, on, recorded=None):
    with clock.at(recorded or on):
        services.complete_task(t, on=on)


def test_a_task_finished_on_its_deadline_day_is_on_time_and_one_day_later_is_late(clock, org):
    on_day = task(clock, lead=[org.health], due=D("2025-07-31"), assigned=D("2025-07-01"))
    day_after = task(clock, lead=[org.health], due=D("2025-07-31"), assigned=D("2025-07-01"))
    done(clock, on_day, D("2025-07-31"))
    done(clock, day_after, D("2025-08-01"))
    r = row(kpis("2025-Q3", D("2025-09-30")), org.health)
    assert (r.done_on_time, r.done_late, r.days_late_total, r.avg_days_late) == (1, 1, 1, 1.0)


def test_open_overdue_tasks_count_against_the_on_time_rate(clock, org):
    finished = task(clock, lead=[org.health], due=D("2025-08-15"), assigned=D("2025-07-01"))
    task(clock, lead=[org.health], due=D("2025-08-20"), assigned=D("2025-07-01"))  # never finished
    task(clock, lead=[org.health], due=D("2025-09-30"), assigned=D("2025-07-01"))  # still within its deadline
    done(clock, finished, D("2025-08-10"))
    r = row(kpis("2025-Q3", D("2025-09-30")), org.health)
    assert (r.assigned, r.done_on_time, r.overdue, r.in_progress, r.judged) == (3, 1, 1, 1, 2)
    assert r.on_time_rate == 0.5  # not 100 %: the overdue task counts
    assert (r.overdue_rate, r.days_overdue_total, r.avg_days_overdue) == (round(1 / 3, 6), 41, 41.0)


def test_a_task_finished_late_after_the_quarter_was_overdue_as_of_the_quarters_end(clock, org):
    t = task(clock, lead=[org.finance], due=D("2025-09-15"), assigned=D("2025-06-02"))
    done(clock, t, D("2025-10-10"))
    then = row(kpis("2025-Q3", D("2025-09-30")), org.finance)
    now = row(kpis("2025-Q3", D("2025-12-31")), org.finance)
    assert (then.overdue, then.done_late, then.days_overdue_total, then.on_time_rate) == (1, 0, 15, 0.0)
    assert (now.overdue, now.done_late, now.days_late_total) == (0, 1, 25)


def test_a_completion_reported_later_and_dated_back_changes_the_past_but_the_old_report_can_be_reproduced(clock,
                                                                                                       org):
    t = task(clock, lead=[org.finance], due=D("2025-09-15"), assigned=D("2025-06-02"))
    before = kpis("2025-Q3", D("2025-09-30"))
    assert row(before, org.finance).overdue == 1
    done(clock, t, D("2025-09-12"), recorded=D("2025-10-05"))  # finished in time, reported three weeks later
    assert row(kpis("2025-Q3", D("2025-09-30")), org.finance).done_on_time == 1
    again = kpis("2025-Q3", D("2025-09-30"), until_seq=before.until_seq)
    assert (again.rows, again.total) == (before.rows, before.total)


def test_an_approved_extension_moves_the_task_to_the_quarter_of_its_new_deadline_from_the_approval_day(clock, org):
    t = task(clock, lead=[org.health], due=D("2025-09-20"), assigned=D("2025-07-01"))
    with clock.at(D("2025-09-10")):
        services.request_extension(t, due=D("2025-11-30"), reason="Chờ ý kiến thẩm định")
    with clock.at(D("2025-09-12")):
        services.decide_extension(t, approve=True)
    before = kpis("2025-Q3", D("2025-09-11"))
    assert (row(before, org.health).in_progress, row(before, org.health).extensions_granted) == (1, 0)
    q3, q4 = kpis("2025-Q3", D("2025-12-31")), kpis("2025-Q4", D("2025-12-31"))
    assert (row(q3, org.health).assigned, row(q3, org.health).extensions_granted) == (0, 1)
    assert (row(q4, org.health).assigned, row(q4, org.health).overdue, row(q4, org.health).extensions_granted) \
        == (1, 1, 0)


def test_done_on_time_is_judged_against_the_deadline_in_force_when_finished(clock, org):
    extended = task(clock, lead=[org.health], due=D("2025-08-15"), assigned=D("2025-07-01"))
    with clock.at(D("2025-08-10")):
        services.request_extension(extended, due=D("2025-09-15"), reason="Bổ sung hồ sơ")
        services.decide_extension(extended, approve=True)
    done(clock, extended, D("2025-09-01"))
    late = task(clock, lead=[org.health], due=D("2025-08-15"), assigned=D("2025-07-01"))
    done(clock, late, D("2025-08-20"))  # an extension asked for after finishing cannot be granted
    r = row(kpis("2025-Q3", D("2025-09-30")), org.health)
    assert (r.done_on_time, r.done_late) == (1, 1)


def test_a_transferred_task_counts_for_the_receiving_agency_not_the_giver(clock, org):
    t = task(clock, lead=[org.finance], due=D("2025-08-31"), assigned=D("2025-07-01"))
    with clock.at(D("2025-07-20")):
        services.transfer_task(t, to=[org.health.pk], reason="Đúng chức năng của Bộ Y tế")
    report = kpis("2025-Q3", D("2025-09-30"))
    giver, receiver = row(report, org.finance), row(report, org.health)
    assert (giver.assigned, giver.transferred, giver.overdue, giver.judged) == (0, 1, 0, 0)
    assert (receiver.assigned, receiver.overdue) == (1, 1)
    assert report.total.assigned == 1


def test_withdrawn_tasks_are_reported_but_left_out_of_the_rates(clock, org):
    kept = task(clock, lead=[org.health], due=D("2025-08-31"), assigned=D("2025-07-01"))
    dropped = task(clock, lead=[org.health], due=D("2025-08-31"), assigned=D("2025-07-01"))
    done(clock, kept, D("2025-08-01"))
    with clock.at(D("2025-08-05")):
        services.withdraw_task(dropped, reason="Không còn phù hợp", decision="Thông báo 45/TB-VPCP")
    r = row(kpis("2025-Q3", D("2025-09-30")), org.health)
    assert (r.assigned, r.withdrawn, r.judged, r.on_time_rate, r.overdue_rate) == (2, 1, 1, 1.0, 0.0)


def test_tasks_without_deadline_count_apart_by_the_day_they_were_assigned(clock, org):
    finished = task(clock, lead=[org.tax], due=None, assigned=D("2025-08-01"))
    task(clock, lead=[org.tax], due=None, assigned=D("2025-08-02"))
    task(clock, lead=[org.tax], due=None, assigned=D("2025-06-30"))  # assigned in Q2
    done(clock, finished, D("2025-12-01"))
    r = row(kpis("2025-Q3", D("2025-12-31")), org.tax)
    assert (r.assigned, r.without_deadline, r.without_deadline_done, r.without_deadline_open) == (2, 2, 1, 1)
    assert (r.with_deadline, r.judged, r.on_time_rate) == (0, 0, None)


def test_drafts_and_discarded_tasks_do_not_count(clock, org):
    task(clock, lead=[org.tax], due=D("2025-08-01"), assigned=D("2025-07-01"), confirm=False)
    dropped = task(clock, lead=[org.tax], due=D("2025-08-01"), assigned=D("2025-07-01"), confirm=False)
    with clock.at(D("2025-07-01")):
        services.discard_task(dropped)
    report = kpis("2025-Q3", D("2025-09-30"))
    assert report.rows == [] and [n.code for n in report.notices] == ["no_tasks"]


def test_a_co_led_task_counts_for_each_lead_and_once_for_the_ministry_with_its_units(clock, org):
    task(clock, lead=[org.finance, org.tax], due=D("2025-08-01"), assigned=D("2025-07-01"))
    task(clock, lead=[org.tax], due=D("2025-08-01"), assigned=D("2025-07-01"))
    alone = kpis("2025-Q3", D("2025-09-30"))
    assert (row(alone, org.finance).assigned, row(alone, org.tax).assigned, alone.total.assigned) == (1, 2, 2)
    rolled = kpis("2025-Q3", D("2025-09-30"), include_units=True)
    assert [(r.agency, r.assigned, r.overdue) for r in rolled.rows] == [("Bộ Tài chính", 2, 2)]


def test_after_a_merger_the_successor_answers_from_the_merger_day_and_inherits_the_history(clock, org):
    t = task(clock, lead=[org.ict], due=D("2025-03-20"), assigned=D("2025-01-10"))  # ICT merged on 1/3/2025
    with clock.at(D("2025-03-01")):
        services.apply_successions()
    t.refresh_from_db()
    february = kpis("2025-Q1", D("2025-02-28"), lineage=False)
    assert [r.agency for r in february.rows] == ["Bộ Thông tin và Truyền thông"]
    march = kpis("2025-Q1", D("2025-03-31"), lineage=False)
    assert [(r.agency, r.overdue) for r in march.rows] == [("Bộ Khoa học và Công nghệ", 1)]
    # with lineage the successor also answers for what the predecessor finished before the merger
    old = task(clock, lead=[org.ict], due=D("2025-02-10"), assigned=D("2025-01-10"))
    done(clock, old, D("2025-02-05"))
    science = row(kpis("2025-Q1", D("2025-03-31"), agencies=[org.science]), org.science)
    assert (science.done_on_time, science.overdue) == (1, 1)
    assert row(kpis("2025-Q1", D("2025-03-31"), agencies=[org.science], lineage=False), org.science).done_on_time \
        == 0


def test_extensions_granted_are_the_approvals_dated_in_the_period(clock, org):
    t = task(clock, lead=[org.health], due=D("2025-07-15"), assigned=D("2025-06-01"))
    for asked, approved, new_due in ((D("2025-06-20"), D("2025-06-25"), D("2025-08-15")),
                                     (D("2025-08-01"), D("2025-08-03"), D("2025-10-15"))):
        with clock.at(asked):
            services.request_extension(t, due=new_due, reason="Chờ số liệu")
        with clock.at(approved):
            services.decide_extension(t, approve=True)
    with clock.at(D("2025-09-01")):
        services.request_extension(t, due=D("2025-12-15"), reason="Chờ số liệu")
        services.decide_extension(t, approve=False, reason="Không đủ căn cứ")
    assert row(kpis("2025-Q3", D("2025-12-31")), org.health).extensions_granted == 1
    assert row(kpis("2025-Q2", D("2025-12-31")), org.health).extensions_granted == 1
    assert row(kpis("2025", D("2025-12-31")), org.health).extensions_granted == 2


def test_an_agency_with_no_tasks_gets_zeros_empty_rates_and_a_notice(clock, org):
    task(clock, lead=[org.health], due=D("2025-08-01"), assigned=D("2025-07-01"))
    report = kpis("2025-Q3", D("2025-09-30"), agencies=[org.health, org.province])
    quiet = row(report, org.province)
    assert (quiet.assigned, quiet.on_time_rate, quiet.avg_days_late) == (0, None, None)
    assert [n.code for n in report.notices] == ["agency_without_tasks"]
    assert "Ủy ban nhân dân tỉnh Lâm Đồng không có nhiệm vụ" in report.notices[0].vi
    assert "has no tasks in 2025-Q3" in report.notices[0].en


def test_a_period_without_tasks_and_a_period_not_over_say_so(clock, org):
    task(clock, lead=[org.health], due=D("2025-08-01"), assigned=D("2025-07-01"))
    empty = kpis("2024-Q3", D("2025-09-30"))
    assert empty.rows == [] and empty.total.assigned == 0
    assert [n.code for n in empty.notices] == ["no_tasks"]
    early = kpis("2025-Q3", D("2025-07-15"))
    assert [n.code for n in early.notices] == ["period_not_over"]
    assert row(early, org.health).in_progress == 1
    ahead = kpis("2025-Q3", D("2025-06-01"))
    assert ahead.notices[0].code == "period_not_started"


def test_a_unit_created_later_and_a_task_assigned_after_the_as_of_day_are_not_there_yet(clock, org):
    unit = agency("Cục Hải quan", org.finance)
    task(clock, lead=[unit], due=D("2025-08-01"), assigned=D("2025-07-20"))
    assert kpis("2025-Q3", D("2025-07-19")).rows == []
    assert row(kpis("2025-Q3", D("2025-07-20")), unit).in_progress == 1
