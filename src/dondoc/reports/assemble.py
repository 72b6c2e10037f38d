"""A briefing report (báo cáo giao ban) filled from the tracking service: what ``dondoc report``, the API and the web
pages all call, so every channel shows the same figures.

    report = build_briefing("2025-Q3", as_of=date(2025, 10, 5), agencies=["Bộ Tài chính"], include_units=True)
    build_docx(report)  # or build_xlsx, build_markdown, docx_to_pdf(build_docx(report))

What it holds:

* results per agency: ``kpis.compute_kpis`` (formula ``kpis.formula``), one row per agency with something to
  report, or per agency asked for; the total counts each task once;
* commendation and criticism: ``kpis.formula.rank`` (at least ``min_judged`` judged tasks to be commended), the
  first ``RANK_LIMIT`` of each;
* the overdue list: exactly the tasks behind the table's "Quá hạn" column (deadline in force within the period,
  not finished by the as-of day), most overdue first — ``kpis.compute.overdue_tasks``;
* indicators: those of the agencies in scope (every indicator when no agency is named) whose baseline day is on or
  before the as-of day, with the latest value reported by then, progress against the target and the off-track flag
  (``kpis.indicators.progress``); off-track ones first;
* notes: provisional figures (the period is not over), no task in the period, an agency asked for without tasks.

An empty period is not an error: the report is produced, says in its summary that no task fell in the period, and
carries a note. Errors (``BriefingError``, Vietnamese and English): a period the parser cannot read, an agency
nobody knows (with the closest names).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from dondoc.kpis import indicators as indicator_service
from dondoc.kpis.compute import KpiReport, compute_kpis, load_organisation, overdue_tasks
from dondoc.kpis.formula import KpiRecord, rank
from dondoc.kpis.models import Indicator
from dondoc.kpis.periods import Period, PeriodError, parse_period
from dondoc.tracking import selectors
from dondoc.tracking.models import Agency, Task

from .content import AgencyResult, BriefingReport, IndicatorStatus, Note, OverdueTask, percent

RANK_LIMIT = 10
UNIT_SHOWN = {"percent": "%", "count": "", "rank": "hạng", "vnd": "đồng", "days": "ngày", "number": ""}


class BriefingError(ValueError):
    """A report that cannot be made as asked; ``code`` for programs, ``vi`` and ``en`` for people."""

    def __init__(self, code: str, vi: str, en: str, *, field: str = "", closest: Sequence[str] = ()) -> None:
        super().__init__(f"{vi} / {en}")
        self.code, self.vi, self.en, self.field, self.closest = code, vi, en, field, list(closest)


def resolve_period(period: Period | str) -> Period:
    try:
        return parse_period(period)
    except PeriodError as error:
        raise BriefingError(error.code, error.vi, error.en, field="period") from None


def resolve_agencies(values: Iterable[Agency | int | str]) -> list[Agency]:
    """Agencies from objects, ids, or names and abbreviations as people type them; ``BriefingError`` naming the
    closest registered names for one nobody knows."""
    from dondoc.tracking.services import find_agency

    found: list[Agency] = []
    for value in values:
        if isinstance(value, Agency):
            found.append(value)
            continue
        text = " ".join(str(value).split())
        if text.isdigit():
            agency = Agency.objects.filter(pk=int(text)).first()
        else:  # a registered name or alias; else a name as stored (agencies added without aliases)
            agency = find_agency(text) or Agency.objects.filter(name__iexact=text).order_by("pk").first()
        if agency is None:
            near = [] if text.isdigit() else selectors.closest_agencies(text)
            shown = ", ".join(near) or "—"
            raise BriefingError("unknown_agency", f"Không có cơ quan «{text}». Gần nhất: {shown}.",
                                f"No agency «{text}». Closest: {shown}.", field="agency", closest=near)
        found.append(agency)
    return list({a.pk: a for a in found}.values())


def _result(record: KpiRecord) -> AgencyResult:
    return AgencyResult(
        agency=record.agency, assigned=record.assigned, done_on_time=record.done_on_time,
        done_late=record.done_late, in_progress=record.in_progress, overdue=record.overdue,
        without_deadline=record.without_deadline, on_time_rate=record.on_time_rate,
        average_days_late=record.avg_days_late, extensions=record.extensions_granted,
    )


def _document_label(document) -> str:
    if document.number:
        return document.number
    return (document.title or f"Văn bản #{document.pk}")[:80]


def overdue_list(kpis: KpiReport) -> list[OverdueTask]:
    """The tasks behind ``kpis``' overdue figures, with what a reader needs to chase them."""
    found = kpis.overdue if kpis.overdue is not None else overdue_tasks(kpis)
    if not found:
        return []
    ids = [task_id for task_id, _ in found]
    tasks: dict[int, Task] = {}
    for start in range(0, len(ids), 5000):  # SQLite allows a limited number of parameters per query
        chunk = ids[start:start + 5000]
        tasks.update(Task.objects.select_related("document").only(
            "id", "content", "due_date", "original_due", "document__number", "document__title")
            .in_bulk(chunk))
    leads: dict[int, dict] = {}
    for start in range(0, len(ids), 5000):
        leads.update(selectors.lead_names(ids[start:start + 5000]))
    out = []
    for task_id, days in found:
        task = tasks.get(task_id)
        if task is None:
            continue
        lead = "; ".join(a["name"] for a in leads.get(task_id, {}).get("lead", [])) or "—"
        due = date.fromordinal(kpis.as_of.toordinal() - days)
        out.append(OverdueTask(task_id=task_id, content=" ".join(task.content.split()), lead=lead, due=due,
                               days_overdue=days, document=_document_label(task.document)))
    return out


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_statuses(as_of: date, agency_ids: set[int] | None) -> list[IndicatorStatus]:
    """Indicators of the agencies (every one when ``agency_ids`` is None) as of the day, off-track ones first."""
    qs: QuerySet[Indicator] = Indicator.objects.select_related("agency").filter(baseline_date__lte=as_of)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    rows = []
    for indicator in qs.order_by("agency__name", "target_date", "id"):
        assessed = indicator_service.progress(indicator, as_of)
        rows.append(IndicatorStatus(
            name=indicator.name, unit=UNIT_SHOWN.get(indicator.unit, ""), agency=indicator.agency.name,
            baseline=_float(indicator.baseline_value), target=float(indicator.target_value),
            target_date=indicator.target_date, latest=_float(assessed.value), latest_on=assessed.value_as_of,
            progress=assessed.progress, expected=assessed.expected, off_track=assessed.off_track,
        ))
    return sorted(rows, key=lambda r: not r.off_track)  # stable: agency order kept within each group


