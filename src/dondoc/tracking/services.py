"""Every write of the tracking service. Each function is one transaction: it validates, appends the events and
updates the cached task columns together, or changes nothing (raising ``ServiceError``).

Views, API endpoints and commands stay thin and call these; who may call what is decided in ``policy``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dondoc.extract.model import RECURRENCES

from . import states, tallies
from .chain import event_hash
from .models import Agency, AgencyAlias, AgencySuccession, ChainHead, Document, Event, EvidenceFile, Task, TaskAgency
from .text_keys import name_key, search_key


class ServiceError(Exception):
    """A request the rules refuse, with a message in Vietnamese and English and, when one field is at fault,
    its name. ``status`` is the HTTP status the API answers with."""

    def __init__(self, code: str, vi: str, en: str, *, field: str | None = None, status: int = 400,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(en)
        self.code, self.vi, self.en, self.field, self.status = code, vi, en, field, status
        self.extra = extra or {}


def _from_transition(error: states.TransitionError) -> ServiceError:
    return ServiceError(error.code, error.vi, error.en, status=409)


# ---------------------------------------------------------------------------------------------------- agencies


def find_agency(name: str) -> Agency | None:
    alias = AgencyAlias.objects.select_related("agency").filter(key=name_key(name)).first()
    return alias.agency if alias else None


def resolve_agency(name: str, *, kind: str = "", create: bool = True) -> Agency | None:
    """The agency a name from a document stands for; a name nobody registered yet is created as written
    (``source=extracted``), so nothing the extractor found is lost and a reviewer can later merge it."""
    agency = find_agency(name)
    if agency is None and create and name.strip():
        agency = Agency.objects.create(name=name.strip(), kind=kind, source=Agency.Source.EXTRACTED)
        AgencyAlias.objects.create(agency=agency, alias=agency.name)
    return agency


# Registry kinds whose short names ("Sở Y tế", "Công an tỉnh", "Văn phòng Bộ") every province or ministry has.
OWN_UNIT_KINDS = ("unit", "provincial_department")
PROVINCE_KINDS = ("provincial_committee", "provincial_council")
MINISTRY_KINDS = ("ministry", "ministerial_agency")
COMMITTEE, COUNCIL = "Ủy ban nhân dân", "Hội đồng nhân dân"


def own_unit(agency: Agency, issuer: Agency | None) -> Agency:
    """Đơn vị của cơ quan ban hành: "Sở Y tế" in a directive of Ủy ban nhân dân tỉnh Lâm Đồng is Sở Y tế tỉnh
    Lâm Đồng, "Văn phòng Bộ" in one of Bộ Tài chính is Văn phòng Bộ Tài chính. Each gets its own row under its
    owner (its own tasks, figures and, when the owner merges, successor) instead of one "Sở Y tế" for the whole
    country. Other agencies, and units named in a document whose issuer is neither, come back unchanged."""
    if issuer is None or agency.parent_id is not None or agency.kind not in OWN_UNIT_KINDS:
        return agency
    owner = _owning_body(issuer)
    name = _own_unit_name(agency, owner) if owner else None
    if name is None:
        return agency
    local = find_agency(name)
    if local is None:
        local = Agency.objects.create(name=name, kind=agency.kind, parent=owner, valid_from=owner.valid_from,
                                      valid_to=owner.valid_to, source=Agency.Source.REGISTRY)
        AgencyAlias.objects.create(agency=local, alias=name)
        for succession in owner.successions.filter(primary=True):  # a merged province's Sở go with it
            successor = own_unit(agency, succession.successor)
            if successor != agency:
                AgencySuccession.objects.get_or_create(predecessor=local, successor=successor,
                                                       defaults={"effective_on": succession.effective_on})
    return local


def _owning_body(agency: Agency) -> Agency | None:
    """The province (its people's committee) or ministry an agency is, or belongs to."""
    seen: set[int] = set()
    node: Agency | None = agency
    while node is not None and node.pk not in seen:
        if node.kind == "provincial_committee" or node.kind in MINISTRY_KINDS:
            return node
        if node.kind == "provincial_council":
            return find_agency(COMMITTEE + node.name.removeprefix(COUNCIL))
        seen.add(node.pk)
        node = node.parent
    return None


def _own_unit_name(unit: Agency, owner: Agency) -> str | None:
    name = unit.name
    if owner.kind in MINISTRY_KINDS:
        if unit.kind == "provincial_department" or name.endswith((" tỉnh", " thành phố")):
            return None  # a ministry writing to "Sở Y tế" means those of every province
        return f"{name.removesuffix(' Bộ')} {owner.name}" if name.endswith(" Bộ") else f"{name} - {owner.name}"
    place = owner.name.removeprefix(COMMITTEE).strip()  # "tỉnh Lâm Đồng", "thành phố Huế"
    if unit.kind == "provincial_department":
        return f"{name} {place}"
    for level in (" tỉnh", " thành phố"):
        if name.endswith(level):
            return f"{name.removesuffix(level)} {place}"
    if name in ("Tỉnh ủy", "Thành ủy"):
        return f"{name} {place.removeprefix('tỉnh ').removeprefix('thành phố ')}"  # Tỉnh ủy Lâm Đồng
    return None


def add_alias(agency: Agency, alias: str) -> bool:
    """Register another name for an agency; False when the name is taken (by it or by another agency)."""
    if not alias.strip() or AgencyAlias.objects.filter(key=name_key(alias)).exists():
        return False
    AgencyAlias.objects.create(agency=agency, alias=alias.strip())
    return True


@transaction.atomic
def sync_registry() -> dict[str, int]:
    """Load the extractor's agency registry into the database: new agencies and aliases are added, hierarchy,
    validity dates and successions filled in. Rows an administrator edited keep their edits (only empty fields
    are filled), so running it again after an upgrade is safe."""
    from dondoc.extract.agencies import AgencyRegistry

    registry = AgencyRegistry.default()
    records = list(registry.agencies())
    counts = {"agencies": 0, "aliases": 0, "successions": 0}
    by_name: dict[str, Agency] = {}
    for record in records:
        agency = find_agency(record.name)
        if agency is None:
            agency = Agency.objects.create(
                name=record.name, kind=record.kind, valid_from=record.valid_from, valid_to=record.valid_to,
                short_name=(record.symbols[0] if record.symbols else "")[:64], source=Agency.Source.REGISTRY,
            )
            AgencyAlias.objects.create(agency=agency, alias=record.name)
            counts["agencies"] += 1
        else:
            changed = False
            for attr in ("valid_from", "valid_to"):
                if getattr(agency, attr) is None and getattr(record, attr) is not None:
                    setattr(agency, attr, getattr(record, attr))
                    changed = True
            if agency.source == Agency.Source.EXTRACTED:  # the registry now knows it
                agency.source, agency.kind, changed = Agency.Source.REGISTRY, record.kind, True
            if changed:
                agency.save()
        by_name[record.name] = agency
        for alias in registry.written_forms(record):
            counts["aliases"] += add_alias(agency, alias)
    for record in records:
        agency = by_name[record.name]
        if record.parent and agency.parent_id is None and record.parent in by_name:
            agency.parent = by_name[record.parent]
            agency.save(update_fields=["parent"])
        for successor in record.successors:
            target = by_name.get(successor.name) or resolve_agency(successor.name)
            on = successor.date or (record.valid_to and date.fromordinal(record.valid_to.toordinal() + 1))
            if on is None:
                continue
            _, created = AgencySuccession.objects.get_or_create(
                predecessor=agency, successor=target, defaults={"effective_on": on, "primary": successor.primary}
            )
            counts["successions"] += created
    return counts


def agency_scope(agency: Agency, *, units: bool = True, lineage: bool = True) -> set[int]:
    """The agency's id with, optionally, every unit below it and every agency it succeeded (and their units):
    asking about Bộ Khoa học và Công nghệ also finds what Bộ Thông tin và Truyền thông was given before 2025.
    One recursive query (SQLite and PostgreSQL) over both kinds of edge, however deep the tree."""
    edges = []
    if units:
        edges.append(f"SELECT id AS below, parent_id AS above FROM {Agency._meta.db_table}")
    if lineage:
        edges.append(f"SELECT predecessor_id, successor_id FROM {AgencySuccession._meta.db_table}")
    if not edges:
        return {agency.pk}
    sql = (f"WITH RECURSIVE edge(below, above) AS ({' UNION ALL '.join(edges)}), "
           f"scope(id) AS (SELECT id FROM {Agency._meta.db_table} WHERE id = %s "
           "UNION SELECT edge.below FROM edge JOIN scope ON edge.above = scope.id) "
           "SELECT id FROM scope")
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk])
        return {row[0] for row in cursor.fetchall()}


