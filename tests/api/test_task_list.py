"""The task list: filters by agency (with its units and predecessors), role, state, deadline range, document,
words without diacritics; sorting; pagination; what each kind of user sees; states on a past day."""

from datetime import date

import pytest

from dondoc.tracking import services


@pytest.fixture
def tasks(confirmed, org, users):
    """The directive's three tasks, confirmed, plus one given to Bộ Thông tin và Truyền thông (merged into
    Bộ Khoa học và Công nghệ) and one to Sở Y tế tỉnh Lâm Đồng."""
    document = confirmed.document
    ict = services.add_task(document, content="Bộ Thông tin và Truyền thông hướng dẫn kết nối hệ thống",
                            lead=[org.ict.pk], due=date(2026, 5, 31), draft=False, actor=users.officer)
    local = services.add_task(document, content="Sở Y tế tỉnh Lâm Đồng tổng hợp số liệu bệnh viện",
                              lead=[org.provincial_health.pk], due=date(2026, 12, 31), draft=False)
    confirmed.ict, confirmed.local = ict, local
    return confirmed


def ids(answer):
    assert answer.status_code == 200, answer.json()
    return [t["id"] for t in answer.json()["results"]]


def test_an_agency_filter_includes_its_units(api, tasks):
    officer = api("officer")
    assert set(ids(officer.get("/api/tasks/", {"agency": "Bộ Tài chính"}))) == {tasks.inspect.pk, tasks.report.pk}
    assert ids(officer.get("/api/tasks/", {"agency": "Bộ Tài chính", "include_units": "false"})) == []
    assert set(ids(officer.get("/api/tasks/", {"agency": "UBND tỉnh Lâm Đồng"}))) == {tasks.local.pk}


def test_an_agency_filter_includes_the_agencies_it_succeeded(api, tasks, org):
    officer = api("officer")
    assert ids(officer.get("/api/tasks/", {"agency": "Bộ Khoa học và Công nghệ"})) == [tasks.ict.pk]
    assert ids(officer.get("/api/tasks/", {"agency": str(org.science.pk)})) == [tasks.ict.pk]
    assert ids(officer.get("/api/tasks/", {"agency": "Bộ TT&TT"})) == [tasks.ict.pk]


def test_an_agency_can_be_named_by_alias_or_without_diacritics(api, tasks):
    officer = api("officer")
    assert set(ids(officer.get("/api/tasks/", {"agency": "BTC"}))) == {tasks.inspect.pk, tasks.report.pk}
    assert set(ids(officer.get("/api/tasks/", {"agency": "bo y te"}))) == {tasks.inspect.pk, tasks.hospitals.pk}


