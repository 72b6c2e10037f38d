"""Every endpoint that changes data × every role: the status each gets, and nothing written when refused.

Roles: anonymous, administrator, tracking officer, focal point of Bộ Tài chính (whose unit Cục Thuế leads tasks 1
and 3), focal point of Bộ Y tế (leads task 2, supports task 1), leader. Rules (``tracking.policy``): a task the
user may not see is 404; one the user sees but may not act on is 403; anonymous writes are 401.
"""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import services

from .conftest import ROLES, counts


def _state(drafts, users, step):
    """Bring the directive's tasks to what the endpoint needs: drafts, confirmed, with a pending extension..."""
    if step in ("drafts",):
        return
    services.confirm_document(drafts.document, actor=users.officer)
    if step == "pending_extension":
        services.request_extension(drafts.inspect, due=date(2026, 7, 31), reason="Thiếu", actor=users.finance_focal)
    if step == "done":
        services.complete_task(drafts.inspect, result="Xong", actor=users.finance_focal)
    if step == "indicator":  # Bộ Y tế answers for it
        from dondoc.kpis.indicators import create_indicator

        create_indicator(name="Bệnh viện kết nối hóa đơn", unit="percent", direction="increase", baseline_value=10,
                         baseline_date=date(2026, 1, 1), target_value=100, target_date=date(2026, 12, 31),
                         agency=drafts.hospitals.assignments.get(role="lead").agency)


# endpoint: (state needed, method, url template, body, format, {role: status}); "task" is task 1 unless named
A, OF, F, H, L, N = "admin", "officer", "finance_focal", "health_focal", "leader", "anonymous"
REVIEW = {N: 401, A: 200, OF: 200, F: 404, H: 404, L: 403}  # drafts are invisible to focal points
MATRIX = {
    "upload": ("none", "post", "/api/documents/", "directive", "json", {N: 401, A: 201, OF: 201, F: 403, H: 403,
                                                                         L: 403}),
    "confirm document": ("drafts", "post", "/api/documents/{document}/confirm/", {}, "json", REVIEW),
    "add task": ("drafts", "post", "/api/documents/{document}/tasks/", {"content": "Việc mới", "lead": ["BTC"]},
                 "json", {**REVIEW, A: 201, OF: 201}),
    "correct": ("drafts", "patch", "/api/tasks/{inspect}/", {"due": "2026-07-31"}, "json", REVIEW),
    "confirm": ("drafts", "post", "/api/tasks/{inspect}/confirm/", {}, "json", REVIEW),
    "discard": ("drafts", "post", "/api/tasks/{inspect}/discard/", {}, "json", REVIEW),
    "split": ("drafts", "post", "/api/tasks/{inspect}/split/", {"parts": ["Một", "Hai"]}, "json",
              {**REVIEW, A: 201, OF: 201}),
    "merge": ("drafts", "post", "/api/tasks/merge/", {"tasks": ["{inspect}", "{report}"]}, "json",
              {N: 401, A: 201, OF: 201, F: 403, H: 403, L: 403}),
    "progress (Cục Thuế leads)": ("confirmed", "post", "/api/tasks/{inspect}/progress/", {"text": "Đã họp"}, "json",
                                  {N: 401, A: 201, OF: 403, F: 201, H: 403, L: 403}),
    "progress (Bộ Y tế leads)": ("confirmed", "post", "/api/tasks/{hospitals}/progress/", {"text": "Đã họp"},
                                 "json", {N: 401, A: 201, OF: 403, F: 404, H: 201, L: 403}),
    "extension request": ("confirmed", "post", "/api/tasks/{inspect}/extension-request/",
                          {"due": "2026-07-31", "reason": "Thiếu số liệu"}, "json",
                          {N: 401, A: 201, OF: 403, F: 201, H: 403, L: 403}),
    "extension decision": ("pending_extension", "post", "/api/tasks/{inspect}/extension-decision/",
                           {"approve": True}, "json", {N: 401, A: 201, OF: 201, F: 403, H: 403, L: 403}),
    "transfer": ("confirmed", "post", "/api/tasks/{inspect}/transfer/", {"to": ["Bộ Y tế"], "reason": "Đúng chức "
                 "năng"}, "json", {N: 401, A: 201, OF: 201, F: 403, H: 403, L: 403}),
    "withdraw": ("confirmed", "post", "/api/tasks/{inspect}/withdraw/", {"reason": "Không còn phù hợp"}, "json",
                 {N: 401, A: 201, OF: 201, F: 403, H: 403, L: 403}),
    "complete (Cục Thuế leads)": ("confirmed", "post", "/api/tasks/{inspect}/complete/", {}, "json",
                                  {N: 401, A: 201, OF: 201, F: 201, H: 403, L: 403}),
    "complete (Bộ Y tế leads)": ("confirmed", "post", "/api/tasks/{hospitals}/complete/", {}, "json",
                                 {N: 401, A: 201, OF: 201, F: 404, H: 201, L: 403}),
    "reopen": ("done", "post", "/api/tasks/{inspect}/reopen/", {"reason": "Chỉ đạo mới"}, "json",
               {N: 401, A: 201, OF: 201, F: 403, H: 403, L: 403}),
    "add agency": ("none", "post", "/api/agencies/", {"name": "Cục Hải quan", "parent": "{finance}"}, "json",
                   {N: 401, A: 201, OF: 403, F: 403, H: 403, L: 403}),
    "edit agency": ("none", "patch", "/api/agencies/{finance}/", {"aliases": ["Bộ Tài chính Việt Nam"]}, "json",
                    {N: 401, A: 200, OF: 403, F: 403, H: 403, L: 403}),
    "indicator value": ("indicator", "post", "/api/indicators/{indicator}/values/",
                        {"value": "45%", "as_of": "2026-04-01"}, "json",
                        {N: 401, A: 201, OF: 201, F: 403, H: 201, L: 403}),
}


