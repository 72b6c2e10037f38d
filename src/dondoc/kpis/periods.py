"""Reporting periods as offices name them: a month, a quarter, a half-year, nine months, a year, an ISO week, or
any range of days.

    parse_period("2025-Q3")            → 01/07/2025 … 30/09/2025, "Quý III/2025"
    parse_period("tháng 7/2025")       → 01/07/2025 … 31/07/2025, "Tháng 7/2025"
    parse_period("6 tháng đầu năm 2025") → 01/01/2025 … 30/06/2025
    parse_period("2025-07-01..2025-09-30")

Accepted forms (case, accents and spaces are forgiving; "Quý", "quy", "QUÝ" are the same):

| kind | ISO-like | Vietnamese |
|---|---|---|
| year | ``2025`` | ``năm 2025`` |
| half-year | ``2025-H1``, ``H2/2025`` | ``6 tháng đầu năm 2025``, ``6 tháng cuối năm 2025`` |
| nine months | ``2025-9M`` | ``9 tháng đầu năm 2025`` |
| quarter | ``2025-Q3``, ``Q3/2025`` | ``Quý III/2025``, ``quý 3 năm 2025`` |
| month | ``2025-07``, ``07/2025`` | ``tháng 7/2025``, ``tháng 7 năm 2025`` |
| ISO week | ``2025-W14`` | ``tuần 14/2025``, ``tuần 14 năm 2025`` |
| custom | ``2025-07-01..2025-09-30`` | ``từ 01/07/2025 đến 30/09/2025``, ``01/07/2025-30/09/2025`` |

Anything else raises ``PeriodError`` with a message in Vietnamese and English that lists the accepted forms.
A ``Period`` unpacks as ``(start, end, label)``; both ends are included.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
ROMAN_OF = {v: k for k, v in ROMAN.items()}

EXAMPLES = ("2025-Q3", "2025-07", "2025-H1", "2025", "2025-W14", "2025-07-01..2025-09-30", "Quý III/2025",
            "tháng 7/2025", "6 tháng đầu năm 2025", "năm 2025")


class PeriodError(ValueError):
    """A period the parser cannot read, with a message in Vietnamese and English."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.code, self.vi, self.en = code, vi, en


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str  # Vietnamese, as a report heading writes it
    kind: str = "custom"  # year | half | nine_months | quarter | month | week | custom
    code: str = ""  # the canonical ISO-like spelling ("2025-Q3"), usable as a file name

    def __iter__(self):
        return iter((self.start, self.end, self.label))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _fold(text: str) -> str:
    """Lower case, without accents (đ → d), single spaces: "Quý  III/2025" → "quy iii/2025"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r" ?([/–-]|\.\.) ?", r"\1", " ".join(text.lower().split()))


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _year(text: str) -> int:
    year = int(text)
    if not 1945 <= year <= 2100:
        raise PeriodError("bad_year", f"Năm {year} nằm ngoài khoảng 1945–2100.",
                          f"The year {year} is outside 1945–2100.")
    return year


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), f"Năm {y}", "year", str(y))


def half(y: int, h: int) -> Period:
    if h not in (1, 2):
        raise PeriodError("bad_half", f"Nửa năm phải là 1 hoặc 2 (H1, H2), không phải {h}.",
                          f"The half-year must be 1 or 2 (H1, H2), not {h}.")
    if h == 1:
        return Period(date(y, 1, 1), date(y, 6, 30), f"6 tháng đầu năm {y}", "half", f"{y}-H1")
    return Period(date(y, 7, 1), date(y, 12, 31), f"6 tháng cuối năm {y}", "half", f"{y}-H2")


def nine_months(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 9, 30), f"9 tháng đầu năm {y}", "nine_months", f"{y}-9M")


def quarter(y: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise PeriodError("bad_quarter", f"Quý phải từ 1 đến 4 (I–IV), không phải {q}.",
                          f"The quarter must be 1 to 4 (I–IV), not {q}.")
    start = date(y, 3 * q - 2, 1)
    end = (date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)) - timedelta(days=1)
    return Period(start, end, f"Quý {ROMAN_OF[q]}/{y}", "quarter", f"{y}-Q{q}")


def month(y: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise PeriodError("bad_month", f"Tháng phải từ 1 đến 12, không phải {m}.",
                          f"The month must be 1 to 12, not {m}.")
    end = (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)
    return Period(date(y, m, 1), end, f"Tháng {m}/{y}", "month", f"{y}-{m:02d}")


def week(y: int, w: int) -> Period:
    try:
        start = date.fromisocalendar(y, w, 1)
    except ValueError:
        weeks = date(y, 12, 28).isocalendar().week
        raise PeriodError("bad_week", f"Năm {y} có {weeks} tuần (ISO 8601); không có tuần {w}.",
                          f"{y} has {weeks} ISO weeks; there is no week {w}.") from None
    end = start + timedelta(days=6)
    return Period(start, end, f"Tuần {w}/{y} ({start:%d/%m}–{_dmy(end)})", "week", f"{y}-W{w:02d}")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("empty_period", f"Kỳ rỗng: ngày kết thúc {_dmy(end)} trước ngày bắt đầu {_dmy(start)}.",
                          f"Empty period: the end {end.isoformat()} is before the start {start.isoformat()}.")
    return Period(start, end, f"Từ ngày {_dmy(start)} đến ngày {_dmy(end)}", "custom",
                  f"{start.isoformat()}..{end.isoformat()}")


_DAY = r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:nam )?(\d{4})"), "year"),
    (re.compile(r"(\d{4})-?h([12])|h([12])[/ -](\d{4})"), "half"),
    (re.compile(r"6 thang (dau|cuoi) nam (\d{4})"), "half_vi"),
    (re.compile(r"(\d{4})-9m|9 thang (?:dau )?nam (\d{4})"), "nine"),
    (re.compile(r"(\d{4})-?q(\d)|q(\d)[/ -](\d{4})"), "quarter"),
    (re.compile(r"quy ([ivx]+|\d)(?:/| nam )(\d{4})"), "quarter_vi"),
    (re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})|thang (\d{1,2})(?:/| nam )(\d{4})"), "month"),
    (re.compile(r"(\d{4})-?w(\d{1,2})|tuan (\d{1,2})(?:/| nam )(\d{4})"), "week"),
    (re.compile(rf"(?:tu (?:ngay )?)?{_DAY} ?(?:\.\.|-|–|den(?: ngay)?) ?{_DAY}"), "custom"),
]


def _parse_day(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(p) for p in text.split("/"))
            return date(y, m, d)
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        raise PeriodError("bad_date", f"Ngày «{text}» không tồn tại.", f"The date «{text}» does not exist.") from None


def parse_period(text: str) -> Period:
    """The period ``text`` names; ``PeriodError`` (Vietnamese / English) when it names none."""
    if isinstance(text, Period):
        return text
    raw = (text or "").strip()
    if not raw:
        raise PeriodError("no_period", "Chưa chọn kỳ báo cáo. Ví dụ: " + ", ".join(EXAMPLES[:6]) + ".",
                          "No period given. Examples: " + ", ".join(EXAMPLES[:6]) + ".")
    folded = _fold(raw)
    for pattern, kind in _FORMS:
        m = pattern.fullmatch(folded)
        if not m:
            continue
        g = [x for x in m.groups() if x is not None]
        if kind == "year":
            return year(_year(g[0]))
        if kind == "half":
            y, h = (g[0], g[1]) if len(g[0]) == 4 else (g[1], g[0])
            return half(_year(y), int(h))
        if kind == "half_vi":
            return half(_year(g[1]), 1 if g[0] == "dau" else 2)
        if kind == "nine":
            return nine_months(_year(g[0]))
        if kind == "quarter":
            y, q = (g[0], g[1]) if len(g[0]) == 4 else (g[1], g[0])
            return quarter(_year(y), int(q))
        if kind == "quarter_vi":
            q_text = g[0].upper()
            if q_text.isdigit():
                q = int(q_text)
            elif q_text in ROMAN:
                q = ROMAN[q_text]
            else:
                raise PeriodError("bad_quarter", f"Quý «{q_text}» không hợp lệ; dùng I, II, III, IV hoặc 1–4.",
                                  f"Quarter «{q_text}» is not valid; use I, II, III, IV or 1–4.")
            return quarter(_year(g[1]), q)
        if kind == "month":
            y, mo = (g[0], g[1]) if len(g[0]) == 4 else (g[1], g[0])
            return month(_year(y), int(mo))
        if kind == "week":
            y, w = (g[0], g[1]) if len(g[0]) == 4 else (g[1], g[0])
            return week(_year(y), int(w))
        if kind == "custom":
            start, end = _parse_day(g[0]), _parse_day(g[1])
            for day in (start, end):
                _year(str(day.year))
            return custom(start, end)
    raise PeriodError(
        "unknown_period",
        f"Không hiểu kỳ báo cáo «{raw}». Dùng một trong các dạng: " + ", ".join(EXAMPLES) + ".",
        f"Unknown period «{raw}». Use one of: " + ", ".join(EXAMPLES) + ".",
    )
