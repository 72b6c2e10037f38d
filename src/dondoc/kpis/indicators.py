"""Indicators (chỉ tiêu định lượng): progress against the target, the off-track flag, values reported by API, form
or CSV/XLSX import.

Progress and the off-track rule
-------------------------------
* Progress is the share of the way from the baseline to the target that the latest value reported on or before
  the day has covered: (value − baseline) / (target − baseline) for ``increase`` and ``decrease`` (0 at the
  baseline, 1 at the target, above 1 beyond it, negative when it went the wrong way). For ``reach`` (a level to
  hit, where overshooting is as wrong as falling short: "giữ tỷ lệ ... ở mức 4%") it is
  1 − |target − value| / |target − baseline|.
* Expected progress on a day is linear in time: (day − baseline day) / (target day − baseline day), between 0
  and 1.
* Status on a day: ``achieved`` when the value has reached the target (increase: ≥ target; decrease: ≤ target;
  reach: = target); otherwise ``missed`` after the target day; otherwise ``behind`` when progress is more than the
  tolerance (default 0.10, i.e. ten percentage points of the way; an indicator may set its own) behind the
  expected progress; otherwise ``on_track``. With no value reported yet it is ``no_data``.
* ``off_track`` is true for ``missed`` and ``behind``, and for ``no_data`` once the expected progress exceeds the
  tolerance: silence is not progress. Progress is compared with what was expected by the day of the assessment,
  not by the day of the latest value, so an agency that stops reporting falls behind.

Values
------
Reported values are checked against the indicator's unit: a percentage is 0–100; a count is a whole number ≥ 0;
a rank a whole number ≥ 1; an amount in đồng and a number of days ≥ 0. Text is read the Vietnamese way: a comma
is the decimal mark and a dot followed by groups of three digits separates thousands ("1.500" is one thousand five
hundred, "12,5" is twelve and a half); "nghìn", "triệu", "tỷ" multiply amounts. A unit written with the value
must be the indicator's ("45%" for a count is refused, not read as 45). Every refusal says what and why in
Vietnamese and English; an import saves nothing unless every row is right, and lists every wrong row with its
number and column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from dondoc.tracking.services import ServiceError

from .models import Indicator, IndicatorValue

DEFAULT_TOLERANCE = Decimal("0.10")
UNIT_VI = {"percent": "phần trăm (%)", "count": "số lượng", "rank": "thứ hạng", "vnd": "đồng", "days": "ngày",
           "number": "số"}
UNIT_EN = {"percent": "percent", "count": "a count", "rank": "a rank", "vnd": "đồng (VND)", "days": "days",
           "number": "a number"}


class ValueProblem(ValueError):
    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code, self.vi, self.en = code, vi, en


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").lower().split())


# ------------------------------------------------------------------------------------------------ values

# unit words written after a number, folded (no accents), longest first
_MARKERS = [("%", "percent"), ("phan tram", "percent"), ("dong", "vnd"), ("vnd", "vnd"), ("d", "vnd"),
            ("ngay", "days"), ("days", "days"), ("hang", "rank"), ("thu hang", "rank")]
_SCALES = {"nghin": 1000, "ngan": 1000, "trieu": 10**6, "ty": 10**9}
_NUMBER = re.compile(r"[+-]?\d[\d., ]*")


def parse_value(raw: Any, unit: str, *, percent_cell: bool = False) -> Decimal:
    """The value ``raw`` (text, or a number from a spreadsheet cell) in ``unit``; ``ValueProblem`` when it is not
    a number, is written in another unit, or is outside what the unit allows. ``percent_cell``: the spreadsheet
    cell was formatted as a percentage (it holds 0.45 for 45 %)."""
    shown = "" if raw is None else str(raw).strip()
    if raw is None or shown == "":
        raise ValueProblem("missing_value", "Thiếu giá trị.", "The value is missing.")
    if isinstance(raw, bool):
        raise ValueProblem("not_a_number", f"«{shown}» không phải là số.", f"«{shown}» is not a number.")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(repr(round(raw, 10))) if isinstance(raw, float) else Decimal(raw)
        if percent_cell:
            _same_unit("percent", unit, shown + " (ô định dạng %)", shown + " (a percent-formatted cell)")
            value *= 100
    else:
        value = _parse_text(shown, unit)
    return check_value(value, unit, shown=shown)


def _parse_text(shown: str, unit: str) -> Decimal:
    text = _fold(shown)
    scale = 1
    for word, factor in _SCALES.items():
        if re.search(rf"\b{word}\b", text):
            scale, text = factor, re.sub(rf"\b{word}\b", " ", text)
    text = text.strip()
    written = None
    for marker, marker_unit in sorted(_MARKERS, key=lambda m: -len(m[0])):
        if text.endswith(marker) and (marker == "%" or not text[:-len(marker)].rstrip()[-1:].isalpha()):
            written, text = marker_unit, text[: -len(marker)].strip()
            break
    if not _NUMBER.fullmatch(text):
        raise ValueProblem("not_a_number", f"«{shown}» không phải là số.", f"«{shown}» is not a number.")
    if written:
        _same_unit(written, unit, shown, shown)
    if scale != 1 and unit not in ("vnd", "number"):
        raise ValueProblem("wrong_unit", f"«{shown}» là số tiền nhưng chỉ tiêu tính bằng {UNIT_VI[unit]}.",
                           f"«{shown}» is an amount of money but the indicator is measured in {UNIT_EN[unit]}.")
    number = text.replace(" ", "")
    bad = ValueProblem("not_a_number", f"«{shown}» không phải là số.", f"«{shown}» is not a number.")
    if "." in number and "," in number:  # the later one is the decimal mark
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        number = number.replace("." if decimal_mark == "," else ",", "").replace(decimal_mark, ".")
    elif "," in number:  # Vietnamese decimal comma; several commas can only group thousands
        if number.count(",") == 1:
            number = number.replace(",", ".")
        elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", number):
            number = number.replace(",", "")
        else:
            raise bad
    elif "." in number:  # a dot before groups of three digits groups thousands (1.500 = 1500)
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", number):
            number = number.replace(".", "")
        elif number.count(".") > 1:
            raise bad
    try:
        return Decimal(number) * scale
    except InvalidOperation:
        raise bad from None


def _same_unit(written: str, unit: str, shown_vi: str, shown_en: str) -> None:
    if written != unit and unit != "number":
        raise ValueProblem(
            "wrong_unit",
            f"«{shown_vi}» là {UNIT_VI[written]} nhưng chỉ tiêu tính bằng {UNIT_VI[unit]}.",
            f"«{shown_en}» is in {UNIT_EN[written]} but the indicator is measured in {UNIT_EN[unit]}.",
        )


def check_value(value: Decimal, unit: str, *, shown: str | None = None) -> Decimal:
    """``value`` if the unit allows it, else ``ValueProblem``."""
    shown = shown if shown is not None else str(value)
    if not value.is_finite():
        raise ValueProblem("not_a_number", f"«{shown}» không phải là số.", f"«{shown}» is not a number.")
    if abs(value) >= Decimal(10) ** 20:
        raise ValueProblem("too_large", f"«{shown}» quá lớn.", f"«{shown}» is too large.")
    if value != value.quantize(Decimal("0.0001")):
        raise ValueProblem("too_precise", f"«{shown}»: tối đa 4 chữ số thập phân.",
                           f"«{shown}»: at most 4 decimal places.")
    whole = value == value.to_integral_value()
    if unit == "percent" and not 0 <= value <= 100:
        raise ValueProblem("percent_out_of_range", f"Tỷ lệ phần trăm phải từ 0 đến 100; «{shown}» nằm ngoài.",
                           f"A percentage must be between 0 and 100; «{shown}» is not.")
    if unit == "count" and not (whole and value >= 0):
        raise ValueProblem("bad_count", f"Số lượng phải là số nguyên không âm; «{shown}» không phải.",
                           f"A count must be a whole number, 0 or more; «{shown}» is not.")
    if unit == "rank" and not (whole and value >= 1):
        raise ValueProblem("bad_rank", f"Thứ hạng phải là số nguyên từ 1 trở lên; «{shown}» không phải.",
                           f"A rank must be a whole number, 1 or more; «{shown}» is not.")
    if unit in ("vnd", "days") and value < 0:
        raise ValueProblem("negative", f"{UNIT_VI[unit].capitalize()} không được âm; «{shown}».",
                           f"An amount of {UNIT_EN[unit]} cannot be negative; «{shown}».")
    return value


def parse_day(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = "" if raw is None else str(raw).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueProblem("bad_date", f"Ngày «{text}» không tồn tại.", f"The date «{text}» does not exist.") from None
    if not text:
        raise ValueProblem("missing_date", "Thiếu ngày của số liệu.", "The date of the value is missing.")
    raise ValueProblem("bad_date", f"«{text}» không phải là ngày (dùng dd/mm/yyyy hoặc yyyy-mm-dd).",
                       f"«{text}» is not a date (use dd/mm/yyyy or yyyy-mm-dd).")


# ------------------------------------------------------------------------------------------------ writes


def _error(problem: ValueProblem, field_name: str) -> ServiceError:
    return ServiceError(problem.code, problem.vi, problem.en, field=field_name)


def check_indicator(*, name: str, unit: str, direction: str, baseline_value: Any, baseline_date: date,
                    target_value: Any, target_date: date, code: str = "", tolerance: Any = None,
                    exclude_pk: int | None = None) -> dict[str, Any]:
    """The indicator's fields cleaned (values as ``Decimal``), or ``ServiceError`` naming the field at fault."""
    if not " ".join(str(name).split()):
        raise ServiceError("empty_name", "Tên chỉ tiêu không được để trống.", "The indicator needs a name.",
                           field="name")
    if unit not in Indicator.Unit.values:
        raise ServiceError("bad_unit", f"Đơn vị «{unit}» không hợp lệ; dùng: {', '.join(Indicator.Unit.values)}.",
                           f"Unknown unit «{unit}»; use one of: {', '.join(Indicator.Unit.values)}.", field="unit")
    if direction not in Indicator.Direction.values:
        raise ServiceError("bad_direction", f"Chiều «{direction}» không hợp lệ; dùng: increase, decrease, reach.",
                           f"Unknown direction «{direction}»; use increase, decrease or reach.", field="direction")
    values = {}
    for field_name, raw in (("baseline_value", baseline_value), ("target_value", target_value)):
        try:
            values[field_name] = parse_value(raw, unit)
        except ValueProblem as problem:
            raise _error(problem, field_name) from None
    base, target = values["baseline_value"], values["target_value"]
    if target_date <= baseline_date:
        raise ServiceError("target_before_baseline", "Hạn đạt mục tiêu phải sau ngày gốc.",
                           "The target day must be after the baseline day.", field="target_date")
    wrong_way = {"increase": target <= base, "decrease": target >= base, "reach": target == base}[direction]
    if wrong_way:
        raise ServiceError(
            "target_direction",
            {"increase": "Chỉ tiêu tăng cần mục tiêu lớn hơn giá trị gốc.",
             "decrease": "Chỉ tiêu giảm cần mục tiêu nhỏ hơn giá trị gốc.",
             "reach": "Mục tiêu phải khác giá trị gốc."}[direction],
            {"increase": "An increasing indicator needs a target above its baseline.",
             "decrease": "A decreasing indicator needs a target below its baseline.",
             "reach": "The target must differ from the baseline."}[direction], field="target_value")
    if tolerance is not None and not 0 <= Decimal(str(tolerance)) < 1:
        raise ServiceError("bad_tolerance", "Dung sai phải từ 0 đến dưới 1 (ví dụ 0,1 = 10%).",
                           "The tolerance must be from 0 to below 1 (e.g. 0.1 = 10 %).", field="tolerance")
    code = (code or "").strip()
    if code and Indicator.objects.filter(code__iexact=code).exclude(pk=exclude_pk).exists():
        raise ServiceError("code_taken", f"Mã «{code}» đã được dùng.", f"The code «{code}» is taken.", field="code")
    return {"name": " ".join(str(name).split()), "code": code, "unit": unit, "direction": direction,
            "baseline_value": base, "baseline_date": baseline_date, "target_value": target, "target_date": target_date,
            "tolerance": None if tolerance is None else Decimal(str(tolerance))}


