"""``api.prepared``: a query compiled once and run again with other values gives exactly what building it again
gives, for every shape; values that would change the SQL itself are never put in a compiled query's place."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.api import prepared


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.db import connections

    connections["default"].__dict__.pop("_dondoc_prepared", None)
    yield
    connections["default"].__dict__.pop("_dondoc_prepared", None)


def _tasks_of(task_ids, today):
    from dondoc.tracking.models import Task
    from dondoc.tracking.selectors import bucket_expression

    return (Task.objects.filter(pk__in=task_ids).annotate(bucket=bucket_expression(today))
            .select_related("document").order_by("due_date", "id"))


def _names(task_ids, role):
    from dondoc.tracking.models import TaskAgency

    return (TaskAgency.objects.filter(task_id__in=task_ids, role=role, active=True).order_by("task_id", "position")
            .values_list("task_id", "agency_id", "agency__name"))


def _entry(key):
    from django.db import connections

    return {k[0]: v for k, v in connections["default"].__dict__.get("_dondoc_prepared", {}).items()}.get(key)


def test_rows_are_those_of_the_query_built_again_for_each_value(confirmed):
    ids = [confirmed.inspect.pk, confirmed.hospitals.pk, confirmed.report.pk]
    for today in (date(2026, 4, 15), date(2026, 7, 1), date(2026, 12, 31)):  # the bucket moves with the day
        for chosen in (ids, ids[:2], ids[1:], [ids[2]], [ids[0], ids[0]], [-1, ids[1]]):
            got = prepared.rows("test.tasks", _tasks_of, chosen, today)
            expected = list(_tasks_of(chosen, today))
            assert [(t.pk, t.bucket, t.document.number, t.due_date) for t in got] \
                == [(t.pk, t.bucket, t.document.number, t.due_date) for t in expected]
            for role in ("lead", "support"):
                assert prepared.rows("test.names", _names, chosen, role) == list(_names(chosen, role))
    assert isinstance(_entry("test.tasks"), prepared._Compiled)


def test_a_compiled_query_is_run_with_the_new_values_not_the_old_rows(confirmed):
    first = prepared.rows("test.names", _names, [confirmed.inspect.pk], "lead")
    second = prepared.rows("test.names", _names, [confirmed.hospitals.pk], "lead")
    assert [r[0] for r in first] == [confirmed.inspect.pk] and [r[0] for r in second] == [confirmed.hospitals.pk]
    assert prepared.rows("test.names", _names, [confirmed.hospitals.pk], "nobody") == []


@pytest.mark.parametrize("values", [
    ([], "lead"),  # an empty list: no SQL at all
    (None, "lead"),  # None: IS NULL, not a parameter
    ([1, None], "lead"),
    ([1], True),  # booleans are refused (True and 1 are the same key)
])
def test_values_that_would_change_the_sql_are_not_compiled(confirmed, values):
    from dondoc.tracking.models import TaskAgency

    def build(task_ids, role):
        qs = TaskAgency.objects.all()
        if task_ids is not None:
            qs = qs.filter(task_id__in=[i for i in task_ids if i is not None] or [0])
        return qs.filter(role=role).values_list("task_id", flat=True).order_by("task_id")

    assert prepared.rows("test.refused", build, *values) == list(build(*values))
    assert _entry("test.refused") is None


def test_a_stand_in_that_does_not_reach_the_parameters_as_it_is_is_not_compiled(confirmed):
    from dondoc.tracking.models import Agency

    def build(word):
        return Agency.objects.filter(name__contains=word).order_by("pk").values_list("name", flat=True)

    for word in ("Bộ", "Cục", "nothing"):
        assert prepared.rows("test.contains", build, word) == list(build(word))
    assert _entry("test.contains") is prepared._UNUSABLE


def test_an_id_beyond_64_bits_is_left_to_django(api):
    answer = api("admin").get("/api/tasks/", {"agency": "9" * 30})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "unknown_agency"
