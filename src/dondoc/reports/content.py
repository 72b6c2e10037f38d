"""What a briefing report (báo cáo giao ban) says, independent of its file format.

``assemble`` fills a ``BriefingReport`` from KPIs and indicators; the builders (``docx``, ``xlsx``, ``markdown``,
``pdf``) only lay it out, so every format shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class AgencyResult:
    """One row of the results table: an agency's tasks in the period, by bucket."""

    agency: str
    assigned: int
    done_on_time: int
    done_late: int
    in_progress: int
    overdue: int
    without_deadline: int
    on_time_rate: float | None  # 0..1; None when nothing was due
    average_days_late: float | None = None
    extensions: int = 0


@dataclass(frozen=True)
class OverdueTask:
    task_id: int
    content: str
    lead: str
    due: date
    days_overdue: int
    document: str  # "1234/BTC-CNTT"


@dataclass(frozen=True)
class IndicatorStatus:
    name: str
    unit: str
    agency: str
    baseline: float | None
    target: float
    target_date: date | None
    latest: float | None
    latest_on: date | None
    progress: float | None  # share of the way from baseline to target, 0..1
    expected: float | None  # where it should be by now, 0..1
    off_track: bool


@dataclass(frozen=True)
class Note:
    """Something the reader must know about the figures (provisional, no tasks in the period, an agency without
    tasks): the documents print the Vietnamese; the command and the API also give the English."""

    code: str
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


@dataclass(frozen=True)
class Signature:
    """Người ký: "KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG / Nguyễn Văn A"."""

    authority: str = ""  # "KT. CHÁNH VĂN PHÒNG"
    title: str = ""  # "PHÓ CHÁNH VĂN PHÒNG"
    name: str = ""


@dataclass(frozen=True)
class BriefingReport:
    period_label: str  # "Quý III năm 2025"
    period_start: date
    period_end: date
    as_of: date
    issuer: str = "VĂN PHÒNG"  # cơ quan ban hành
    issuer_parent: str = ""  # cơ quan chủ quản, above the issuer
    number: str = ""  # "Số: .../BC-VP" (left blank for the clerk to fill in)
    place: str = "Hà Nội"
    signed_on: date | None = None
    scope: str = ""  # "Bộ Tài chính và các đơn vị trực thuộc", or empty for all agencies
    results: list[AgencyResult] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    indicators: list[IndicatorStatus] = field(default_factory=list)
    commended: list[str] = field(default_factory=list)
    criticised: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=lambda: ["Như trên;", "Lưu: VT."])
    signature: Signature = field(default_factory=Signature)
    formula_version: str = ""
    notes: list[Note] = field(default_factory=list)
    # all agencies together, each task once (a task two agencies lead is one row in each, once here); when None,
    # the sum of ``results``
    total: AgencyResult | None = None

    @property
    def totals(self) -> AgencyResult:
        """All agencies together; the on-time rate over the sums (not an average of rates)."""
        if self.total is not None:
            return self.total
        fields = ("assigned", "done_on_time", "done_late", "in_progress", "overdue", "without_deadline", "extensions")
        sums = {f: sum(getattr(r, f) for r in self.results) for f in fields}
        judged = sums["done_on_time"] + sums["done_late"] + sums["overdue"]
        return AgencyResult(agency="Tổng cộng", on_time_rate=sums["done_on_time"] / judged if judged else None,
                            **sums)

    @property
    def title(self) -> str:
        return f"Kết quả thực hiện nhiệm vụ được giao {self.period_label}"


def percent(rate: float | None) -> str:
    """0.8125 → "81,3%" (Vietnamese decimal comma); None → "—"."""
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


def long_date(day: date, place: str = "") -> str:
    """"Hà Nội, ngày 05 tháng 12 năm 2026" — day and month of one digit take a leading zero up to 9 and 2
    respectively, as Nghị định 30/2020/NĐ-CP asks (ngày 05, tháng 01 and tháng 02)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text