@transaction.atomic
def create_indicator(*, name: str, unit: str, direction: str, baseline_value: Any, baseline_date: date,
                     target_value: Any, target_date: date, agency, code: str = "", document=None, task=None,
                     tolerance: Any = None, note: str = "") -> Indicator:
    """A new indicator, or ``ServiceError`` naming the field at fault."""
    fields = check_indicator(name=name, unit=unit, direction=direction, baseline_value=baseline_value,
                             baseline_date=baseline_date, target_value=target_value, target_date=target_date,
                             code=code, tolerance=tolerance)
    return Indicator.objects.create(agency=agency, document=document, task=task, note=note, **fields)


def check_day(indicator: Indicator, as_of: date) -> None:
    """A value's day must be neither in the future nor before the baseline day (``ValueProblem``)."""
    if as_of > timezone.localdate():
        raise ValueProblem("future_date", f"Ngày số liệu {as_of:%d/%m/%Y} ở tương lai.",
                           f"The value's date {as_of.isoformat()} is in the future.")
    if as_of < indicator.baseline_date:
        raise ValueProblem("before_baseline",
                           f"Ngày số liệu {as_of:%d/%m/%Y} trước ngày gốc {indicator.baseline_date:%d/%m/%Y}.",
                           f"The value's date {as_of.isoformat()} is before the baseline day "
                           f"{indicator.baseline_date.isoformat()}.")


