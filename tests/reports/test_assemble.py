"""build_briefing: the figures, the overdue list and the indicators a report shows, from the tracking service."""

from __future__ import annotations

import pytest

from dondoc.reports.assemble import BriefingError, build_briefing

from .conftest import AS_OF, D

pytestmark = pytest.mark.django_db


def test_results_per_agency_count_open_overdue_tasks_against_the_rate(quarter):
    report = build_briefing("2025-Q3", as_of=AS_OF)
    rows = {r.agency: r for r in report.results}
    assert set(rows) == {"Bộ Y tế", "Cục Thuế"}
    health = rows["Bộ Y tế"]
    assert (health.assigned, health.done_on_time, health.done_late, health.overdue) == (3, 1, 1, 1)
    assert health.on_time_rate == pytest.approx(1 / 3)
    assert health.average_days_late == 4
    assert (report.totals.assigned, report.totals.overdue) == (4, 2)
    assert report.period_label == "Quý III/2025" and report.as_of == AS_OF


def test_the_overdue_list_is_the_tasks_behind_the_overdue_column_most_overdue_first(quarter):
    report = build_briefing("Quý III/2025", as_of=AS_OF)
    assert [(o.task_id, o.lead, o.due, o.days_overdue) for o in report.overdue] == [
        (quarter.late_health.pk, "Bộ Y tế", D("2025-09-15"), 20),
        (quarter.late_tax.pk, "Cục Thuế", D("2025-09-30"), 5),
    ]
    assert report.overdue[0].content == "Rà soát danh mục thuốc đấu thầu tập trung"
    assert report.overdue[0].document.endswith("/TB-VPCP")


def test_a_past_day_is_rebuilt_from_events(quarter):
    # on 20/09 the Cục Thuế task was not due yet, and the late Bộ Y tế task not finished
    report = build_briefing("2025-Q3", as_of=D("2025-09-20"))
    assert [(o.lead, o.days_overdue) for o in report.overdue] == [("Bộ Y tế", 5)]
    assert [n.code for n in report.notes] == ["period_not_over"]
    assert "tạm tính" in report.notes[0].vi


def test_ranking_commends_and_criticises(quarter):
    report = build_briefing("2025-Q3", as_of=AS_OF, min_judged=1)
    assert report.commended == ["Bộ Y tế (33,3% đúng hạn)", "Cục Thuế (0,0% đúng hạn)"]
    # one overdue task each: the lower on-time rate comes first
    assert report.criticised == ["Cục Thuế (1 nhiệm vụ quá hạn)", "Bộ Y tế (1 nhiệm vụ quá hạn)"]


def test_indicators_show_progress_against_target_and_the_off_track_flag(quarter):
    (status,) = build_briefing("2025-Q3", as_of=AS_OF).indicators
    assert (status.name, status.agency, status.unit, status.latest, status.target) == (
        "Hồ sơ xử lý trực tuyến toàn trình", "Bộ Y tế", "%", 50.0, 100.0)
    assert status.progress == pytest.approx(1 / 6, abs=1e-4)
    assert status.off_track


def test_an_agency_with_its_units_and_only_its_indicators(quarter, org):
    report = build_briefing("2025-Q3", as_of=AS_OF, agencies=["BTC"], include_units=True)
    assert [(r.agency, r.assigned, r.overdue) for r in report.results] == [("Bộ Tài chính", 1, 1)]
    assert [o.lead for o in report.overdue] == ["Cục Thuế"]
    assert report.indicators == []
    assert report.scope == "Bộ Tài chính và các đơn vị trực thuộc"
    without_units = build_briefing("2025-Q3", as_of=AS_OF, agencies=[org.finance.pk])
    assert [(r.agency, r.assigned) for r in without_units.results] == [("Bộ Tài chính", 0)]
    assert [n.code for n in without_units.notes] == ["agency_without_tasks"]
    assert without_units.overdue == []


def test_an_empty_period_still_gives_a_report_that_says_so(quarter):
    report = build_briefing("2024-Q1", as_of=AS_OF)
    assert report.results == [] and report.overdue == [] and report.totals.assigned == 0
    assert [n.code for n in report.notes] == ["no_tasks"]
    assert "Không có nhiệm vụ nào trong kỳ Quý I/2024" in report.notes[0].vi


def test_unknown_period_and_agency_are_refused_in_both_languages(quarter):
    with pytest.raises(BriefingError) as error:
        build_briefing("Quý V/2025")
    assert error.value.field == "period" and "Quý" in error.value.vi and "quarter" in error.value.en.lower()
    with pytest.raises(BriefingError) as error:
        build_briefing("2025-Q3", agencies=["Bộ Y tê"])
    assert error.value.code == "unknown_agency" and "Bộ Y tế" in error.value.closest
    assert "Không có cơ quan" in error.value.vi and "No agency" in error.value.en


@pytest.mark.parametrize("seed", [3, 11])
def test_the_overdue_list_is_every_task_the_formula_calls_overdue_on_a_random_history(org, monkeypatch, seed):
    from dondoc.kpis import formula
    from dondoc.kpis.compute import compute_kpis, overdue_tasks
    from dondoc.tracking.models import Event
    from tests.kpis.builders import Clock, random_history

    clock = Clock(monkeypatch, D("2025-01-01"))
    random_history(clock, org, seed=seed)
    for period, as_of in (("2025-Q2", D("2025-07-15")), ("2025-Q3", D("2025-12-31")), ("2025", D("2025-10-01"))):
        events: dict[int, list] = {}
        for task_id, kind, on, data in Event.objects.order_by("seq").values_list("task_id", "kind", "on", "data"):
            events.setdefault(task_id, []).append((kind, on, data))
        start, end = (p := build_briefing(period, as_of=as_of)).period_start, p.period_end
        expected = {}
        for task_id, evs in events.items():
            state = formula.task_state(task_id, evs, as_of)
            if state is not None:
                category, days = formula.classify(state, start, end, as_of)
                if category == formula.Category.OVERDUE:
                    expected[task_id] = days
        kpis = compute_kpis(period, as_of=as_of, overdue_list=True)
        assert dict(kpis.overdue) == expected and len(kpis.overdue) == kpis.total.overdue
        assert overdue_tasks(kpis) == kpis.overdue  # the separate query agrees
        assert [(o.task_id, o.days_overdue) for o in p.overdue] == kpis.overdue


def test_an_agency_without_aliases_is_found_by_its_name_or_id(quarter):
    from dondoc.tracking.models import Agency

    added = Agency.objects.create(name="Ban Quản lý dự án số 3", source=Agency.Source.MANUAL)
    for asked in ("ban quản lý dự án số 3", str(added.pk)):
        report = build_briefing("2025-Q3", as_of=AS_OF, agencies=[asked])
        assert [r.agency for r in report.results] == ["Ban Quản lý dự án số 3"]
