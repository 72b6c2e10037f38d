"""Agencies: search and read for everyone; create and edit for administrators (``policy.can_manage_agencies``)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from dondoc.tracking import policy, services
from dondoc.tracking.models import Agency, AgencyAlias
from dondoc.tracking.text_keys import name_key

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
        agency = _save(Agency(source=Agency.Source.MANUAL), body.validated_data)
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


def _taken(name: str, agency: Agency, field: str) -> None:
    """Refuse a name that another agency already answers to (names resolve documents' agencies: one owner each)."""
    owner = AgencyAlias.objects.filter(key=name_key(name)).exclude(agency_id=agency.pk).select_related("agency")
    if (alias := owner.first()) is not None:
        raise ApiError("name_taken", f"Tên «{name}» đã thuộc về cơ quan «{alias.agency.name}» (#{alias.agency_id}).",
                       f"The name «{name}» already belongs to «{alias.agency.name}» (#{alias.agency_id}).",
                       field=field, status=409, extra={"existing": alias.agency_id})


@transaction.atomic
def _save(agency: Agency, data: dict) -> Agency:
    """Check everything, then write the agency, its new name as an alias and the extra aliases, or nothing."""
    if "name" in data:
        data["name"] = " ".join(data["name"].split())
        _taken(data["name"], agency, "name")
    for alias in data.get("aliases", []):
        _taken(alias, agency, "aliases")
    if data.get("parent") is not None:
        parent = Agency.objects.filter(pk=data["parent"]).first()
        if parent is None:
            raise ApiError("unknown_agency", f"Không có cơ quan #{data['parent']}.", f"No agency #{data['parent']}.",
                           field="parent")
        ancestor = parent
        while ancestor is not None:
            if agency.pk is not None and ancestor.pk == agency.pk:
                raise ApiError("parent_cycle", "Cơ quan cấp trên không được là chính nó hoặc đơn vị cấp dưới của nó.",
                               "The parent cannot be the agency itself or one of its units.", field="parent")
            ancestor = ancestor.parent
        data["parent"] = parent
    valid_from = data.get("valid_from", agency.valid_from)
    valid_to = data.get("valid_to", agency.valid_to)
    if valid_from and valid_to and valid_from > valid_to:
        raise ApiError("bad_period", "«valid_to» phải sau hoặc bằng «valid_from».",
                       "«valid_to» must not be before «valid_from».", field="valid_to")
    for attr in ("name", "short_name", "kind", "parent", "valid_from", "valid_to"):
        if attr in data:
            setattr(agency, attr, data[attr])
    agency.save()
    for name in (agency.name, *data.get("aliases", [])):
        services.add_alias(agency, name)
    return Agency.objects.select_related("parent").get(pk=agency.pk)