def record_value(indicator: Indicator, value: Any, as_of: date | str, *, reported_by=None, note: str = "",
                 source: str = IndicatorValue.Source.API) -> IndicatorValue:
    """Store one reported value (a new row; earlier ones stay), or ``ServiceError`` naming the field at fault."""
    try:
        day = parse_day(as_of)
    except ValueProblem as problem:
        raise _error(problem, "as_of") from None
    try:
        check_day(indicator, day)
    except ValueProblem as problem:
        raise _error(problem, "as_of") from None
    try:
        amount = parse_value(value, indicator.unit)
    except ValueProblem as problem:
        raise _error(problem, "value") from None
    return IndicatorValue.objects.create(
        indicator=indicator, value=amount, as_of=day, reported_by=reported_by, note=str(note or "").strip(),
        reported_by_name=reported_by.get_username() if reported_by else "", source=source,
    )


# ------------------------------------------------------------------------------------------------ progress


@dataclass(frozen=True)
class Assessment:
    day: date
    value: Decimal | None
    value_as_of: date | None
    progress: float | None  # share of the way from the baseline to the target
    expected: float  # share of the way expected by ``day``
    status: str  # achieved | on_track | behind | missed | no_data
    off_track: bool

    @property
    def message(self) -> tuple[str, str]:
        p = "—" if self.progress is None else f"{self.progress:.0%}"
        e = f"{self.expected:.0%}"
        return {
            "achieved": ("Đã đạt mục tiêu.", "Target reached."),
            "on_track": (f"Đúng tiến độ: đạt {p} chặng đường, dự kiến {e}.",
                         f"On track: {p} of the way, {e} expected."),
            "behind": (f"Chậm tiến độ: đạt {p} chặng đường, dự kiến {e}.", f"Behind: {p} of the way, {e} expected."),
            "missed": (f"Đã quá hạn mà chưa đạt mục tiêu (đạt {p} chặng đường).",
                       f"Target day passed without reaching the target ({p} of the way)."),
            "no_data": ("Chưa có số liệu báo cáo.", "No value reported yet."),
        }[self.status]


