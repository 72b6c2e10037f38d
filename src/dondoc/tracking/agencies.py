"""Administering agencies: saving one with its names, hierarchy and validity, and recording that one was merged
into (or succeeded by) another. Both check every rule first and write everything or nothing, raising
``ServiceError`` (bilingual, with the field at fault) like the other services; the pages and commands only call
them. Moving the open tasks is ``services.apply_successions``'s job: ``record_succession`` calls it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Agency, AgencyAlias, AgencySuccession, ChainHead, Event
from .services import ServiceError, agency_scope, apply_successions
from .text_keys import name_key


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _taken(name: str, agency: Agency, field: str) -> None:
    """A name resolves documents' agencies, so it belongs to one agency only."""
    query = AgencyAlias.objects.filter(key=name_key(name)).select_related("agency")
    if agency.pk is not None:
        query = query.exclude(agency_id=agency.pk)
    if (alias := query.first()) is not None:
        raise ServiceError("name_taken", f"Tên «{name}» đã là tên của cơ quan «{alias.agency.name}».",
                           f"The name «{name}» already belongs to «{alias.agency.name}».", field=field,
                           status=409, extra={"existing": alias.agency_id})


def ancestors(agency: Agency) -> list[Agency]:
    """The agencies above ``agency``, nearest first (a loop in bad data ends the walk)."""
    out, seen, node = [], {agency.pk}, agency.parent
    while node is not None and node.pk not in seen:
        out.append(node)
        seen.add(node.pk)
        node = node.parent
    return out


@transaction.atomic
def save_agency(agency: Agency | None, *, name: str, short_name: str = "", parent: Agency | None = None,
                valid_from: date | None = None, valid_to: date | None = None,
                aliases: Iterable[str] = (), kind: str | None = None) -> Agency:
    """Create (``agency`` None: entered by hand) or edit an agency. ``aliases`` are all its other names: those no
    longer listed are removed, except its previous name after a rename (documents written before still name it).
    ``kind`` (bộ, sở, …) is left as it is when None.
    Refused: an empty name, a name or alias another agency answers to, a parent that is the agency itself or one of
    its units, a validity that ends before it starts."""
    agency = agency if agency is not None else Agency(source=Agency.Source.MANUAL)
    name = _clean(name)
    if not name:
        raise ServiceError("name_required", "Cần nhập tên cơ quan.", "The agency needs a name.", field="name")
    previous = None
    if agency.pk is not None:
        previous = Agency.objects.values_list("name", flat=True).get(pk=agency.pk)
    _taken(name, agency, "name")
    wanted: dict[str, str] = {}
    for alias in (_clean(a) for a in aliases):
        if alias and name_key(alias) != name_key(name):
            wanted.setdefault(name_key(alias), alias)
    for alias in wanted.values():
        _taken(alias, agency, "aliases")
    if parent is not None and agency.pk is not None and (
            parent.pk == agency.pk or agency.pk in {a.pk for a in ancestors(parent)}):
        raise ServiceError("parent_cycle", "Cơ quan cấp trên không được là chính nó hoặc đơn vị cấp dưới của nó.",
                           "The parent cannot be the agency itself or one of its units.", field="parent")
    if valid_from and valid_to and valid_from > valid_to:
        raise ServiceError("bad_period", "Ngày hết hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực.",
                           "The end of validity must not be before its start.", field="valid_to")
    agency.name, agency.short_name, agency.parent = name, _clean(short_name)[:64], parent
    agency.valid_from, agency.valid_to = valid_from, valid_to
    if kind is not None:
        agency.kind = kind
    agency.save()
    if previous and name_key(previous) != name_key(name):
        wanted.setdefault(name_key(previous), previous)
    wanted[name_key(name)] = name
    have = {a.key: a for a in AgencyAlias.objects.filter(agency=agency)}
    for key, alias in have.items():
        if key not in wanted:
            alias.delete()
    for key, alias in wanted.items():
        if key not in have:
            try:
                with transaction.atomic():
                    AgencyAlias.objects.create(agency=agency, alias=alias)
            except IntegrityError:  # given to another agency meanwhile
                raise ServiceError("name_taken", f"Tên «{alias}» vừa được dùng cho cơ quan khác.",
                                   f"The name «{alias}» was just given to another agency.",
                                   field="name" if key == name_key(name) else "aliases", status=409) from None
        elif have[key].alias != alias:  # the same name written differently: keep how it is written now
            have[key].alias = alias
            have[key].save(update_fields=["alias"])
    return agency


@dataclass
class SuccessionResult:
    succession: AgencySuccession
    moved: int  # open tasks this succession moved to its successor
    moved_other: int  # moves of other successions due by now (the successor's own later merger, one not yet applied)
    ended_on: date | None  # the predecessor's last day, when this succession set it


