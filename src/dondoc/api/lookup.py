"""Finding agencies by what a person types: an id, a registered name or alias (``services.find_agency``: case and
tone placement ignored), or the same words without diacritics ("bo tai chinh")."""

from __future__ import annotations

from collections import defaultdict

from dondoc.tracking import policy, selectors, services
from dondoc.tracking.models import Agency, AgencyAlias
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.text_keys import search_key

from . import prepared
from .errors import ApiError


def _folded_aliases() -> dict[int, list[str]]:
    """Every agency's names (its own and its aliases) without case or diacritics. Folded in Python: SQLite has no
    unaccent, and the registry is a few thousand names at most."""
    names: dict[int, list[str]] = defaultdict(list)
    for agency_id, name in Agency.objects.values_list("pk", "name"):
        names[agency_id].append(search_key(name))
    for agency_id, alias in AgencyAlias.objects.values_list("agency_id", "alias"):
        names[agency_id].append(search_key(alias))
    return names


def search_ids(text: str) -> list[int]:
    """Ids of agencies one of whose names contains every word of ``text`` (case and diacritics ignored)."""
    words = search_key(text).split()
    return [agency_id for agency_id, names in _folded_aliases().items()
            if any(all(word in name for word in words) for name in names)]


def _agency_by_id(pk: int):
    return Agency.objects.filter(pk=pk)[:1]  # as .first() reads it (in the model's order)


def resolve(value: str, field: str = "agency") -> Agency:
    value = " ".join(value.split())
    agency = None
    if value.isdigit():
        found = prepared.rows("lookup.agency", _agency_by_id, int(value))
        agency = found[0] if found else None
    else:
        agency = services.find_agency(value)
        if agency is None:
            key = search_key(value)
            exact = [agency_id for agency_id, names in _folded_aliases().items() if key in names]
            if len(exact) == 1:
                agency = Agency.objects.get(pk=exact[0])
    if agency is None:
        near = selectors.closest_agencies(value)
        raise ApiError(
            "unknown_agency", f"Không có cơ quan «{value}». Gần nhất: {', '.join(near) or '—'}.",
            f"No agency «{value}». Closest: {', '.join(near) or '—'}.", field=field, extra={"closest": near},
        )
    return agency


def task_filter(query: dict, user) -> TaskFilter:
    """The ``TaskFilter`` of a validated task query (the list's and the export's). With ``as_of`` the states are
    judged on that past day by the caller, so they narrow nothing here; drafts then count when asked for."""
    states, as_of = query.get("state", ()), query.get("as_of")
    return TaskFilter(
        agency=resolve(query["agency"]) if query.get("agency") else None, role=query.get("role"),
        include_units=query["include_units"], buckets=() if as_of else states,
        include_drafts=bool(as_of and {"draft", "discarded"} & set(states)),
        due_from=query.get("due_from"), due_to=query.get("due_to"), document_id=query.get("document"),
        query=query.get("q", ""), public_only=policy.role_of(user) is None,
    )