def assess(*, direction: str, baseline: Decimal, baseline_date: date, target: Decimal, target_date: date,
           latest: tuple[Decimal, date] | None, day: date, tolerance: Decimal = DEFAULT_TOLERANCE) -> Assessment:
    """Progress, expected progress and status on ``day`` (the rules are in the module's docstring)."""
    span_days = (target_date - baseline_date).days
    expected = min(max(Fraction((day - baseline_date).days, span_days), Fraction(0)), Fraction(1))
    tol = Fraction(tolerance)
    if latest is None:
        return Assessment(day, None, None, None, float(round(expected, 4)), "no_data", expected > tol)
    value, value_day = latest
    v, b, t = Fraction(value), Fraction(baseline), Fraction(target)
    if direction == "reach":
        progress = 1 - abs(t - v) / abs(t - b)
        achieved = v == t
    else:
        progress = (v - b) / (t - b)
        achieved = v >= t if direction == "increase" else v <= t
    if achieved:
        status = "achieved"
    elif day > target_date:
        status = "missed"
    elif progress < expected - tol:
        status = "behind"
    else:
        status = "on_track"
    return Assessment(day, value, value_day, float(round(progress, 4)), float(round(expected, 4)), status,
                      status in ("behind", "missed"))


def latest_value(indicator: Indicator, day: date) -> IndicatorValue | None:
    """The value in force on ``day``: the one with the latest ``as_of`` on or before it; for one day reported
    twice, the later report."""
    return (indicator.values.filter(as_of__lte=day).order_by("-as_of", "-created_at", "-id").first())