# ---------------------------------------------------------------------------------------------------- events


def _append(task: Task, kind: str, *, on: date | None = None, actor=None, data: dict[str, Any] | None = None,
            snapshot: states.Snapshot | None = None) -> tuple[Event, states.Snapshot]:
    """Append one event to the chain and apply it to the task's cached columns and the KPI tallies. Call inside a
    transaction."""
    data = data or {}
    on = on or timezone.localdate()
    before = snapshot if snapshot is not None else task_snapshot(task)
    try:
        after = states.apply(before, kind, on, data)
    except states.TransitionError as error:
        raise _from_transition(error) from None
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    at = timezone.now()
    seq = head.seq + 1
    digest = event_hash(head.hash, seq=seq, task_id=task.pk, kind=kind, at=at, on=on,
                        actor_id=actor.pk if actor else None, data=data)
    event = Event.objects.create(
        seq=seq, task=task, kind=kind, at=at, on=on, actor=actor,
        actor_name=(actor.get_username() if actor else "system"), data=data, prev_hash=head.hash, hash=digest,
    )
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    _store(task, before, after)
    tallies.record(task, before, after, kind, on)
    return event, after


def task_snapshot(task: Task, as_of: date | None = None) -> states.Snapshot:
    events = task.events.order_by("seq").values_list("kind", "on", "data")
    return states.replay(events, as_of=as_of)