def test_an_unknown_agency_is_400_with_the_closest_names(api, tasks):
    answer = api("officer").get("/api/tasks/", {"agency": "Bộ Tài chánh"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "unknown_agency" and error["closest"][0] == "Bộ Tài chính"
    assert "agency" in error["fields"] and "Bộ Tài chính" in error["message"]["vi"]
    assert api("officer").get("/api/tasks/", {"agency": "999999"}).json()["error"]["code"] == "unknown_agency"


def test_the_role_filter_separates_lead_from_support(api, tasks):
    officer = api("officer")
    assert ids(officer.get("/api/tasks/", {"agency": "Bộ Y tế", "role": "lead"})) == [tasks.hospitals.pk]
    assert ids(officer.get("/api/tasks/", {"agency": "Bộ Y tế", "role": "support"})) == [tasks.inspect.pk]
    alone = officer.get("/api/tasks/", {"role": "lead"})
    assert alone.status_code == 400 and "role" in alone.json()["error"]["fields"]


def test_the_state_filter_takes_several_states(api, tasks, clock, users):
    services.report_progress(tasks.hospitals, text="Đã họp", percent=10, actor=users.health_focal)
    clock.set(date(2026, 7, 1))  # task 1 (30/6) and the ICT one (31/5) are now overdue
    officer = api("officer")
    assert set(ids(officer.get("/api/tasks/", {"state": "overdue"}))) == {tasks.inspect.pk, tasks.ict.pk}
    assert set(ids(officer.get("/api/tasks/", {"state": "overdue,in_progress"}))) == {
        tasks.inspect.pk, tasks.ict.pk, tasks.hospitals.pk}
    assert set(ids(officer.get("/api/tasks/", {"state": "not_due"}))) == {tasks.report.pk, tasks.local.pk}
    listing = {t["id"]: (t["state"], t["state_label"]) for t in officer.get("/api/tasks/").json()["results"]}
    assert listing[tasks.inspect.pk] == ("overdue", "Chưa hoàn thành, quá hạn")
    assert listing[tasks.hospitals.pk] == ("in_progress", "Đang thực hiện trong hạn")
    wrong = officer.get("/api/tasks/", {"state": "overdue,late"})
    assert wrong.status_code == 400 and "late" in wrong.json()["error"]["fields"]["state"][0]["vi"]


def test_drafts_are_listed_only_when_asked_for(api, drafts):
    officer = api("officer")
    assert ids(officer.get("/api/tasks/")) == []
    assert len(ids(officer.get("/api/tasks/", {"state": "draft"}))) == 3


def test_the_due_range_and_document_filters(api, tasks):
    officer = api("officer")
    assert set(ids(officer.get("/api/tasks/", {"due_from": "2026-07-01"}))) == {tasks.hospitals.pk, tasks.local.pk}
    assert set(ids(officer.get("/api/tasks/", {"due_to": "2026-06-30"}))) == {tasks.inspect.pk, tasks.ict.pk}
    assert ids(officer.get("/api/tasks/", {"due_from": "2026-06-01", "due_to": "2026-06-30"})) == [tasks.inspect.pk]
    assert len(ids(officer.get("/api/tasks/", {"document": tasks.document.pk}))) == 5
    assert ids(officer.get("/api/tasks/", {"document": 999999})) == []
    backwards = officer.get("/api/tasks/", {"due_from": "2026-07-01", "due_to": "2026-06-01"})
    assert backwards.status_code == 400 and "due_to" in backwards.json()["error"]["fields"]


def test_words_are_found_without_diacritics_or_case(api, tasks):
    officer = api("officer")
    assert ids(officer.get("/api/tasks/", {"q": "benh vien truc thuoc"})) == [tasks.hospitals.pk]
    assert ids(officer.get("/api/tasks/", {"q": "HÓA ĐƠN điện tử"})) == [tasks.inspect.pk]
    # agency names are searched too
    assert set(ids(officer.get("/api/tasks/", {"q": "cuc thue"}))) == {tasks.inspect.pk, tasks.report.pk}


def test_sorting(api, tasks):
    officer = api("officer")
    dated = {"due_from": "2026-01-01"}
    by_due = [tasks.ict.pk, tasks.inspect.pk, tasks.hospitals.pk, tasks.local.pk]
    assert ids(officer.get("/api/tasks/", {**dated, "sort": "due"})) == by_due
    assert ids(officer.get("/api/tasks/", {**dated, "sort": "-due"})) == by_due[::-1]
    assert ids(officer.get("/api/tasks/", {**dated, "sort": "-id"})) == sorted(by_due, reverse=True)
    assert ids(officer.get("/api/tasks/", {**dated, "sort": "created"})) == sorted(by_due)
    # tasks without a deadline come last both ways
    assert ids(officer.get("/api/tasks/", {"sort": "due"}))[-1] == tasks.report.pk
    assert ids(officer.get("/api/tasks/", {"sort": "-due"}))[-1] == tasks.report.pk
    wrong = officer.get("/api/tasks/", {"sort": "deadline"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_choice"
    assert wrong.json()["error"]["fields"]["sort"][0]["vi"] == "«deadline» không phải là một lựa chọn hợp lệ."


def test_pagination(api, tasks):
    officer = api("officer")
    first = officer.get("/api/tasks/", {"page_size": 2, "sort": "id"}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"] and first["previous"] is None
    last = officer.get("/api/tasks/", {"page_size": 2, "page": 3, "sort": "id"}).json()
    assert [t["id"] for t in last["results"]] == [tasks.local.pk] and last["next"] is None
    beyond = officer.get("/api/tasks/", {"page_size": 2, "page": 4})
    assert beyond.status_code == 404 and beyond.json()["error"]["message"]["vi"] == "Trang không tồn tại."


def test_each_user_sees_only_the_tasks_policy_allows(api, tasks):
    everything = {tasks.inspect.pk, tasks.hospitals.pk, tasks.report.pk, tasks.ict.pk, tasks.local.pk}
    assert set(ids(api("leader").get("/api/tasks/"))) == everything
    assert set(ids(api("admin").get("/api/tasks/"))) == everything
    assert set(ids(api("finance_focal").get("/api/tasks/"))) == {tasks.inspect.pk, tasks.report.pk}
    assert set(ids(api("health_focal").get("/api/tasks/"))) == {tasks.inspect.pk, tasks.hospitals.pk}
    # a filter cannot widen what a user sees
    assert ids(api("finance_focal").get("/api/tasks/", {"agency": "Bộ Y tế", "role": "lead"})) == []


def test_anonymous_users_see_only_public_confirmed_tasks(api, tasks, drafts):
    from dondoc.tracking.models import Task

    anonymous = api("anonymous")
    assert ids(anonymous.get("/api/tasks/")) == []
    Task.objects.filter(pk=tasks.hospitals.pk).update(is_public=True)
    assert ids(anonymous.get("/api/tasks/")) == [tasks.hospitals.pk]
    detail = anonymous.get(f"/api/tasks/{tasks.hospitals.pk}/")
    assert detail.status_code == 200
    assert {e["actor"] for e in detail.json()["events"]} == {None}  # who did what is not public
    assert anonymous.get(f"/api/tasks/{tasks.inspect.pk}/").status_code == 404
    assert anonymous.get(f"/api/tasks/{tasks.inspect.pk}/events/").status_code == 404


def test_states_on_a_past_day(api, tasks, clock, users):
    clock.set(date(2026, 5, 4))
    services.report_progress(tasks.inspect, text="Đã họp", percent=20, actor=users.finance_focal)
    clock.set(date(2026, 7, 2))
    services.complete_task(tasks.hospitals, result="Xong", actor=users.health_focal)
    officer = api("officer")

    def states(**params):
        answer = officer.get("/api/tasks/", params)
        assert answer.status_code == 200, answer.json()
        return {t["id"]: t["state"] for t in answer.json()["results"]}

    now = states()
    assert now[tasks.inspect.pk] == "overdue" and now[tasks.hospitals.pk] == "done_on_time"
    april = states(as_of="2026-04-20")
    assert april[tasks.inspect.pk] == "not_due" and april[tasks.hospitals.pk] == "not_due"
    may = states(as_of="2026-05-10")
    assert may[tasks.inspect.pk] == "in_progress"
    assert states(as_of="2026-05-10", state="in_progress") == {tasks.inspect.pk: "in_progress"}
    # review events carry the directive's date (10/3): on 1/4 its tasks were already assigned; on 1/3 not yet
    assert set(states(as_of="2026-04-01")) == {tasks.inspect.pk, tasks.hospitals.pk, tasks.report.pk}
    assert states(as_of="2026-03-01") == {}


def test_progress_backdated_before_the_task_was_assigned_is_refused_and_past_days_still_answer(api, tasks, users):
    # the ICT task was added (open at once) on 15/4; a report dated 1/4 would rewrite its history
    with pytest.raises(services.ServiceError, match="before the task was assigned"):
        services.report_progress(tasks.ict, text="Đã họp từ trước", on=date(2026, 4, 1), actor=users.admin)
    answer = api("officer").get("/api/tasks/", {"as_of": "2026-04-05"})
    assert answer.status_code == 200


def test_pages_of_an_agency_list_read_from_the_assignment_rows_match_the_whole_list(api, tasks, clock):
    clock.set(date(2026, 7, 1))  # task 1 (30/6) and the ICT one (31/5) are now overdue
    for role in ("officer", "admin", "finance_focal"):
        client = api(role)
        for query in ({"agency": "Bộ Tài chính", "state": "overdue,in_progress,not_due"},
                      {"agency": "Bộ Y tế", "state": "overdue,in_progress,not_due", "sort": "-due"},
                      {"agency": "Bộ Khoa học và Công nghệ", "state": "overdue"}):
            whole = client.get("/api/tasks/", query).json()
            assert whole["count"] == len(whole["results"])
            pages = [client.get("/api/tasks/", {**query, "page_size": 1, "page": n}).json()
                     for n in range(1, whole["count"] + 1)]
            assert [p["results"][0]["id"] for p in pages] == [t["id"] for t in whole["results"]], (role, query)
            assert all(p["count"] == whole["count"] for p in pages)


def _token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.parametrize("query, on_postgresql, on_sqlite", [
    # token with user, profile and agency; the agency by id; its scope; count and page from the assignment rows;
    # the page's tasks by key; their agencies
    ({"state": "overdue"}, 7, 7),
    # token; count; page from the (status, due_date) index (PostgreSQL) or the list itself; tasks by key; agencies
    ({"due_from": "2026-06-01", "due_to": "2026-12-31"}, 5, 4),
])
def test_the_queries_of_a_task_list_request(tasks, users, org, clock, query, on_postgresql, on_sqlite,
                                            django_assert_num_queries):
    """How many queries a task list request costs, so more cannot creep in unnoticed; after the first request of
    a shape, nothing is built or compiled again, and the answer does not change."""
    from django.db import connection

    clock.set(date(2026, 7, 1))
    if "state" in query:
        query = {**query, "agency": str(org.finance.pk)}
    client = _token_client(users.admin)
    first = client.get("/api/tasks/", query).json()
    assert first["count"] >= 1
    with django_assert_num_queries(on_postgresql if connection.vendor == "postgresql" else on_sqlite):
        again = client.get("/api/tasks/", query).json()
    assert again == first