def _check_succession(predecessor: Agency, successor: Agency, effective_on: date, primary: bool) -> None:
    def refuse(code: str, vi: str, en: str, field: str) -> None:
        raise ServiceError(code, vi, en, field=field)

    if predecessor.pk == successor.pk:
        refuse("same_agency", "Cơ quan kế thừa phải khác cơ quan bị sáp nhập.",
               "The successor must be another agency.", "successor")
    if effective_on > timezone.localdate():
        refuse("future_date", f"Ngày {effective_on:%d/%m/%Y} chưa đến: ghi nhận sáp nhập từ ngày nó có hiệu lực "
               "(nhiệm vụ được chuyển ngay khi ghi nhận).", f"{effective_on.isoformat()} has not come yet: record "
               "the merger once it takes effect (its tasks move when it is recorded).", "effective_on")
    if predecessor.valid_from and effective_on < predecessor.valid_from:
        refuse("before_start", f"«{predecessor.name}» chỉ có hiệu lực từ {predecessor.valid_from:%d/%m/%Y}.",
               f"«{predecessor.name}» exists only from {predecessor.valid_from.isoformat()}.", "effective_on")
    if not successor.exists_on(effective_on):
        refuse("successor_absent", f"«{successor.name}» không có hiệu lực vào ngày {effective_on:%d/%m/%Y}.",
               f"«{successor.name}» did not exist on {effective_on.isoformat()}.", "successor")
    if AgencySuccession.objects.filter(predecessor=predecessor, successor=successor).exists():
        refuse("succession_exists", "Việc kế thừa này đã được ghi nhận.", "This succession is already recorded.",
               "successor")
    if successor.pk in agency_scope(predecessor, units=False, lineage=True):
        refuse("succession_cycle", f"«{predecessor.name}» đã kế thừa «{successor.name}»: không thể tạo vòng kế "
               "thừa.", f"«{predecessor.name}» already succeeded «{successor.name}»: that would make a cycle.",
               "successor")
    if predecessor.pk in agency_scope(successor, units=False, lineage=True):
        refuse("succession_exists", f"Công việc của «{predecessor.name}» đã chuyển cho «{successor.name}» qua cơ "
               "quan khác.", f"«{predecessor.name}»'s work already passes to «{successor.name}» through another "
               "agency.", "successor")
    if primary:
        earlier = predecessor.successions.filter(primary=True).select_related("successor").first()
        if earlier is not None:
            refuse("already_merged", f"«{predecessor.name}» đã được sáp nhập vào «{earlier.successor.name}» từ "
                   f"ngày {earlier.effective_on:%d/%m/%Y}.", f"«{predecessor.name}» was already merged into "
                   f"«{earlier.successor.name}» on {earlier.effective_on.isoformat()}.", "predecessor")
        onward = successor.successions.filter(primary=True, effective_on__lte=effective_on).select_related(
            "successor").first()
        if onward is not None:
            refuse("successor_merged", f"«{successor.name}» đã được sáp nhập vào «{onward.successor.name}» từ ngày "
                   f"{onward.effective_on:%d/%m/%Y}; chọn cơ quan đó.", f"«{successor.name}» was itself merged "
                   f"into «{onward.successor.name}» on {onward.effective_on.isoformat()}; choose that one.",
                   "successor")


@transaction.atomic
def record_succession(predecessor: Agency, successor: Agency, effective_on: date, *, primary: bool = True,
                      actor=None) -> SuccessionResult:
    """Sáp nhập, hợp nhất: from ``effective_on`` (today or earlier) the predecessor's work belongs to the successor.
    With ``primary`` (the successor receives its open tasks) the predecessor's validity ends the day before, and
    its open tasks move at once through ``services.apply_successions``: one ``succeeded`` event each, dated on the
    merger's day. Refused: the agency itself, a cycle, a date to come, a date outside either agency's validity, a
    second primary successor, a successor merged by then, the same succession twice."""
    # the predecessor's row locked: two administrators recording its merger at once are checked one after the other
    predecessor = Agency.objects.select_for_update().get(pk=predecessor.pk)
    _check_succession(predecessor, successor, effective_on, primary)
    try:
        with transaction.atomic():
            succession = AgencySuccession.objects.create(predecessor=predecessor, successor=successor,
                                                         effective_on=effective_on, primary=primary)
    except IntegrityError:  # recorded meanwhile by someone else
        raise ServiceError("succession_exists", "Việc kế thừa này đã được ghi nhận.",
                           "This succession is already recorded.", field="successor") from None
    ended_on = None
    if primary and (predecessor.valid_to is None or predecessor.valid_to >= effective_on):
        ended_on = predecessor.valid_to = effective_on - timedelta(days=1)
        predecessor.save(update_fields=["valid_to"])
    head = ChainHead.objects.values_list("seq", flat=True).first() or 0
    apply_successions(actor=actor)
    # the events just appended tell which moves were this succession's own (seq is unique: a range of its index)
    moves = [data.get("succession") for data in Event.objects.filter(seq__gt=head, kind=Event.Kind.SUCCEEDED)
             .values_list("data", flat=True)]
    moved = sum(1 for pk in moves if pk == succession.pk)
    succession.refresh_from_db()
    return SuccessionResult(succession=succession, moved=moved, moved_other=len(moves) - moved, ended_on=ended_on)