def _store(task: Task, before: states.Snapshot, after: states.Snapshot) -> None:
    """Write a snapshot into the task's cached columns and its agency rows. An agency that no longer answers for
    the task keeps its row, inactive, so questions about it (or about its successor's lineage) still find it."""
    task.status = after.status
    task.content = after.content
    task.due_date = after.due
    task.original_due = after.original_due
    task.deadline_text = after.deadline_text[:255]
    task.recurrence = after.recurrence
    task.done_on, task.done_late = after.done_on, after.done_late
    task.progress_percent, task.last_progress_on = after.progress_percent, after.last_progress_on
    task.extensions, task.pending_extension = after.extensions, after.pending_extension
    names = Agency.objects.filter(pk__in=(*after.lead, *after.support)).values_list("name", flat=True)
    task.search_text = search_key(" ".join([after.content, after.deadline_text, *names]))
    task.save()
    if (before.lead, before.support) != (after.lead, after.support):
        _store_assignments(task, after)
    if (before.status, before.due) != (after.status, after.due):
        task.assignments.update(task_status=task.status, task_due=task.due_date)


def _store_assignments(task: Task, s: states.Snapshot) -> None:
    wanted = {(a, "lead"): i for i, a in enumerate(s.lead)} | {(a, "support"): i for i, a in enumerate(s.support)}
    existing = {(r.agency_id, r.role): r for r in task.assignments.all()}
    for key, row in existing.items():
        active = key in wanted
        if row.active != active or (active and row.position != wanted[key]):
            row.active, row.position = active, wanted.get(key, row.position)
            row.save(update_fields=["active", "position"])
    TaskAgency.objects.bulk_create(
        TaskAgency(task=task, agency_id=a, role=role, position=i, task_status=task.status, task_due=task.due_date)
        for (a, role), i in wanted.items() if (a, role) not in existing
    )


# ---------------------------------------------------------------------------------------------------- documents


@dataclass
class IngestResult:
    document: Document
    created: bool
    tasks: list[Task] = field(default_factory=list)
    duplicate_reason: str = ""


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def identity_key(number: str | None, issuer: str | None, issued: date | None) -> str:
    """Số, ký hiệu + issuer + year: numbering restarts every year (05/CT-TTg of 2023 and of 2024 are two
    directives), so the year is part of a document's identity; an undated document keys without it."""
    if not (number and issuer):
        return ""
    return f"{name_key(number)}|{name_key(issuer)}|{issued.year if issued else ''}"


def find_duplicate(directive) -> tuple[Document, str] | None:
    """An ingested document that is the same directive: the same number from the same issuer, or the same text."""
    if doc := Document.objects.filter(content_hash=content_hash(directive.text)).first():
        return doc, "content"
    info = directive.document
    key = identity_key(info.number, info.issuer, info.issued_date)
    if key and (doc := Document.objects.filter(identity_key=key).first()):
        return doc, "number_issuer"
    return None


