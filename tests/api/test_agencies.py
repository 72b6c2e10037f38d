"""Agencies: searched by any name without case or diacritics; read with names, hierarchy and succession; created
and edited by administrators only, all or nothing."""

import pytest

from .conftest import counts


def names(answer):
    assert answer.status_code == 200, answer.json()
    return [a["name"] for a in answer.json()["results"]]


def test_search_ignores_case_and_diacritics_over_names_and_aliases(api, org):
    anyone = api("anonymous")
    assert names(anyone.get("/api/agencies/", {"q": "bo tai chinh"})) == ["Bộ Tài chính"]
    assert names(anyone.get("/api/agencies/", {"q": "btc"})) == ["Bộ Tài chính"]
    assert names(anyone.get("/api/agencies/", {"q": "Y TE"})) == ["Bộ Y tế", "Sở Y tế tỉnh Lâm Đồng"]
    assert names(anyone.get("/api/agencies/", {"q": "ubnd lam dong"})) == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert names(anyone.get("/api/agencies/", {"q": "không có"})) == []


def test_the_list_pages_and_filters_by_kind(api, org):
    from dondoc.tracking.models import Agency

    Agency.objects.filter(pk=org.tax.pk).update(kind="cuc")
    assert names(api("leader").get("/api/agencies/", {"kind": "cuc"})) == ["Cục Thuế"]
    page = api("leader").get("/api/agencies/", {"page_size": 3}).json()
    assert page["count"] == 7 and len(page["results"]) == 3 and page["next"]
    item = next(a for a in api("leader").get("/api/agencies/").json()["results"] if a["name"] == "Cục Thuế")
    assert item["parent"] == {"id": org.finance.pk, "name": "Bộ Tài chính"}


def test_an_agency_with_its_names_units_and_succession(api, org):
    finance = api("anonymous").get(f"/api/agencies/{org.finance.pk}/").json()
    assert finance["aliases"] == ["BTC", "Bộ Tài chính"]
    assert finance["children"] == [{"id": org.tax.pk, "name": "Cục Thuế"}] and finance["parent"] is None
    science = api("anonymous").get(f"/api/agencies/{org.science.pk}/").json()
    assert science["predecessors"] == [{"id": org.ict.pk, "name": "Bộ Thông tin và Truyền thông",
                                        "effective_on": "2025-03-01", "primary": True}]
    ict = api("anonymous").get(f"/api/agencies/{org.ict.pk}/").json()
    assert ict["valid_to"] == "2025-02-28" and ict["successors"][0]["name"] == "Bộ Khoa học và Công nghệ"
    assert api("anonymous").get("/api/agencies/999999/").status_code == 404


def test_an_administrator_adds_an_agency_under_a_parent_with_aliases(api, org):
    answer = api("admin").post("/api/agencies/", {
        "name": "Cục Hải quan", "short_name": "TCHQ", "kind": "cuc", "parent": org.finance.pk,
        "aliases": ["Tổng cục Hải quan"], "valid_from": "2025-03-01"}, format="json")
    assert answer.status_code == 201, answer.json()
    agency = answer.json()
    assert agency["parent"]["name"] == "Bộ Tài chính" and agency["source"] == "manual"
    assert agency["aliases"] == ["Cục Hải quan", "Tổng cục Hải quan"]
    # documents naming it now resolve to it; task filters find it by either name
    from dondoc.tracking.services import find_agency

    assert find_agency("tổng cục hải quan").pk == agency["id"]
    assert api("officer").get("/api/tasks/", {"agency": "Tổng cục Hải quan"}).status_code == 200


def test_renaming_keeps_the_old_name_as_an_alias(api, org):
    answer = api("admin").patch(f"/api/agencies/{org.ict.pk}/", {"name": "Bộ TT và TT (cũ)"}, format="json")
    assert answer.status_code == 200
    assert set(answer.json()["aliases"]) == {"Bộ Thông tin và Truyền thông", "Bộ TT&TT", "Bộ TT và TT (cũ)"}


@pytest.mark.parametrize("method, target, body, status, code, field", [
    ("post", None, {"name": "bộ tài chính"}, 409, "name_taken", "name"),
    ("post", None, {"name": "Cục Mới", "aliases": ["BTC"]}, 409, "name_taken", "aliases"),
    ("post", None, {"name": "Cục Mới", "parent": 999999}, 400, "unknown_agency", "parent"),
    ("post", None, {"name": "Cục Mới", "valid_from": "2026-01-01", "valid_to": "2025-01-01"}, 400, "bad_period",
     "valid_to"),
    ("post", None, {"name": "Cục Mới", "valid_to": "2025-02-29"}, 400, "invalid_date", "valid_to"),
    ("post", None, {"name": "x" * 256}, 400, "max_length", "name"),
    ("post", None, {"short_name": "CM"}, 400, "required", "name"),
    ("post", None, {"name": "Cục Mới", "source": "registry"}, 400, "unknown_field", "source"),
    ("patch", "finance", {"parent": "tax"}, 400, "parent_cycle", "parent"),
    ("patch", "finance", {"parent": "finance"}, 400, "parent_cycle", "parent"),
    ("patch", "finance", {"name": "Bộ Y tế"}, 409, "name_taken", "name"),
])
def test_bad_agency_writes_are_refused_and_change_nothing(api, org, method, target, body, status, code, field):
    from django.forms.models import model_to_dict

    from dondoc.tracking.models import Agency

    body = {k: getattr(org, v).pk if k == "parent" and isinstance(v, str) else v for k, v in body.items()}
    url = f"/api/agencies/{getattr(org, target).pk}/" if target else "/api/agencies/"
    before, rows = counts(), [model_to_dict(a) for a in Agency.objects.order_by("pk")]
    answer = getattr(api("admin"), method)(url, body, format="json")
    assert answer.status_code == status, answer.json()
    error = answer.json()["error"]
    assert error["code"] == code and field in error["fields"], error
    assert counts() == before and [model_to_dict(a) for a in Agency.objects.order_by("pk")] == rows
