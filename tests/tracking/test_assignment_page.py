"""``selectors.assignment_page`` chooses a page of one agency's tasks from the assignment index alone; the page
must be the same tasks, in the same order, as paging ``selectors.tasks`` with the same filter."""

from datetime import date

import pytest

from dondoc.extract import extract_text
from dondoc.tracking import selectors, services
from dondoc.tracking.models import Task
from dondoc.tracking.selectors import TaskFilter

pytestmark = pytest.mark.django_db
D = date.fromisoformat
TODAY = D("2026-08-20")


@pytest.fixture
def tasks(org, directive_text):
    found = services.ingest_directive(extract_text(directive_text), file_bytes=directive_text.encode(),
                                      file_name="1234-btc.txt")
    services.confirm_document(found.document)
    tasks = list(found.document.tasks.order_by("source_start"))
    services.report_progress(tasks[0], text="Đã rà soát", percent=30, on=D("2026-08-01"))
    services.complete_task(tasks[-1], on=D("2026-08-02"))
    return tasks


@pytest.mark.parametrize("buckets", [("overdue", "in_progress", "not_due"), ("overdue",), ("in_progress", "not_due"),
                                     ("done_on_time", "done_late"), ("in_progress",), ("done_late",)])
@pytest.mark.parametrize("sort", ["due", "-due", "created"])
def test_a_page_from_the_assignment_rows_is_the_page_of_the_task_list(tasks, org, buckets, sort):
    for agency in (org.finance, org.tax, org.health):
        for units in (True, False):
            f = TaskFilter(agency=agency, include_units=units, buckets=buckets)
            listed = list(selectors.tasks(f, today=TODAY, sort=sort).values_list("pk", flat=True))
            for start, stop in ((0, 1), (0, 2), (1, 3), (0, 100)):
                ids = selectors.assignment_page(f, start=start, stop=stop, today=TODAY, sort=sort)
                if ids is not None:
                    assert ids == listed[start:stop], (agency.name, units, start, stop)
                else:  # only where the rows cannot tell: a bucket without its companion, or another sort
                    assert sort == "created" or (len(buckets) == 1 and buckets[0] in ("in_progress", "done_late"))
    assert Task.objects.filter(status="open").exists()


@pytest.mark.parametrize("buckets", [("overdue", "in_progress", "not_due"), ("overdue",), ("in_progress", "not_due"),
                                     ("done_on_time", "done_late"), ("in_progress",), ("done_late",)])
def test_a_count_from_the_assignment_rows_is_the_count_of_the_task_list(tasks, org, buckets):
    for agency in (org.finance, org.tax, org.health, org.science):
        for units in (True, False):
            for role in (None, "lead", "support"):
                for due_from in (None, D("2026-09-01")):
                    f = TaskFilter(agency=agency, include_units=units, buckets=buckets, role=role, due_from=due_from)
                    n = selectors.assignment_count(f, today=TODAY)
                    if n is not None:
                        assert n == selectors.tasks(f, today=TODAY).count(), (agency.name, units, role, due_from)
                    else:
                        assert len(buckets) == 1 and buckets[0] in ("in_progress", "done_late")


def test_a_scope_read_once_is_the_scope_read_each_time(tasks, org):
    for units in (True, False):
        f = TaskFilter(agency=org.finance, include_units=units, buckets=("overdue", "in_progress", "not_due"))
        once = selectors.with_scope(f)
        assert once.scope == frozenset(selectors.agency_scope(org.finance, units=units))
        assert list(selectors.tasks(once, today=TODAY).values_list("pk", flat=True)) == list(
            selectors.tasks(f, today=TODAY).values_list("pk", flat=True))
    assert selectors.with_scope(TaskFilter()) == TaskFilter()


@pytest.mark.parametrize("sort", ["due", "-due", "created"])
def test_a_page_of_a_deadline_range_from_the_status_index_is_the_page_of_the_task_list(tasks, sort):
    from django.db import connection

    services.withdraw_task(tasks[1], reason="Không còn phù hợp")
    for due_from, due_to in ((D("2026-01-01"), D("2026-12-31")), (D("2026-09-01"), None), (None, D("2026-09-30")),
                             (D("2027-01-01"), D("2027-12-31"))):
        f = TaskFilter(due_from=due_from, due_to=due_to)
        listed = list(selectors.tasks(f, today=TODAY, sort=sort).values_list("pk", flat=True))
        assert listed or due_from == D("2027-01-01")
        for start, stop in ((0, 1), (0, 2), (1, 3), (2, 3), (0, 100)):
            ids = selectors.due_page(f, start=start, stop=stop, sort=sort)
            if connection.vendor == "postgresql" and sort != "created":
                assert ids == listed[start:stop], (due_from, due_to, start, stop)
            else:
                assert ids is None
    # anything else than a deadline range is paged by the caller
    for f in (TaskFilter(), TaskFilter(due_from=D("2026-01-01"), buckets=("overdue",)),
              TaskFilter(due_from=D("2026-01-01"), public_only=True), TaskFilter(due_from=D("2026-01-01"), query="x")):
        assert selectors.due_page(f, start=0, stop=10) is None
