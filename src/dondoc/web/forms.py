"""The pages' forms. Each one only reads and checks what was typed; the rules of the domain (an extension must be
later than the deadline, a report cannot be dated in the future...) stay in ``tracking.services``, whose refusals
are shown next to the field they concern (``apply_service_error``)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dondoc.api.uploads import DOCUMENT_EXTENSIONS
from dondoc.kpis.periods import PeriodError, parse_period
from dondoc.tracking.models import Profile
from dondoc.tracking.states import Bucket

from .fields import AgencyField, AgencyListField, DayField, DeadlineField, MultipleFileField, say

LIST_BUCKETS = [b for b in Bucket if b not in (Bucket.DRAFT, Bucket.DISCARDED)]
SORT_CHOICES = [("due", _("Hạn gần nhất trước")), ("-due", _("Hạn xa nhất trước")),
                ("-created", _("Mới giao trước")), ("created", _("Giao sớm nhất trước"))]


def apply_service_error(form: forms.Form, error, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to its field (``fields`` maps the service's field names to the form's)."""
    name = (fields or {}).get(error.field, error.field)
    form.add_error(name if name in form.fields else None, say(error))


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200,
                        help_text=_("Không cần gõ dấu: «bo y te» tìm được «Bộ Y tế»."))
    agency = AgencyField(label=_("Cơ quan"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), required=False,
                             choices=[("", _("Chủ trì hoặc phối hợp")), ("lead", pgettext_lazy("web", "Chủ trì")),
                                      ("support", pgettext_lazy("web", "Phối hợp"))])
    exact = forms.BooleanField(label=_("Chỉ cơ quan này, không gồm đơn vị trực thuộc"), required=False)
    state = forms.MultipleChoiceField(label=_("Tình trạng"), required=False, choices=[(b.value, b.label)
                                                                                       for b in LIST_BUCKETS],
                                      widget=forms.CheckboxSelectMultiple)
    due_from = DayField(label=_("Hạn từ ngày"), required=False)
    due_to = DayField(label=_("đến ngày"), required=False)
    document = forms.IntegerField(label=_("Văn bản (mã số)"), required=False, min_value=1,
                                  widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES)

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class PeriodField(forms.CharField):
    """Kỳ báo cáo: "Quý III/2025", "tháng 7/2025", "2025", "2025-Q3"... (``kpis.periods``)."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as error:
            raise forms.ValidationError(say(error)) from None


class DashboardForm(forms.Form):
    period = PeriodField(label=_("Kỳ"), required=False, max_length=80,
                         help_text=_("Ví dụ: Quý III/2026, tháng 7/2026, năm 2026, 6 tháng đầu năm 2026."))
    agency = AgencyField(label=_("Cơ quan"), required=False)
    exact = forms.BooleanField(label=_("Không gồm đơn vị trực thuộc"), required=False)
    document = forms.IntegerField(label=_("Văn bản (mã số)"), required=False, min_value=1)


class ReportForm(forms.Form):
    FORMATS = [("docx", _("Word (.docx)")), ("xlsx", _("Excel (.xlsx)")), ("md", _("Markdown (.md)"))]
    period = PeriodField(label=_("Kỳ báo cáo"), max_length=80,
                         help_text=_("Ví dụ: Quý III/2026, tháng 7/2026, năm 2026."),
                         error_messages={"required": _("Chọn kỳ báo cáo.")})
    agency = AgencyField(label=_("Cơ quan (để trống: tất cả)"), required=False)
    exact = forms.BooleanField(label=_("Không gồm đơn vị trực thuộc"), required=False)
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS, initial="docx", widget=forms.RadioSelect)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp văn bản"), required=False, error_messages={"empty": _("Tệp rỗng.")},
                           help_text=_("Nhận các tệp: %(types)s.") % {"types": " ".join(DOCUMENT_EXTENSIONS)})
    text = forms.CharField(label=_("Hoặc dán nội dung văn bản"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: giới hạn là %(mb)s MB.") % {
                "mb": f"{settings.MAX_UPLOAD_BYTES / 1024 / 1024:.3g}"})
        if Path(upload.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(_("Không hỗ trợ loại tệp «%(name)s»; chỉ nhận: %(types)s.") % {
                "name": Path(upload.name).suffix or upload.name, "types": " ".join(DOCUMENT_EXTENSIONS)})
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp rỗng."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("Chọn một tệp hoặc dán nội dung văn bản."))
        return data


class TaskEditForm(forms.Form):
    content = forms.CharField(label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("Nội dung nhiệm vụ không được để trống.")})
    lead = AgencyListField(label=pgettext_lazy("web", "Chủ trì"), required=False,
                           help_text=_("Nhiều cơ quan cách nhau bằng dấu chấm phẩy (;)."))
    support = AgencyListField(label=pgettext_lazy("web", "Phối hợp"), required=False)
    deadline = DeadlineField(label=_("Thời hạn"),
                             help_text=_("Ngày (30/06/2026) hoặc cụm như «Quý III/2026»."),
                             widget=forms.TextInput(attrs={"data-picker-label": _("Chọn ngày trên lịch")}))

    def __init__(self, *args, doc_date=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].doc_date = doc_date


class AddTaskForm(TaskEditForm):
    source_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    source_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class SplitForm(forms.Form):
    parts = forms.CharField(label=_("Các phần (mỗi dòng một nhiệm vụ)"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_parts(self):
        parts = [" ".join(p.split()) for p in self.cleaned_data["parts"].splitlines()]
        parts = [p for p in parts if p]
        if len(parts) < 2:
            raise forms.ValidationError(_("Cần ít nhất hai dòng để tách."))
        return parts


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Nội dung báo cáo không được để trống.")})
    percent = forms.IntegerField(label=_("Tỷ lệ hoàn thành (%)"), required=False, min_value=0, max_value=100,
                                 error_messages={"min_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
                                                 "max_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
                                                 "invalid": _("Nhập một số từ 0 đến 100.")})
    on = DayField(label=_("Ngày báo cáo (để trống: hôm nay)"), required=False)
    files = MultipleFileField(label=_("Tệp minh chứng"), required=False)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for upload in files:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Tệp «%(name)s» quá lớn.") % {"name": upload.name})
        return files


class ExtensionRequestForm(forms.Form):
    due = DayField(label=_("Đề nghị gia hạn đến ngày"), error_messages={"required": _("Chọn ngày đề nghị gia hạn.")})
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu lý do gia hạn.")})


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect,
                                 choices=[("approve", pgettext_lazy("web", "Đồng ý gia hạn")),
                                          ("refuse", _("Không đồng ý"))],
                                 error_messages={"required": _("Chọn đồng ý hoặc không đồng ý.")})
    due = DayField(label=_("Gia hạn đến ngày (để trống: như đề nghị)"), required=False)
    reason = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to = AgencyListField(label=_("Chuyển cho cơ quan"), error_messages={"required": _("Cần chọn cơ quan nhận.")})
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu lý do chuyển.")})
    decision = forms.CharField(label=_("Văn bản quyết định"), required=False, max_length=255)
    due = DayField(label=_("Thời hạn mới (để trống: giữ nguyên)"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không tiếp tục thực hiện"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu lý do.")})
    decision = forms.CharField(label=_("Văn bản đồng ý của lãnh đạo"), required=False, max_length=255)


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = DayField(label=_("Ngày hoàn thành (để trống: hôm nay)"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu lý do.")})


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ lọc"), max_length=80,
                           error_messages={"required": _("Đặt tên cho bộ lọc.")})
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("(không có vai trò)")), *Profile.Role.choices],
                             required=False)
    agency = AgencyField(label=_("Cơ quan"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("role") == Profile.Role.FOCAL_POINT and not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", _("Đầu mối đơn vị cần có cơ quan."))
        return data


# ------------------------------------------------------------------------------------------------ administration

CHECK = "web/_check_field.html"  # a check box before its label


class AgencySearchForm(forms.Form):
    STATES = [("", _("Tất cả")), ("current", _("Đang hoạt động")), ("ended", _("Đã hết hiệu lực"))]
    q = forms.CharField(label=_("Tìm theo tên, tên viết tắt, tên gọi khác"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(label=_("Hiệu lực"), required=False, choices=STATES)
    top = forms.BooleanField(label=_("Chỉ cơ quan cấp cao nhất"), required=False, template_name=CHECK)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AgencyForm(forms.Form):
    """What an administrator types about an agency; the rules (a name has one owner, no parent cycle, a validity
    that ends after it starts) are ``tracking.agencies.save_agency``'s."""

    name = forms.CharField(label=_("Tên cơ quan"), max_length=255,
                           error_messages={"required": _("Cần nhập tên cơ quan.")})
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=64, required=False,
                                 help_text=_("Ví dụ: BTC, UBND tỉnh."))
    parent = AgencyField(label=_("Cơ quan cấp trên"), required=False,
                         help_text=_("Để trống nếu là cơ quan cấp cao nhất."))
    aliases = forms.CharField(label=_("Tên gọi khác"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Mỗi dòng một tên mà văn bản có thể dùng. Khi đổi tên, tên cũ được giữ "
                                          "lại để văn bản cũ vẫn nhận ra cơ quan."))
    valid_from = DayField(label=_("Hiệu lực từ ngày"), required=False)
    valid_to = DayField(label=_("Hiệu lực đến ngày"), required=False,
                        help_text=_("Để trống nếu cơ quan còn hoạt động."))

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]


