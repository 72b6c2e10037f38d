"""Form fields that read what officers type: agencies by any of their names, days as dd/mm/yyyy or ISO, and
deadlines as dates or Vietnamese phrases ("Quý III/2025", "trước ngày 30/6/2026") read by the extractor's own
deadline parser."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dondoc.api import lookup
from dondoc.api.errors import ApiError
from dondoc.extract.deadlines import parse_deadline
from dondoc.tracking.models import Agency

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
_DAY = re.compile(r"\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$|\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def say(error) -> str:
    """The message of a ``ServiceError``-like error in the page's language (Vietnamese unless English)."""
    return error.en if (get_language() or "vi").startswith("en") else error.vi


def parse_day(text: str) -> date | None:
    """A day written 30/06/2026, 30-6-2026, 30.6.2026 or 2026-06-30; None when it is none of these."""
    m = _DAY.match(text or "")
    if not m:
        return None
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


class DayField(forms.DateField):
    """A day: the browser's date picker sends ISO, a person may type dd/mm/yyyy."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = DAY_FORMATS
    default_error_messages = {"invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2026.")}


class DeadlineField(forms.CharField):
    """Thời hạn: a day, or a phrase the deadline parser understands. Cleans to ``(due, text)``; empty means no
    deadline. A phrase that fixes no day ("định kỳ hằng quý", "thường xuyên") is kept as text without a due day.
    ``doc_date`` (set by the form) gives the year a phrase leaves out."""

    default_error_messages = {
        "unknown": _("Không hiểu thời hạn «%(text)s». Nhập ngày (30/06/2026) hoặc cụm như «Quý III/2025», "
                     "«trước ngày 15/7/2026», «tháng 9/2026»."),
    }

    def __init__(self, *args, doc_date: date | None = None, **kwargs) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.doc_date = doc_date

    def clean(self, value):
        text = " ".join(super().clean(value).split())
        if not text:
            return None, ""
        day = parse_day(text)
        if day is not None:
            return day, text
        if _DAY.match(text) or re.fullmatch(r"[\d/.\- ]+", text):
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"text": text})
        match = parse_deadline(text, doc_date=self.doc_date, doc_year=self.doc_date.year if self.doc_date else None)
        if match is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"text": text})
        return match.date, text


class AgencyField(forms.CharField):
    """One agency by id or any registered name or alias (case and diacritics forgiven); an unknown name is refused
    with the closest registered names."""

    widget = forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"})

    def clean(self, value) -> Agency | None:
        text = " ".join(super().clean(value).split())
        if not text:
            return None
        try:
            return lookup.resolve(text)
        except ApiError as error:
            raise ValidationError(say(error), code="unknown_agency") from None


class AgencyListField(forms.CharField):
    """Several agencies separated by ";" (or new lines): chủ trì, phối hợp."""

    widget = forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"})

    def clean(self, value) -> list[Agency]:
        text = super().clean(value)
        names = [" ".join(n.split()) for n in re.split(r"[;\n]", text or "")]
        out, errors = [], []
        for name in filter(None, names):
            try:
                out.append(lookup.resolve(name))
            except ApiError as error:
                errors.append(say(error))
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(out))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