def ingest_directive(directive, *, file_bytes: bytes | None = None, file_name: str = "", content_type: str = "",
                     actor=None) -> IngestResult:
    """Store an extracted directive as a draft document with draft tasks (one ``created`` event each), unless it
    is a duplicate. The original file, if given, is stored with it; a failure leaves neither rows nor file."""
    if dup := find_duplicate(directive):
        return IngestResult(document=dup[0], created=False, duplicate_reason=dup[1])
    info = directive.document
    stored_file: str | None = None
    try:
        with transaction.atomic():
            issuer = resolve_agency(info.issuer) if info.issuer else None
            document = Document(
                number=(info.number or "")[:64], type=(info.type or "")[:32], issuer=issuer,
                issuer_name=(info.issuer or "")[:255], issued_date=info.issued_date, title=info.title or "",
                text=directive.text, citations=[c.to_json() for c in directive.citations],
                original_name=file_name[:255], content_type=content_type[:128],
                size=len(file_bytes) if file_bytes is not None else len(directive.text.encode()),
                content_hash=content_hash(directive.text),
                identity_key=identity_key(info.number, info.issuer, info.issued_date),
                created_by=actor,
            )
            if file_bytes is not None:
                document.file.save(Path(file_name or "document").name, ContentFile(file_bytes), save=False)
                stored_file = document.file.name
            document.save()
            tasks = [_create_draft(document, t, actor) for t in directive.tasks]
    except IntegrityError:
        _remove_file(stored_file)
        # another process stored the same directive between our check and our insert
        if dup := find_duplicate(directive):
            return IngestResult(document=dup[0], created=False, duplicate_reason=dup[1])
        raise
    except BaseException:
        _remove_file(stored_file)
        raise
    return IngestResult(document=document, created=True, tasks=tasks)


def _remove_file(name: str | None) -> None:
    if name:
        Document.file.field.storage.delete(name)


def assigned_on(document: Document) -> date:
    """The day a document's tasks were assigned: its date (when known and past), else today. Review events
    (created, corrected, confirmed, discarded) carry this day, because review transcribes what the document
    assigned then; replaying a past day therefore sees the reviewed task from the day it was given."""
    today = timezone.localdate()
    return min(document.issued_date, today) if document.issued_date else today


def _create_draft(document: Document, extracted, actor) -> Task:
    lead = [own_unit(a, document.issuer) for n in extracted.lead if (a := resolve_agency(n))]
    support = [own_unit(a, document.issuer) for n in extracted.support if (a := resolve_agency(n))]
    lead_ids = list(dict.fromkeys(a.pk for a in lead))  # two names may now be one agency
    deadline = extracted.deadline
    task = Task.objects.create(
        document=document, content=extracted.quote, source_start=extracted.span.start,
        source_end=extracted.span.end, confidence=extracted.confidence,
    )
    _append(task, "created", on=assigned_on(document), actor=actor, snapshot=states.Snapshot(), data={
        "content": extracted.quote,
        "lead": lead_ids, "support": [pk for pk in dict.fromkeys(a.pk for a in support) if pk not in lead_ids],
        "due": deadline.date.isoformat() if deadline and deadline.date else None,
        "deadline_text": deadline.text if deadline else "",
        "recurrence": (deadline.recurrence if deadline else None) or "",
        "draft": True,
    })
    return task


def ingest_path(path: str | Path, *, actor=None, keep_file: bool = True) -> IngestResult:
    """Read, extract and store one file (raises ``dondoc.extract.ExtractionError`` when it cannot be read)."""
    from dondoc.extract import extract

    path = Path(path)
    directive = extract(path)
    data = path.read_bytes() if keep_file else None
    return ingest_directive(directive, file_bytes=data, file_name=path.name, actor=actor)


# ---------------------------------------------------------------------------------------------------- review


