"""Serializer building blocks shared by the endpoints: strict input (unknown fields refused) and agency references."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .errors import bilingual


class StrictMixin:
    """Refuse fields the serializer does not know (a typo like ``lead_agency`` would otherwise be ignored silently
    and the request would "succeed" without doing what was meant). Read-only fields count as unknown in input."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(k) for k in data if k not in known)
            if unknown:
                raise serializers.ValidationError({
                    name: [serializers.ErrorDetail(bilingual(
                        "Trường này không được hỗ trợ ở đây.", "Unknown field."), code="unknown_field")]
                    for name in unknown
                })
        return super().to_internal_value(data)


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class Empty(StrictSerializer):
    """A request with no body fields (an empty JSON object, or no body at all)."""


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}],
                      "description": "agency id, or a registered name or alias"})
class AgencyRefField(serializers.Field):
    """An agency given by id (integer) or by a name or alias (string); ``services`` resolves it and refuses an
    unknown one with the closest registered names."""

    default_error_messages = {"invalid": bilingual("Cần mã số (id) hoặc tên cơ quan.", "An agency id or name.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, str):
            data = " ".join(data.split())
            if not data:
                self.fail("invalid")
            if data.isdigit():
                return int(data)
        return data

    def to_representation(self, value):
        return value


class AgencyRefList(serializers.ListField):
    child = AgencyRefField()


class BriefAgency(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


__all__ = ["AgencyRefField", "AgencyRefList", "BriefAgency", "Empty", "OpenApiTypes", "StrictMixin",
           "StrictSerializer"]
