"""Indicators (chỉ tiêu định lượng): progress against the target with the off-track flag, and values reported by
the responsible agency. The rules (units, dates, progress) are ``kpis.indicators``'; this module only decides who
may read and report."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from dondoc.kpis import indicators as service
from dondoc.kpis.models import Indicator
from dondoc.tracking import policy
from dondoc.tracking.models import Profile
from dondoc.tracking.services import agency_scope

from .. import access, lookup
from ..fields import BriefAgency, StrictSerializer
from ..serializers import Bilingual
from .base import ApiViewSet, errors


def visible_indicators(user, qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Everyone with a role reads every indicator (targets set by directives); the public reads those attached to
    a public task."""
    if policy.role_of(user) is None:
        return qs.filter(task__is_public=True)
    return qs


def can_report_value(user, indicator: Indicator) -> bool:
    """Administrators; tracking officers (within their agency's work when they have one: indicators it answers
    for or set by documents it issued); focal points of the responsible agency (or of an agency above it or that
    it succeeded). Leaders read only."""
    role = policy.role_of(user)
    if role == Profile.Role.ADMIN:
        return True
    profile = getattr(user, "profile", None)
    scope = agency_scope(profile.agency) if profile is not None and profile.agency_id else None
    if role == Profile.Role.OFFICER:
        return scope is None or indicator.agency_id in scope or (
            indicator.document_id is not None and indicator.document.issuer_id in scope)
    if role == Profile.Role.FOCAL_POINT:
        return scope is not None and indicator.agency_id in scope
    return False


class IndicatorQuery(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="agency id or name: its indicators")
    include_units = serializers.BooleanField(required=False, default=True)
    off_track = serializers.BooleanField(required=False, allow_null=True, default=None,
                                         help_text="true: only those flagged off track; false: only on track")
    as_of = serializers.DateField(required=False, help_text="progress as of this day (default today)")


class IndicatorOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    baseline_value = serializers.FloatField()
    baseline_date = serializers.DateField()
    target_value = serializers.FloatField()
    target_date = serializers.DateField()
    agency = BriefAgency()
    document = serializers.IntegerField(source="document_id", allow_null=True)
    task = serializers.IntegerField(source="task_id", allow_null=True)
    as_of = serializers.DateField(help_text="the day progress is judged on")
    latest_value = serializers.FloatField(allow_null=True)
    latest_value_as_of = serializers.DateField(allow_null=True)
    progress = serializers.FloatField(allow_null=True, help_text="share of the way from baseline to target")
    expected = serializers.FloatField(help_text="share of the way expected by as_of (linear)")
    status = serializers.CharField(help_text="achieved | on_track | behind | missed | no_data")
    off_track = serializers.BooleanField()
    message = Bilingual()


class ValueIn(StrictSerializer):
    value = serializers.JSONField(help_text='a number, or text read the Vietnamese way: "45,5", "45%", "1.500"')
    as_of = serializers.CharField(help_text="the day the value describes: YYYY-MM-DD or dd/mm/yyyy")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ValueOut(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.FloatField()
    as_of = serializers.DateField()
    source = serializers.CharField()
    reported_by = serializers.CharField(source="reported_by_name")
    note = serializers.CharField()


class ValueResult(serializers.Serializer):
    value = ValueOut()
    indicator = IndicatorOut()


def present(indicator: Indicator, day) -> dict:
    a = service.progress(indicator, day)
    vi, en = a.message
    return {
        "id": indicator.pk, "code": indicator.code, "name": indicator.name, "unit": indicator.unit,
        "direction": indicator.direction, "baseline_value": indicator.baseline_value,
        "baseline_date": indicator.baseline_date, "target_value": indicator.target_value,
        "target_date": indicator.target_date, "agency": {"id": indicator.agency_id, "name": indicator.agency.name},
        "document_id": indicator.document_id, "task_id": indicator.task_id, "as_of": day,
        "latest_value": a.value, "latest_value_as_of": a.value_as_of, "progress": a.progress,
        "expected": a.expected, "status": a.status, "off_track": a.off_track, "message": {"vi": vi, "en": en},
    }


class IndicatorViewSet(ApiViewSet):
    queryset = Indicator.objects.none()  # for the schema
    lookup_value_converter = "int"
    permission_classes = [access.ReadAnyoneWriteSignedIn]
    parser_classes = [JSONParser]

    @extend_schema(tags=["indicators"], summary="Indicators with progress (Chỉ tiêu và tiến độ)",
                   description="Progress against the target as of a day, the expected progress on a linear path, "
                               "the status and the off-track flag (rules: `kpis.indicators`). Anonymous readers: "
                               "indicators of public tasks only.",
                   parameters=[IndicatorQuery], responses={200: IndicatorOut(many=True), **errors(400)})
    def list(self, request):
        query = IndicatorQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        v = query.validated_data
        day = v.get("as_of") or timezone.localdate()
        qs = visible_indicators(request.user, Indicator.objects.select_related("agency"))
        if v.get("agency"):
            agency = lookup.resolve(v["agency"])
            qs = qs.filter(agency_id__in=agency_scope(agency, units=v["include_units"]))
        rows = [present(i, day) for i in qs.order_by("agency__name", "target_date", "id")]
        if v["off_track"] is not None:
            rows = [r for r in rows if r["off_track"] == v["off_track"]]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(IndicatorOut(page, many=True).data)

    @extend_schema(tags=["indicators"], summary="Report a value (Báo cáo số liệu chỉ tiêu)",
                   description="A new value (earlier ones are kept; the latest for a day wins). Checked against the "
                               "indicator's unit: a value in another unit, out of range, in the future or before "
                               "the baseline day is 400 with the field at fault. Administrators, tracking officers, "
                               "and focal points of the responsible agency.",
                   request=ValueIn, responses={201: ValueResult, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        indicator = visible_indicators(request.user, Indicator.objects.select_related("agency", "document")
                                       ).filter(pk=int(pk)).first()
        if indicator is None:
            raise access.not_found("Không tìm thấy chỉ tiêu.", "Indicator not found.")
        if not can_report_value(request.user, indicator):
            raise access.forbidden()
        body = ValueIn(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        value = service.record_value(indicator, v["value"], v["as_of"], reported_by=request.user, note=v["note"])
        return Response(ValueResult({"value": value, "indicator": present(indicator, timezone.localdate())}).data,
                        status=status.HTTP_201_CREATED)