def _agency_ids(values: Iterable[Any], field_name: str) -> list[int]:
    """Agency ids from ids or names; an unknown one is refused with the closest registered names."""
    from .selectors import closest_agencies

    ids: list[int] = []
    for value in values:
        if isinstance(value, Agency):
            ids.append(value.pk)
            continue
        agency = (Agency.objects.filter(pk=value).first() if isinstance(value, int) or str(value).isdigit()
                  else find_agency(str(value)))
        if agency is None:
            near = closest_agencies(str(value))
            raise ServiceError(
                "unknown_agency", f"Không có cơ quan «{value}». Gần nhất: {', '.join(near) or '—'}.",
                f"No agency «{value}». Closest: {', '.join(near) or '—'}.", field=field_name, status=400,
                extra={"closest": near},
            )
        ids.append(agency.pk)
    return list(dict.fromkeys(ids))


def _check_due(task: Task, due: date | None, field_name: str = "due") -> None:
    earliest = task.document.issued_date or task.created_at.date()
    if due is not None and due < earliest:
        raise ServiceError(
            "due_before_assignment",
            f"Thời hạn {due:%d/%m/%Y} sớm hơn ngày giao nhiệm vụ {earliest:%d/%m/%Y}.",
            f"The deadline {due.isoformat()} is before the task was assigned ({earliest.isoformat()}).",
            field=field_name,
        )


@transaction.atomic
def correct_task(task: Task, *, actor=None, **changes: Any) -> Task:
    """Sửa khi rà soát: content, lead, support (ids or names), due (date or None), deadline_text, recurrence.
    The event keeps before and after: the corrections become test data for the extractor."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    unknown = set(changes) - set(states.EDITABLE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ServiceError("unknown_field", f"Không sửa được trường «{name}».", f"Field «{name}» cannot be edited.",
                           field=name)
    before = task_snapshot(task)
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        if name in ("lead", "support"):
            old, new = list(getattr(before, name)), _agency_ids(value, name)
        elif name == "due":
            _check_due(task, value)
            old, new = (before.due.isoformat() if before.due else None), (value.isoformat() if value else None)
        elif name == "content":
            old, new = before.content, " ".join(str(value).split())
            if not new:
                raise ServiceError("empty_content", "Nội dung nhiệm vụ không được để trống.",
                                   "The task's content cannot be empty.", field="content")
        else:
            old, new = getattr(before, name), value or ""
        if old != new:
            diff[name] = [old, new]
    if diff:
        _append(task, "corrected", on=assigned_on(task.document), actor=actor, data={"changes": diff},
                snapshot=before)
    return task


@transaction.atomic
def confirm_task(task: Task, *, actor=None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _append(task, "confirmed", on=assigned_on(task.document), actor=actor)
    apply_successions(tasks=[task], actor=actor)
    return task


@transaction.atomic
def discard_task(task: Task, *, actor=None, reason: str = "") -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _append(task, "discarded", on=assigned_on(task.document), actor=actor, data={"reason": reason})
    return task


@transaction.atomic
def confirm_document(document: Document, *, actor=None) -> Document:
    """Confirm every draft task of a document (each needs a lead) and the document itself."""
    confirmed = list(document.tasks.select_for_update().filter(status=Task.Status.DRAFT).order_by("pk"))
    for task in confirmed:
        _append(task, "confirmed", on=assigned_on(document), actor=actor)
    apply_successions(tasks=confirmed, actor=actor)
    document.status, document.confirmed_at = Document.Status.CONFIRMED, timezone.now()
    document.save(update_fields=["status", "confirmed_at"])
    return document


@transaction.atomic
def add_task(document: Document, *, content: str, lead: Sequence[Any] = (), support: Sequence[Any] = (),
             due: date | None = None, deadline_text: str = "", source_start: int | None = None,
             source_end: int | None = None, actor=None, parent: Task | None = None, draft: bool = True,
             recurrence: str = "") -> Task:
    """A task the reviewer adds by hand (selecting its passage), or a sub-task an agency gives its unit."""
    if not " ".join(content.split()):
        raise ServiceError("empty_content", "Nội dung nhiệm vụ không được để trống.",
                           "The task's content cannot be empty.", field="content")
    if source_start is not None and (source_end is None or not 0 <= source_start < source_end <= len(document.text)):
        raise ServiceError("bad_span", "Đoạn trích không nằm trong văn bản.", "The passage is outside the document.",
                           field="source_start")
    if recurrence not in ("", *RECURRENCES):
        raise ServiceError("bad_recurrence", f"Chu kỳ «{recurrence}» không hợp lệ ({', '.join(RECURRENCES)}).",
                           f"Unknown recurrence «{recurrence}» ({', '.join(RECURRENCES)}).", field="recurrence")
    task = Task.objects.create(document=document, parent=parent, content=content, source_start=source_start,
                               source_end=source_end)
    _check_due(task, due)
    data = {
        "content": " ".join(content.split()), "lead": _agency_ids(lead, "lead"),
        "support": _agency_ids(support, "support"), "due": due.isoformat() if due else None,
        "deadline_text": deadline_text, "recurrence": recurrence, "draft": draft, "added": True,
    }
    _append(task, "created", on=assigned_on(document) if draft else None, actor=actor, snapshot=states.Snapshot(),
            data=data)
    return task


@transaction.atomic
def merge_tasks(tasks: Sequence[Task], *, actor=None) -> Task:
    """Gộp: draft tasks of one document become one draft (contents joined, agencies united, earliest deadline)."""
    if len(tasks) < 2 or len({t.document_id for t in tasks}) != 1:
        raise ServiceError("merge_needs_two", "Cần ít nhất hai nhiệm vụ của cùng một văn bản để gộp.",
                           "Merging needs two or more tasks of the same document.", field="tasks")
    tasks = sorted(tasks, key=lambda t: (t.source_start or 0, t.pk))
    snaps = [task_snapshot(t) for t in tasks]
    if any(s.status != "draft" for s in snaps):
        raise ServiceError("not_draft", "Chỉ gộp được nhiệm vụ đang chờ rà soát.", "Only draft tasks can be merged.",
                           status=409)
    dues = [s.due for s in snaps if s.due]
    merged = add_task(
        tasks[0].document, content=" ".join(s.content for s in snaps),
        lead=list(dict.fromkeys(a for s in snaps for a in s.lead)),
        support=list(dict.fromkeys(a for s in snaps for a in s.support)), due=min(dues) if dues else None,
        deadline_text=next((s.deadline_text for s in snaps if s.due == (min(dues) if dues else None)), ""),
        source_start=min((t.source_start for t in tasks if t.source_start is not None), default=None),
        source_end=max((t.source_end for t in tasks if t.source_end is not None), default=None), actor=actor,
    )
    for task, snap in zip(tasks, snaps, strict=True):
        _append(task, "discarded", on=assigned_on(task.document), actor=actor, data={"merged_into": merged.pk},
                snapshot=snap)
    return merged


@transaction.atomic
def split_task(task: Task, parts: Sequence[str], *, actor=None) -> list[Task]:
    """Tách: a draft becomes one draft per part, each with the original's agencies and deadline."""
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    if len(parts) < 2:
        raise ServiceError("split_needs_two", "Cần ít nhất hai phần để tách.", "Splitting needs two or more parts.",
                           field="parts")
    snap = task_snapshot(task)
    if snap.status != "draft":
        raise ServiceError("not_draft", "Chỉ tách được nhiệm vụ đang chờ rà soát.", "Only a draft task can be split.",
                           status=409)
    created = []
    for part in parts:
        start = task.document.text.find(part)
        created.append(add_task(
            task.document, content=part, lead=list(snap.lead), support=list(snap.support), due=snap.due,
            deadline_text=snap.deadline_text, actor=actor,
            source_start=start if start >= 0 else None, source_end=start + len(part) if start >= 0 else None,
        ))
    _append(task, "discarded", on=assigned_on(task.document), actor=actor,
            data={"split_into": [t.pk for t in created]}, snapshot=snap)
    return created


