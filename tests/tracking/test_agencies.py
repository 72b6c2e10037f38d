"""Administering agencies (``tracking.agencies``): saving names, hierarchy and validity; recording a merger, which
moves the open tasks through ``apply_successions`` and says how many moved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dondoc.extract import extract_text
from dondoc.tracking import services
from dondoc.tracking.agencies import record_succession, save_agency
from dondoc.tracking.models import Agency, AgencyAlias, AgencySuccession, Event
from dondoc.tracking.services import ServiceError

D = date.fromisoformat
pytestmark = pytest.mark.django_db


def names(agency):
    return sorted(agency.aliases.values_list("alias", flat=True))


def leads(task):
    return [a.agency.name for a in task.assignments.filter(role="lead", active=True).order_by("position")]


@pytest.fixture
def opened(org, directive_text):
    """The shared directive confirmed: Cục Thuế leads tasks 1 and 3, Bộ Y tế task 2 (assigned 10/3/2026)."""
    document = services.ingest_directive(extract_text(directive_text)).document
    services.confirm_document(document)
    return list(document.tasks.order_by("source_start"))


def refused(call, code, field):
    with pytest.raises(ServiceError) as error:
        call()
    assert (error.value.code, error.value.field) == (code, field), error.value.vi
    return error.value


def test_a_new_agency_with_its_names(org):
    agency = save_agency(None, name="  Cục   Hải quan ", short_name="TCHQ", parent=org.finance,
                         valid_from=D("2025-03-01"), aliases=["Tổng cục Hải quan", "", "cục hải quan"])
    assert (agency.name, agency.source, agency.parent) == ("Cục Hải quan", Agency.Source.MANUAL, org.finance)
    assert names(agency) == ["Cục Hải quan", "Tổng cục Hải quan"]  # the name once, whatever its case
    assert services.find_agency("tong cuc hai quan") is None and services.find_agency("Tổng cục Hải quan") == agency


def test_editing_replaces_the_aliases_and_keeps_the_previous_name(org):
    save_agency(org.finance, name="Bộ Tài chính (mới)", aliases=["Bộ Kế hoạch và Đầu tư"])
    assert names(org.finance) == ["Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Bộ Tài chính (mới)"]  # BTC removed
    assert services.find_agency("Bộ Tài chính") == org.finance  # documents written before still resolve


def test_refusals_change_nothing(org):
    before = (list(Agency.objects.values_list("name", "parent_id", "valid_to").order_by("pk")),
              list(AgencyAlias.objects.values_list("alias", "agency_id").order_by("pk")))
    refused(lambda: save_agency(org.tax, name="  "), "name_required", "name")
    refused(lambda: save_agency(org.tax, name="Bộ Y tế"), "name_taken", "name")
    refused(lambda: save_agency(org.tax, name="Cục Thuế", aliases=["BTC"]), "name_taken", "aliases")
    refused(lambda: save_agency(org.finance, name="Bộ Tài chính", parent=org.tax), "parent_cycle", "parent")
    refused(lambda: save_agency(org.finance, name="Bộ Tài chính", parent=org.finance), "parent_cycle", "parent")
    refused(lambda: save_agency(org.tax, name="Cục Thuế", valid_from=D("2026-02-01"), valid_to=D("2026-01-31")),
            "bad_period", "valid_to")
    assert before == (list(Agency.objects.values_list("name", "parent_id", "valid_to").order_by("pk")),
                      list(AgencyAlias.objects.values_list("alias", "agency_id").order_by("pk")))


def test_recording_a_merger_moves_the_open_tasks_on_that_day(org, opened, users):
    on = D("2026-05-01")
    result = record_succession(org.tax, org.finance, on, actor=users.admin)
    assert (result.moved, result.moved_other, result.ended_on) == (2, 0, on - timedelta(days=1))
    assert result.succession.applied_at is not None and result.succession.primary
    assert [leads(t) for t in opened] == [["Bộ Tài chính"], ["Bộ Y tế"], ["Bộ Tài chính"]]
    moves = Event.objects.filter(kind="succeeded")
    assert {(e.on, e.actor_id, e.data["succession"]) for e in moves} == {(on, users.admin.pk, result.succession.pk)}
    org.tax.refresh_from_db()
    assert org.tax.valid_to == D("2026-04-30")
    assert services.task_snapshot(opened[0], as_of=on - timedelta(days=1)).lead == (org.tax.pk,)  # history kept


def test_a_successor_that_is_not_primary_takes_no_task(org, opened):
    result = record_succession(org.tax, org.health, D("2026-05-01"), primary=False)
    assert (result.moved, result.ended_on) == (0, None)
    assert leads(opened[0]) == ["Cục Thuế"]


def test_moves_follow_a_chain(org, opened):
    record_succession(org.finance, org.science, D("2026-06-01"))  # nothing led by the ministry itself
    result = record_succession(org.tax, org.finance, D("2026-05-01"))
    assert (result.moved, result.moved_other) == (2, 2)  # to the ministry on 1/5, then to science on 1/6
    assert leads(opened[0]) == ["Bộ Khoa học và Công nghệ"]


def test_bad_mergers_are_refused_and_change_nothing(org, opened):
    today = timezone.localdate()
    count = (AgencySuccession.objects.count(), Event.objects.count())
    refused(lambda: record_succession(org.tax, org.tax, D("2026-05-01")), "same_agency", "successor")
    refused(lambda: record_succession(org.tax, org.finance, today + timedelta(days=1)), "future_date",
            "effective_on")
    refused(lambda: record_succession(org.science, org.ict, D("2026-05-01")), "successor_absent", "successor")
    org.ict.valid_to = None
    org.ict.save()
    refused(lambda: record_succession(org.science, org.ict, D("2026-05-01")), "succession_cycle", "successor")
    refused(lambda: record_succession(org.ict, org.science, D("2026-05-01")), "succession_exists", "successor")
    refused(lambda: record_succession(org.ict, org.health, D("2026-05-01")), "already_merged", "predecessor")
    refused(lambda: record_succession(org.tax, org.ict, D("2026-05-01")), "successor_merged", "successor")
    org.tax.valid_from = D("2026-06-01")
    org.tax.save()
    refused(lambda: record_succession(org.tax, org.finance, D("2026-05-01")), "before_start", "effective_on")
    assert (AgencySuccession.objects.count(), Event.objects.count()) == count
    assert leads(opened[0]) == ["Cục Thuế"]


def test_a_succession_recorded_meanwhile_is_refused_not_a_server_error(org, monkeypatch):
    """Two administrators at once: the checks passed for both, the database's unique key stops the second."""
    from dondoc.tracking import agencies

    record_succession(org.tax, org.finance, D("2026-05-01"))
    monkeypatch.setattr(agencies, "_check_succession", lambda *args: None)
    refused(lambda: record_succession(org.tax, org.finance, D("2026-05-01")), "succession_exists", "successor")
    assert AgencySuccession.objects.filter(predecessor=org.tax).count() == 1


def test_a_succession_counts_as_applied_only_after_a_pass_over_every_task_it_holds(org, opened):
    # a registry merger is recorded without moving anything; confirming one document moves only that one's tasks
    succession = AgencySuccession.objects.create(predecessor=org.tax, successor=org.finance,
                                                 effective_on=D("2026-05-01"), primary=True)
    assert services.apply_successions(tasks=[opened[0]]) == 1
    succession.refresh_from_db()
    assert succession.applied_at is None  # opened[2] still waits: the merger page lists it as not moved yet
    assert services.apply_successions() == 1
    succession.refresh_from_db()
    assert succession.applied_at is not None
    assert [leads(t) for t in opened] == [["Bộ Tài chính"], ["Bộ Y tế"], ["Bộ Tài chính"]]