def _fill(value, names):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in names:
        return names[value[1:-1]]
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(api, users, org, directive_text, request, endpoint, role):
    step, method, url, body, fmt, expected = MATRIX[endpoint]
    names = {"finance": org.finance.pk}
    if step != "none":
        drafts = request.getfixturevalue("drafts")
        _state(drafts, users, step)
        names |= {"document": drafts.document.pk, "inspect": drafts.inspect.pk, "hospitals": drafts.hospitals.pk,
                  "report": drafts.report.pk}
    if step == "indicator":
        from dondoc.kpis.models import Indicator

        names["indicator"] = Indicator.objects.get().pk
    body = {"text": directive_text} if body == "directive" else _fill(body, names)
    before = counts()
    answer = getattr(api(role), method)(_fill(url, names), body, format=fmt)
    assert answer.status_code == expected[role], answer.json()
    if answer.status_code >= 400:
        error = answer.json()["error"]
        assert error["code"] == {401: "not_authenticated", 403: "forbidden", 404: "not_found"}[answer.status_code]
        assert counts() == before
    else:
        assert counts() != before


@pytest.mark.parametrize("role, status, seen", [
    ("anonymous", 200, set()), ("admin", 200, {"inspect", "hospitals", "report"}),
    ("officer", 200, {"inspect", "hospitals", "report"}), ("finance_focal", 200, {"inspect", "report"}),
    ("health_focal", 200, {"inspect", "hospitals"}), ("leader", 200, {"inspect", "hospitals", "report"}),
])
def test_who_reads_which_tasks(api, confirmed, role, status, seen):
    names = {confirmed.inspect.pk: "inspect", confirmed.hospitals.pk: "hospitals", confirmed.report.pk: "report"}
    answer = api(role).get("/api/tasks/")
    assert answer.status_code == status
    assert {names[t["id"]] for t in answer.json()["results"]} == seen
    for pk, name in names.items():
        assert api(role).get(f"/api/tasks/{pk}/").status_code == (200 if name in seen else 404)


def test_a_focal_point_without_agency_sees_nothing_and_does_nothing(api, confirmed, django_user_model):
    from rest_framework.test import APIClient

    from dondoc.tracking.models import Profile

    user = django_user_model.objects.create_user("daumoi_trong", password="x")
    Profile.objects.create(user=user, role=Profile.Role.FOCAL_POINT)
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/tasks/").json()["count"] == 0
    assert client.post(f"/api/tasks/{confirmed.inspect.pk}/progress/", {"text": "x"}, format="json").status_code == 404


def test_a_signed_in_user_without_a_role_reads_like_the_public_and_writes_nothing(api, confirmed, django_user_model):
    from rest_framework.test import APIClient

    from dondoc.tracking.models import Task

    user = django_user_model.objects.create_user("khach", password="x")
    client = APIClient()
    client.force_authenticate(user)
    Task.objects.filter(pk=confirmed.hospitals.pk).update(is_public=True)
    assert [t["id"] for t in client.get("/api/tasks/").json()["results"]] == [confirmed.hospitals.pk]
    answer = client.post(f"/api/tasks/{confirmed.hospitals.pk}/progress/", {"text": "x"}, format="json")
    assert answer.status_code == 403
    assert client.get("/api/documents/").json()["count"] == 0