# ---------------------------------------------------------------------------------------------------- follow-up


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("document").get(pk=task.pk)


@transaction.atomic
def report_progress(task: Task, *, text: str, percent: int | None = None, on: date | None = None, actor=None,
                    files: Sequence[tuple[str, bytes]] = ()) -> Event:
    """Báo cáo tiến độ, with evidence files (name, content)."""
    if not text.strip():
        raise ServiceError("empty_report", "Nội dung báo cáo không được để trống.", "The report text is empty.",
                           field="text")
    if percent is not None and not 0 <= percent <= 100:
        raise ServiceError("bad_percent", "Tỷ lệ hoàn thành phải từ 0 đến 100.", "Percent must be 0 to 100.",
                           field="percent")
    _check_not_future(on)
    task = _locked(task)
    _check_backdating(task, on)
    event, _ = _append(task, "progress", on=on, actor=actor, data={"text": text.strip(), "percent": percent})
    saved: list[str] = []
    try:
        for name, content in files:
            evidence = EvidenceFile(event=event, original_name=Path(name).name[:255], size=len(content),
                                    sha256=hashlib.sha256(content).hexdigest())
            evidence.file.save(Path(name).name, ContentFile(content), save=False)
            saved.append(evidence.file.name)
            evidence.save()
    except BaseException:
        for name in saved:
            EvidenceFile.file.field.storage.delete(name)
        raise
    return event