def progress(indicator: Indicator, day: date | None = None) -> Assessment:
    day = day or timezone.localdate()
    latest = latest_value(indicator, day)
    return assess(direction=indicator.direction, baseline=indicator.baseline_value,
                  baseline_date=indicator.baseline_date, target=indicator.target_value,
                  target_date=indicator.target_date, latest=(latest.value, latest.as_of) if latest else None,
                  day=day, tolerance=indicator.tolerance if indicator.tolerance is not None else DEFAULT_TOLERANCE)


def off_track(indicators: Iterable[Indicator], day: date | None = None) -> list[tuple[Indicator, Assessment]]:
    """The indicators flagged off track on ``day``, furthest behind first."""
    assessed = [(i, progress(i, day)) for i in indicators]
    flagged = [(i, a) for i, a in assessed if a.off_track]
    return sorted(flagged, key=lambda p: ((p[1].progress if p[1].progress is not None else -1e9) - p[1].expected,
                                          p[0].pk))


# ------------------------------------------------------------------------------------------------ imports


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    code: str
    vi: str
    en: str

    def __str__(self) -> str:
        where = f"dòng {self.row}, cột «{self.column}»" if self.column else f"dòng {self.row}"
        where_en = f"row {self.row}, column «{self.column}»" if self.column else f"row {self.row}"
        return f"{where}: {self.vi} / {where_en}: {self.en}"


@dataclass
class ImportResult:
    rows: int = 0
    created: list[IndicatorValue] = field(default_factory=list)
    unchanged: int = 0  # rows equal to a value already stored (a file imported twice)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


COLUMNS = {
    "indicator": ("chi tieu", "ma chi tieu", "ten chi tieu", "indicator", "code", "id"),
    "value": ("gia tri", "so lieu", "value"),
    "as_of": ("ngay", "ngay so lieu", "tinh den ngay", "as of", "as_of", "date"),
    "note": ("ghi chu", "note"),
    "unit": ("don vi", "don vi tinh", "unit"),
}
REQUIRED = ("indicator", "value", "as_of")


@dataclass
class _Cell:
    value: Any
    percent: bool = False  # a spreadsheet cell formatted as a percentage


def _read_rows(data: bytes, name: str) -> list[list[_Cell]]:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises several kinds for a damaged file
            raise ValueProblem("bad_file", f"Không đọc được tệp XLSX ({type(error).__name__}).",
                               f"Cannot read the XLSX file ({type(error).__name__}).") from None
        return [[_Cell(c.value, "%" in (getattr(c, "number_format", "") or "")) for c in row]
                for row in sheet.iter_rows()]
    if suffix in (".csv", ".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueProblem("bad_encoding", "Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8.") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[_Cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise ValueProblem("bad_format", f"Chỉ nhận tệp .csv hoặc .xlsx, không nhận «{suffix or name}».",
                       f"Only .csv and .xlsx files are accepted, not «{suffix or name}».")


def _find_indicator(key: Any, by_code: dict[str, Indicator], by_name: dict[str, list[Indicator]],
                    by_id: dict[int, Indicator]) -> Indicator:
    text = "" if key is None else str(key).strip()
    if not text:
        raise ValueProblem("missing_indicator", "Thiếu chỉ tiêu.", "The indicator is missing.")
    if isinstance(key, int | float) or text.isdigit():
        found = by_id.get(int(float(text)))
        if found:
            return found
    if found := by_code.get(text.lower()):
        return found
    named = by_name.get(_fold(text), [])
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise ValueProblem("ambiguous_indicator", f"Có {len(named)} chỉ tiêu tên «{text}»; hãy dùng mã hoặc số.",
                           f"{len(named)} indicators are named «{text}»; use the code or the id.")
    raise ValueProblem("unknown_indicator", f"Không có chỉ tiêu «{text}».", f"No indicator «{text}».")