def _scope_text(agencies: Sequence[Agency], include_units: bool) -> str:
    if not agencies:
        return ""
    names = ", ".join(a.name for a in agencies)
    return f"{names} và các đơn vị trực thuộc" if include_units else names


def build_briefing(period: Period | str, as_of: date | None = None,
                   agencies: Sequence[Agency | int | str] | None = None, include_units: bool = False, *,
                   min_judged: int = 5, issuer: str = "VĂN PHÒNG", issuer_parent: str = "", number: str = "",
                   place: str = "Hà Nội", signed_on: date | None = None) -> BriefingReport:
    """The briefing report for ``period`` as of ``as_of`` (default today), for ``agencies`` (default: every agency
    with something to report) with or without their units. ``BriefingError`` for an unknown period or agency."""
    parsed = resolve_period(period)
    as_of = as_of or timezone.localdate()
    chosen = resolve_agencies(agencies) if agencies else None
    kpis = compute_kpis(parsed, as_of=as_of, agencies=chosen, include_units=include_units, overdue_list=True)
    ranking = rank(kpis.rows, min_judged=min_judged, limit=RANK_LIMIT)
    if chosen:
        org = load_organisation()
        in_scope: set[int] | None = set()
        for agency in chosen:
            in_scope |= org.scope(agency.pk, units=include_units, lineage=True, as_of=as_of)
    else:
        in_scope = None
    notes = [Note(n.code, n.vi, n.en) for n in kpis.notices]
    return BriefingReport(
        period_label=parsed.label, period_start=parsed.start, period_end=parsed.end, as_of=as_of,
        issuer=issuer, issuer_parent=issuer_parent, number=number, place=place, signed_on=signed_on,
        scope=_scope_text(chosen or [], include_units),
        results=[_result(r) for r in kpis.rows], total=_result(kpis.total),
        overdue=overdue_list(kpis), indicators=indicator_statuses(as_of, in_scope),
        commended=[f"{r.agency} ({percent(r.on_time_rate)} đúng hạn)" for r in ranking.commend],
        criticised=[f"{r.agency} ({r.overdue} nhiệm vụ quá hạn)" for r in ranking.criticise],
        formula_version=kpis.formula_version, notes=notes,
    )
