"""Who sees and does what: the rules every interface (API, web) enforces through ``policy``."""

import threading

import pytest
from django.db import connection, transaction

from dondoc.extract import extract_text
from dondoc.tracking import policy, services
from dondoc.tracking.chain import verify
from dondoc.tracking.models import Event, Task


@pytest.fixture
def tasks(org, directive_text):
    doc = services.ingest_directive(extract_text(directive_text)).document
    services.confirm_document(doc)
    tax_task, health_task, _ = doc.tasks.order_by("source_start")
    return tax_task, health_task


@pytest.mark.django_db
def test_a_focal_point_sees_its_agencys_tasks_including_units_and_those_it_supports(tasks, users):
    tax_task, health_task = tasks
    visible = set(policy.visible_tasks(users.finance_focal, Task.objects.all()))
    assert tax_task in visible and health_task not in visible  # Cục Thuế is a unit of Bộ Tài chính
    assert tax_task in policy.visible_tasks(users.health_focal, Task.objects.all())  # Bộ Y tế supports it


@pytest.mark.django_db
def test_a_focal_point_reports_only_on_tasks_its_agency_leads(tasks, users):
    tax_task, health_task = tasks
    assert policy.can(users.finance_focal, "report", tax_task)
    assert not policy.can(users.health_focal, "report", tax_task)  # supporting is not answering for it
    assert policy.can(users.health_focal, "request_extension", health_task)
    assert not policy.can(users.finance_focal, "decide_extension", tax_task)
    assert not policy.can(users.finance_focal, "ingest")


@pytest.mark.django_db
def test_leaders_read_everything_and_change_nothing_officers_review_and_decide(tasks, users):
    tax_task, _ = tasks
    assert policy.can_see(users.leader, tax_task)
    assert not any(policy.can(users.leader, a, tax_task) for a in policy.OFFICE_ACTIONS | policy.AGENCY_ACTIONS)
    assert all(policy.can(users.officer, a, tax_task) for a in policy.OFFICE_ACTIONS)
    assert not policy.can(users.officer, "report", tax_task)


@pytest.mark.django_db
def test_the_public_sees_only_confirmed_tasks_marked_public(tasks):
    from django.contrib.auth.models import AnonymousUser

    tax_task, _ = tasks
    Task.objects.filter(pk=tax_task.pk).update(is_public=True)
    assert list(policy.visible_tasks(AnonymousUser(), Task.objects.all())) == [tax_task]
    assert not policy.can(AnonymousUser(), "report", tax_task)


@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_another_writers_event_so_the_chain_never_forks(tasks):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    tax_task, _ = tasks
    other = services.ingest_directive(extract_text("Bộ Y tế chủ trì rà soát danh mục thuốc trước ngày 30/6/2026."))
    services.confirm_document(other.document)
    health_task = other.tasks[0]  # another document: the two writers share no row but the chain head
    first_written, let_first_commit = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                services.report_progress(tax_task, text="Báo cáo của Cục Thuế", percent=50)
                first_written.set()
                let_first_commit.wait(5)  # still uncommitted while the second writer starts
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            services.report_progress(health_task, text="Báo cáo của Bộ Y tế", percent=30)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert first_written.wait(5)
    b = threading.Thread(target=second)
    b.start()
    b.join(0.5)
    assert b.is_alive()  # waiting for the first writer's chain head, not racing it
    let_first_commit.set()
    a.join(5)
    b.join(5)
    assert errors == []
    rows = Event.objects.order_by("seq").values_list(
        "seq", "task_id", "kind", "at", "on", "actor_id", "data", "prev_hash", "hash")
    assert list(verify(rows)) == []
    assert list(Event.objects.filter(kind="progress").order_by("seq").values_list("task_id", flat=True)) == [
        tax_task.pk, health_task.pk]