def import_values(data: bytes, name: str, *, reported_by=None) -> ImportResult:
    """Values from a CSV or XLSX file with a header row (chỉ tiêu, giá trị, ngày; optional ghi chú, đơn vị; or
    the English names). Every row is checked first; if any is wrong nothing is saved and every error is listed.
    A row equal to a value already stored (same indicator, day and value) is counted as unchanged, so a file
    imported twice adds nothing."""
    result = ImportResult()
    try:
        rows = _read_rows(data, name)
    except ValueProblem as problem:
        result.errors.append(RowError(0, "", problem.code, problem.vi, problem.en))
        return result
    numbered = [(n, r) for n, r in enumerate(rows, start=1)
                if any(c.value is not None and str(c.value).strip() for c in r)]
    if not numbered:
        result.errors.append(RowError(1, "", "empty_file", "Tệp không có dữ liệu.", "The file has no data."))
        return result
    header_row, head = numbered[0]
    header = [_fold(c.value or "") for c in head]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and key not in where:
                where[key] = i
    missing = [k for k in REQUIRED if k not in where]
    if missing:
        wanted = "; ".join(f"{k} ({COLUMNS[k][0]})" for k in missing)
        result.errors.append(RowError(header_row, "", "missing_columns", f"Thiếu cột: {wanted}.",
                                      f"Missing columns: {wanted}."))
        return result
    titles = {k: str(head[i].value).strip() for k, i in where.items()}
    indicators = list(Indicator.objects.all())
    by_id = {i.pk: i for i in indicators}
    by_code = {i.code.lower(): i for i in indicators if i.code}
    by_name: dict[str, list[Indicator]] = {}
    for i in indicators:
        by_name.setdefault(_fold(i.name), []).append(i)
    pending: list[tuple[int, Indicator, Decimal, date, str]] = []
    seen: dict[tuple[int, date], int] = {}
    for number, row in numbered[1:]:
        result.rows += 1

        def cell(key: str, row: list[_Cell] = row) -> _Cell:
            i = where.get(key)
            return row[i] if i is not None and i < len(row) else _Cell(None)

        errors_before = len(result.errors)

        def fail(key: str, problem: ValueProblem, number: int = number) -> None:
            result.errors.append(RowError(number, titles.get(key, key), problem.code, problem.vi, problem.en))

        indicator = day = amount = None
        try:
            indicator = _find_indicator(cell("indicator").value, by_code, by_name, by_id)
        except ValueProblem as problem:
            fail("indicator", problem)
        try:
            day = parse_day(cell("as_of").value)
            if indicator is not None:
                check_day(indicator, day)
        except ValueProblem as problem:
            fail("as_of", problem)
        if indicator is not None:
            written_unit = cell("unit").value
            if written_unit not in (None, "") and _unit_of(written_unit) != indicator.unit:
                fail("unit", ValueProblem(
                    "wrong_unit", f"Đơn vị «{written_unit}» khác đơn vị của chỉ tiêu ({UNIT_VI[indicator.unit]}).",
                    f"The unit «{written_unit}» is not the indicator's ({UNIT_EN[indicator.unit]})."))
            try:
                amount = parse_value(cell("value").value, indicator.unit, percent_cell=cell("value").percent)
            except ValueProblem as problem:
                fail("value", problem)
        if len(result.errors) > errors_before:
            continue
        key = (indicator.pk, day)
        if key in seen:
            fail("as_of", ValueProblem("duplicate_row", f"Trùng chỉ tiêu và ngày với dòng {seen[key]}.",
                                       f"Same indicator and day as row {seen[key]}."))
            continue
        seen[key] = number
        pending.append((number, indicator, amount, day, str(cell("note").value or "").strip()))
    if result.errors:
        return result
    with transaction.atomic():
        for _, indicator, amount, day, note in pending:
            if IndicatorValue.objects.filter(indicator=indicator, as_of=day, value=amount).exists():
                result.unchanged += 1
                continue
            result.created.append(IndicatorValue.objects.create(
                indicator=indicator, value=amount, as_of=day, note=note, source=IndicatorValue.Source.IMPORT,
                reported_by=reported_by, reported_by_name=reported_by.get_username() if reported_by else ""))
    return result


def _unit_of(written: Any) -> str | None:
    text = _fold(written)
    for unit in Indicator.Unit:
        if text in (unit.value, _fold(unit.label), _fold(UNIT_VI[unit.value])):
            return unit.value
    return {"%": "percent", "ty le": "percent", "ty le %": "percent", "vnd": "vnd", "dong": "vnd",
            "so luong": "count", "hang": "rank", "ngay": "days"}.get(text)
