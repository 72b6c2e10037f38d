"""Quantitative targets that directives set ("100% dịch vụ công đủ điều kiện lên toàn trình", "tăng ít nhất 10
hạng") and the values agencies report against them. Reported values are append-only: a correction is a new value
(the latest one reported for a day wins), so what was reported, when and by whom is never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """Chỉ tiêu: a unit, a direction, a baseline (value and day) and a target (value and day), and the agency that
    answers for it."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("%")
        COUNT = "count", _("số lượng")
        RANK = "rank", _("thứ hạng")
        VND = "vnd", _("đồng")
        DAYS = "days", _("ngày")
        NUMBER = "number", _("số")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Tăng (càng cao càng tốt)")
        DECREASE = "decrease", _("Giảm (càng thấp càng tốt)")
        REACH = "reach", _("Đạt đúng mức")

    name = models.TextField(_("tên chỉ tiêu"))
    code = models.CharField(_("mã"), max_length=64, blank=True, help_text="a short key for imports, e.g. DVC-TT")
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=Unit.choices)
    direction = models.CharField(_("chiều"), max_length=16, choices=Direction.choices)
    baseline_value = models.DecimalField(_("giá trị gốc"), max_digits=24, decimal_places=4)
    baseline_date = models.DateField(_("ngày gốc"))
    target_value = models.DecimalField(_("giá trị mục tiêu"), max_digits=24, decimal_places=4)
    target_date = models.DateField(_("hạn đạt mục tiêu"))
    tolerance = models.DecimalField(
        _("dung sai"), max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="share of the way behind the expected progress still on track (default 0.10)",
    )
    agency = models.ForeignKey("tracking.Agency", verbose_name=_("cơ quan chịu trách nhiệm"),
                               on_delete=models.PROTECT, related_name="indicators")
    document = models.ForeignKey("tracking.Document", verbose_name=_("văn bản giao"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="indicators")
    task = models.ForeignKey("tracking.Task", verbose_name=_("nhiệm vụ"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="indicators")
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["agency_id", "target_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="indicator_code_once"),
        ]

    def __str__(self) -> str:
        return self.name[:80]


class IndicatorValue(models.Model):
    """One reported value: what it was on ``as_of``, reported by whom, through what (API, form, import)."""

    class Source(models.TextChoices):
        API = "api", _("API")
        FORM = "form", _("Biểu mẫu")
        IMPORT = "import", _("Nhập từ tệp")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=4)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reported_by_name = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.API)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        ordering = ["indicator_id", "as_of", "created_at", "id"]
        indexes = [models.Index(fields=["indicator", "as_of", "id"], name="indicator_value_day")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value} ({self.as_of})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("indicator values are append-only: report a new value instead of editing one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("indicator values are append-only: report a new value instead of deleting one")