def _check_backdating(task: Task, on: date | None) -> None:
    """A backdated report or completion must fit the task's history: not before the task was assigned, and not
    before it was last reopened (the task was closed then, so a past day's state could not hold it)."""
    if on is None:
        return
    first = _first_day(task)
    if on < first:
        raise ServiceError("before_assignment", f"Ngày {on:%d/%m/%Y} sớm hơn ngày giao nhiệm vụ ({first:%d/%m/%Y}).",
                           f"{on.isoformat()} is before the task was assigned ({first.isoformat()}).", field="on")
    reopened = task.events.filter(kind="reopened").order_by("-seq").values_list("on", flat=True).first()
    if reopened is not None and on < reopened:
        raise ServiceError("before_reopening", f"Ngày {on:%d/%m/%Y} sớm hơn ngày nhiệm vụ được mở lại "
                           f"({reopened:%d/%m/%Y}).", f"{on.isoformat()} is before the task was reopened "
                           f"({reopened.isoformat()}).", field="on")


def _check_not_future(on: date | None) -> None:
    if on is not None and on > timezone.localdate():
        raise ServiceError("future_date", "Ngày không được ở tương lai.", "The date cannot be in the future.",
                           field="on")


@transaction.atomic
def request_extension(task: Task, *, due: date, reason: str, actor=None) -> Event:
    task = _locked(task)
    if not reason.strip():
        raise ServiceError("reason_required", "Cần nêu lý do gia hạn.", "A reason is required.", field="reason")
    if task.status != Task.Status.OPEN:
        raise ServiceError("task_not_open", "Nhiệm vụ không còn đang thực hiện, không thể đề nghị gia hạn.",
                           "The task is not open; cannot request an extension.", status=409)
    _check_later_than_current(task, due)
    return _append(task, "extension_requested", actor=actor, data={"due": due.isoformat(), "reason": reason.strip()})[0]


def _check_later_than_current(task: Task, due: date) -> None:
    """Gia hạn only ever moves a deadline later: an earlier date would be a new assignment, not an extension."""
    if task.due_date is not None and due <= task.due_date:
        raise ServiceError("extension_not_later", "Thời hạn gia hạn phải sau thời hạn hiện hành "
                           f"({task.due_date:%d/%m/%Y}).", "The extended deadline must be after the current one "
                           f"({task.due_date.isoformat()}).", field="due")


@transaction.atomic
def decide_extension(task: Task, *, approve: bool, reason: str = "", due: date | None = None, actor=None) -> Event:
    """Đồng ý (optionally with another date than asked) or không đồng ý gia hạn."""
    task = _locked(task)
    data: dict[str, Any] = {"reason": reason.strip()}
    if approve and due is not None:
        _check_due(task, due)
        _check_later_than_current(task, due)
        data["due"] = due.isoformat()
    return _append(task, "extension_approved" if approve else "extension_refused", actor=actor, data=data)[0]


@transaction.atomic
def transfer_task(task: Task, *, to: Sequence[Any], reason: str, decision: str = "", due: date | None = None,
                  actor=None) -> Task:
    """Chuyển giao: the task closes as transferred and a new open task, linked to it, goes to the new lead(s)."""
    task = _locked(task)
    target = _agency_ids(to, "to")
    if not target:
        raise ServiceError("transfer_target", "Cần chọn cơ quan nhận.", "Choose the receiving agency.", field="to")
    snap = task_snapshot(task)
    if set(target) <= set(snap.lead):
        raise ServiceError("transfer_same_agency", "Không thể chuyển nhiệm vụ cho chính cơ quan đang chủ trì.",
                           "Cannot transfer a task to the agency already leading it.", field="to")
    if not reason.strip():
        raise ServiceError("reason_required", "Cần nêu lý do chuyển.", "A reason is required.", field="reason")
    _append(task, "transferred", actor=actor, snapshot=snap,
            data={"to": target, "reason": reason.strip(), "decision": decision.strip()})
    new_due = due or snap.due
    if due is not None:
        _check_due(task, due)
    successor = Task.objects.create(document=task.document, parent=task, content=snap.content,
                                    source_start=task.source_start, source_end=task.source_end,
                                    is_public=task.is_public)
    _append(successor, "created", actor=actor, snapshot=states.Snapshot(), data={
        "content": snap.content, "lead": target, "support": [a for a in snap.support if a not in target],
        "due": new_due.isoformat() if new_due else None, "deadline_text": snap.deadline_text,
        "recurrence": snap.recurrence, "draft": False, "transferred_from": task.pk,
    })
    return successor


