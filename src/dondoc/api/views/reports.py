"""KPIs per agency (JSON or CSV) and the briefing report (DOCX, XLSX, PDF, Markdown): thin wrappers over
``kpis.compute`` and ``reports.assemble``."""

from __future__ import annotations

import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dondoc.kpis.compute import KpiReport, compute_kpis
from dondoc.kpis.formula import rank
from dondoc.reports.assemble import BriefingError, build_briefing, resolve_period
from dondoc.reports.pdf import PdfUnavailable
from dondoc.reports.render import FORMATS, file_name, render

from .. import lookup
from ..errors import ApiError
from .base import ApiView, errors
from .downloads import FileAnswers, ReportReader, attachment


class ReportQuery(serializers.Serializer):
    period = serializers.CharField(help_text='2025-Q3, 2025-07, 2025-H1, 2025, 2025-07-01..2025-09-30, '
                                             '"Quý III/2025"...')
    agency = serializers.ListField(child=serializers.CharField(), required=False,
                                   help_text="agency id or name; repeat for several (default: every agency)")
    include_units = serializers.BooleanField(required=False, default=False,
                                             help_text="count units' tasks with their parent agency")
    as_of = serializers.DateField(required=False, help_text="figures as of this day (default today)")


class KpiQuery(ReportQuery):
    format = serializers.ChoiceField(choices=["json", "csv"], required=False, default="json")
    min_tasks = serializers.IntegerField(required=False, default=5, min_value=1,
                                         help_text="commendation needs at least this many judged tasks")


class BriefingQuery(ReportQuery):
    format = serializers.ChoiceField(choices=list(FORMATS), required=False, default="docx")


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _api_error(error: BriefingError) -> ApiError:
    extra = {"closest": error.closest} if error.code == "unknown_agency" else {}
    return ApiError(error.code, error.vi, error.en, field=error.field or None, extra=extra)


def kpi_csv(report: KpiReport) -> str:
    """One row per agency and the total, with the period, as-of day and formula version on every row."""
    rows = [*report.rows, report.total]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["period", "as_of", "formula_version", *rows[0].to_json()],
                            lineterminator="\r\n")
    writer.writeheader()
    for record in rows:
        writer.writerow({"period": report.period.code, "as_of": report.as_of.isoformat(),
                         "formula_version": report.formula_version, **record.to_json()})
    return "\ufeff" + out.getvalue()


def _brief(record) -> dict:
    return {"agency_id": record.agency_id, "agency": record.agency, "on_time_rate": record.on_time_rate,
            "judged": record.judged, "overdue": record.overdue, "avg_days_overdue": record.avg_days_overdue}


class KpiView(FileAnswers, ApiView):
    permission_classes = [ReportReader]

    @extend_schema(
        tags=["reports"], summary="KPIs per agency (Chỉ số thực hiện nhiệm vụ)",
        description="Per agency: tasks assigned, done on time, done late, in progress, overdue, without deadline; "
                    "on-time rate = on time / (on time + late + open overdue); average days late; extensions "
                    "granted; the ranking for commendation and criticism. Formula: `kpis.formula` (its version "
                    "in `formula_version`). `format=csv` answers a CSV file (UTF-8 with BOM). Signed-in users "
                    "with a role only.",
        parameters=[KpiQuery],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="KPIs; or text/csv with format=csv"),
                   **errors(400, 401, 403)},
    )
    def get(self, request):
        v = _query(KpiQuery, request)
        try:
            period = resolve_period(v["period"])
        except BriefingError as error:
            raise _api_error(error) from None
        agencies = [lookup.resolve(a) for a in v["agency"]] if v.get("agency") else None
        report = compute_kpis(period, as_of=v.get("as_of"), agencies=agencies, include_units=v["include_units"])
        if v["format"] == "csv":
            return attachment(kpi_csv(report).encode("utf-8"), "text/csv; charset=utf-8",
                              file_name(period.code, "csv").replace("bao-cao-giao-ban-", "chi-so-"))
        ranking = rank(report.rows, min_judged=v["min_tasks"], limit=None)
        return Response({**report.to_json(), "ranking": {
            "min_judged": ranking.min_judged,
            "commend": [_brief(r) for r in ranking.commend],
            "criticise": [_brief(r) for r in ranking.criticise],
        }})


class BriefingView(FileAnswers, ApiView):
    permission_classes = [ReportReader]

    @extend_schema(
        tags=["reports"], summary="Briefing report (Báo cáo giao ban)",
        description="The report of `dondoc report` as a file (Content-Disposition: attachment): DOCX in the "
                    "layout of Nghị định 30/2020/NĐ-CP, XLSX with the same tables as sheets, PDF (converted by "
                    "LibreOffice; 503 `pdf_unavailable` without it) or Markdown. An empty period still gives a "
                    "report that says so. Signed-in users with a role only.",
        parameters=[BriefingQuery],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="the file"),
                   **errors(400, 401, 403, 503)},
    )
    def get(self, request):
        v = _query(BriefingQuery, request)
        agencies = [lookup.resolve(a) for a in v["agency"]] if v.get("agency") else None
        try:
            report = build_briefing(v["period"], as_of=v.get("as_of"), agencies=agencies,
                                    include_units=v["include_units"])
        except BriefingError as error:
            raise _api_error(error) from None
        name = file_name(resolve_period(v["period"]).code, v["format"], [a.name for a in agencies or []])
        try:
            rendered = render(report, v["format"], name)
        except PdfUnavailable as error:
            raise ApiError("pdf_unavailable", "Máy chủ chưa cài LibreOffice nên không xuất được PDF; hãy cài "
                           "libreoffice-writer-nogui (apt install libreoffice-writer-nogui) hoặc chọn DOCX.",
                           f"PDF needs LibreOffice on the server: apt install libreoffice-writer-nogui, or ask for "
                           f"DOCX. ({error})", status=503) from None
        return attachment(rendered.content, rendered.content_type, rendered.file_name)
