"""Indicators in the admin: an indicator checked like ``indicators.create_indicator`` does, values entered in a
form (read the Vietnamese way, checked against the unit), never edited nor deleted once reported."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from dondoc.tracking.services import ServiceError

from . import indicators
from .models import Indicator, IndicatorValue

DAY_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]  # how Vietnamese offices write a day, and ISO


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DAY_FORMATS, widget=forms.DateInput(format="%d/%m/%Y"),
                           help_text="dd/mm/yyyy")


def _message(error) -> str:
    return f"{error.vi} / {error.en}"


class IndicatorForm(forms.ModelForm):
    baseline_date = _day_field("Ngày gốc / baseline day")
    target_date = _day_field("Hạn đạt mục tiêu / target day")

    class Meta:
        model = Indicator
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(indicators.check_indicator(
                name=data.get("name", ""), unit=data.get("unit", ""), direction=data.get("direction", ""),
                baseline_value=data.get("baseline_value"), baseline_date=data.get("baseline_date"),
                target_value=data.get("target_value"), target_date=data.get("target_date"),
                code=data.get("code", ""), tolerance=data.get("tolerance"), exclude_pk=self.instance.pk))
        except ServiceError as error:
            self.add_error(error.field if error.field in self.fields else None, _message(error))
        return data


class IndicatorValueForm(forms.ModelForm):
    value = forms.CharField(label="Giá trị / value", help_text="45; 45%; 1.500; 12,5; 1,5 tỷ đồng")
    as_of = _day_field("Số liệu tính đến ngày / as of")

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "value", "as_of", "note"]

    def clean(self):
        data = super().clean()
        indicator, as_of = data.get("indicator"), data.get("as_of")
        if indicator is None:
            return data
        try:
            data["value"] = indicators.parse_value(data.get("value"), indicator.unit)
        except indicators.ValueProblem as problem:
            self.add_error("value", _message(problem))
        if as_of is not None:
            try:
                indicators.check_day(indicator, as_of)
            except indicators.ValueProblem as problem:
                self.add_error("as_of", _message(problem))
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("name", "code", "agency", "unit", "direction", "target_value", "target_date", "status")
    list_filter = ("unit", "direction")
    search_fields = ("name", "code")
    raw_id_fields = ("agency", "document", "task")

    @admin.display(description="Tiến độ / progress")
    def status(self, obj: Indicator) -> str:
        a = indicators.progress(obj)
        return ("⚠ " if a.off_track else "") + a.message[0]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    form = IndicatorValueForm
    list_display = ("indicator", "value", "as_of", "source", "reported_by_name", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("indicator",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.reported_by, obj.reported_by_name = request.user, request.user.get_username()
        obj.source = IndicatorValue.Source.FORM
        super().save_model(request, obj, form, change)
