"""Agencies: search and read for everyone; create and edit for administrators (``policy.can_manage_agencies``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from dondoc.tracking import agencies, policy
from dondoc.tracking.models import Agency

from .. import access, lookup, present
from ..errors import ApiError
from ..serializers import AgencyDetail, AgencyIn, AgencyItem, AgencyQuery
from .base import ApiViewSet, errors


@extend_schema_view(
    list=extend_schema(summary="Agencies (Danh mục cơ quan)", parameters=[AgencyQuery],
                       responses={200: AgencyItem(many=True), **errors(400)}),
    retrieve=extend_schema(summary="An agency: names, hierarchy, succession (Chi tiết cơ quan)",
                           responses={200: AgencyDetail, **errors(404)}),
    create=extend_schema(summary="Add an agency (Thêm cơ quan)", request=AgencyIn,
                         responses={201: AgencyDetail, **errors(400, 401, 403, 409)}),
    partial_update=extend_schema(summary="Edit an agency (Sửa cơ quan)", request=AgencyIn(partial=True),
                                 responses={200: AgencyDetail, **errors(400, 401, 403, 404, 409)}),
)
class AgencyViewSet(ApiViewSet):
    queryset = Agency.objects.none()  # for the schema
    lookup_value_converter = "int"
    permission_classes = [access.ReadAnyoneWriteSignedIn]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request):
        query = AgencyQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        qs = Agency.objects.select_related("parent").order_by("name", "pk")
        if q := query.validated_data.get("q"):
            qs = qs.filter(pk__in=lookup.search_ids(q))
        if kind := query.validated_data.get("kind"):
            qs = qs.filter(kind=kind)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AgencyItem(page, many=True).data)

    def retrieve(self, request, pk=None):
        agency = Agency.objects.select_related("parent").filter(pk=int(pk)).first()
        if agency is None:
            raise access.not_found("Không tìm thấy cơ quan.", "Agency not found.")
        return Response(AgencyDetail(present.agency_detail(agency)).data)

    def _admin(self, request) -> None:
        if not policy.can_manage_agencies(request.user):
            raise access.forbidden()

    def create(self, request):
        self._admin(request)
        body = AgencyIn(data=request.data)
        body.is_valid(raise_exception=True)
        agency = _save(None, body.validated_data)
        return Response(AgencyDetail(present.agency_detail(agency)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        self._admin(request)
        agency = Agency.objects.filter(pk=int(pk)).first()
        if agency is None:
            raise access.not_found("Không tìm thấy cơ quan.", "Agency not found.")
        body = AgencyIn(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        agency = _save(agency, body.validated_data)
        return Response(AgencyDetail(present.agency_detail(agency)).data)


def _save(agency: Agency | None, data: dict) -> Agency:
    """Create (``agency`` None) or edit through ``tracking.agencies.save_agency``, which checks every rule and writes
    everything or nothing. A field left out keeps its value; ``aliases`` are added to the agency's names."""
    def kept(field: str):
        return data[field] if field in data else getattr(agency, field, None)

    parent = agency.parent if agency is not None else None
    if data.get("parent") is not None:
        parent = Agency.objects.filter(pk=data["parent"]).first()
        if parent is None:
            raise ApiError("unknown_agency", f"Không có cơ quan #{data['parent']}.", f"No agency #{data['parent']}.",
                           field="parent")
    elif "parent" in data:
        parent = None
    names = list(agency.aliases.values_list("alias", flat=True)) if agency is not None else []
    agency = agencies.save_agency(
        agency, name=kept("name") or "", short_name=kept("short_name") or "", parent=parent,
        valid_from=kept("valid_from"), valid_to=kept("valid_to"), kind=data.get("kind"),
        aliases=[*names, *data.get("aliases", [])])
    return Agency.objects.select_related("parent").get(pk=agency.pk)