class SuccessionForm(forms.Form):
    predecessor = AgencyField(label=_("Cơ quan được sáp nhập, hợp nhất hoặc giải thể"),
                              error_messages={"required": _("Chọn cơ quan được sáp nhập.")})
    successor = AgencyField(label=_("Cơ quan kế thừa"), error_messages={"required": _("Chọn cơ quan kế thừa.")})
    effective_on = DayField(label=_("Có hiệu lực từ ngày"),
                            error_messages={"required": _("Chọn ngày sáp nhập có hiệu lực.")},
                            help_text=_("Hôm nay hoặc một ngày đã qua: nhiệm vụ được chuyển ngay khi ghi nhận."))
    primary = forms.BooleanField(label=_("Cơ quan kế thừa nhận các nhiệm vụ đang mở"), required=False, initial=True,
                                 help_text=_("Bỏ chọn khi chỉ một phần công việc chuyển sang cơ quan này."),
                                 template_name=CHECK)


class WebhookForm(forms.Form):
    """An address that receives reminders as signed JSON (``reminders.models.WebhookEndpoint``)."""

    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=128, required=False)
    url = forms.URLField(label=_("Địa chỉ nhận (URL)"), max_length=500, assume_scheme="https",
                         error_messages={"required": _("Cần nhập địa chỉ."),
                                         "invalid": _("Địa chỉ không hợp lệ; ví dụ https://he-thong.gov.vn/nhan")})
    secret = forms.CharField(label=_("Khóa ký (HMAC-SHA256)"), max_length=256, required=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    agency = AgencyField(label=_("Chỉ nhắc việc của cơ quan (để trống: tất cả)"), required=False)
    active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True, template_name=CHECK)

    def __init__(self, *args, has_secret: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        self.fields["secret"].help_text = (_("Để trống để giữ khóa hiện tại.") if has_secret
                                           else _("Bên nhận dùng khóa này để kiểm tra chữ ký X-Dondoc-Signature."))

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Chỉ nhận địa chỉ http:// hoặc https://."))
        return url

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if not secret and not self.has_secret:
            raise forms.ValidationError(_("Cần khóa ký."))
        return secret