@transaction.atomic
def withdraw_task(task: Task, *, reason: str, decision: str = "", actor=None) -> Event:
    """Không tiếp tục thực hiện (with the leadership's agreement: the deciding document)."""
    if not reason.strip():
        raise ServiceError("reason_required", "Cần nêu lý do.", "A reason is required.", field="reason")
    return _append(_locked(task), "withdrawn", actor=actor,
                   data={"reason": reason.strip(), "decision": decision.strip()})[0]


@transaction.atomic
def complete_task(task: Task, *, result: str = "", on: date | None = None, actor=None) -> Event:
    """Hoàn thành on ``on`` (default today); on time or late against the deadline in force that day."""
    _check_not_future(on)
    task = _locked(task)
    _check_backdating(task, on)
    return _append(task, "completed", on=on, actor=actor, data={"result": result.strip()})[0]


@transaction.atomic
def reopen_task(task: Task, *, reason: str, on: date | None = None, actor=None) -> Event:
    """Mở lại a finished or withdrawn task on ``on`` (default today), not before its latest event."""
    if not reason.strip():
        raise ServiceError("reason_required", "Cần nêu lý do.", "A reason is required.", field="reason")
    _check_not_future(on)
    task = _locked(task)
    last = task.events.order_by("-seq").values_list("on", flat=True).first()
    if on is not None and last is not None and on < last:
        raise ServiceError("before_last_event", f"Ngày mở lại {on:%d/%m/%Y} sớm hơn sự kiện gần nhất của nhiệm vụ "
                           f"({last:%d/%m/%Y}).", f"{on.isoformat()} is before the task's latest event "
                           f"({last.isoformat()}).", field="on")
    return _append(task, "reopened", on=on, actor=actor, data={"reason": reason.strip()})[0]


def apply_successions(today: date | None = None, *, tasks: Iterable[Task] | None = None, actor=None) -> int:
    """Move open tasks held by merged or dissolved agencies to their primary successor once the succession's date
    has come; each move is a ``succeeded`` event dated that day. Covers tasks confirmed after the date too (an old
    directive ingested late), and chains (A → B → C). Returns the number of moves; running it again moves nothing.
    With ``tasks``, only those are considered (what ``confirm_document`` just opened)."""
    if today is not None and today > timezone.localdate():
        raise ServiceError("future_date", f"Không thể áp dụng sáp nhập trước ngày hôm nay ({today:%d/%m/%Y} là ngày "
                           "tương lai).", f"Successions cannot be applied ahead of time ({today.isoformat()} is in "
                           "the future).", field="today")
    today = today or timezone.localdate()
    moved = 0
    due = AgencySuccession.objects.filter(effective_on__lte=today, primary=True).order_by("effective_on", "pk")
    for succession in due:
        with transaction.atomic():
            held = TaskAgency.objects.filter(agency_id=succession.predecessor_id, active=True).values("task_id")
            candidates = Task.objects.select_for_update().filter(pk__in=held, status=Task.Status.OPEN)
            if tasks is not None:
                candidates = candidates.filter(pk__in=[t.pk for t in tasks])
            for task in candidates.order_by("pk"):
                _append(task, "succeeded", on=max(succession.effective_on, _first_day(task)), actor=actor, data={
                    "from": succession.predecessor_id, "to": succession.successor_id, "succession": succession.pk,
                })
                moved += 1
            # applied: every task the predecessor held has been moved, which only a pass over all of them knows
            if succession.applied_at is None and tasks is None:
                succession.applied_at = timezone.now()
                succession.save(update_fields=["applied_at"])
    return moved


def _first_day(task: Task) -> date:
    return task.events.order_by("seq").values_list("on", flat=True).first()
