"""Synthetic Vietnamese directives for the tracking scale benchmark (``tracking_scale.py``).

``DirectiveWriter.write`` returns the text of a directive — header, citation, numbered tasks with chủ trì / phối hợp
agencies and deadlines written the ways real documents write them — together with its plan: what a perfect extraction
would find (number, issuer, date, and per task the quote, its span, the lead and support agency ids, the due date and
the deadline phrase). The bulk loader stores plans directly; the ingest measurement runs the real extractor on the
text. No database access here: agencies come in as plain records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

# ---------------------------------------------------------------------------------------------------- vocabulary

TOPICS = [
    "chuyển đổi số trong cơ quan nhà nước", "cải cách thủ tục hành chính", "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "giải ngân vốn đầu tư công", "phát triển nhà ở xã hội", "bảo đảm an toàn thực phẩm", "phòng cháy, chữa cháy",
    "quản lý thị trường xăng dầu", "xây dựng nông thôn mới", "phòng, chống dịch bệnh truyền nhiễm",
    "sắp xếp, xử lý tài sản công", "cung cấp dịch vụ công trực tuyến toàn trình", "thu ngân sách nhà nước",
    "bảo vệ môi trường lưu vực sông", "đào tạo nguồn nhân lực chất lượng cao",
    "chống khai thác hải sản bất hợp pháp, không báo cáo và không theo quy định", "phát triển hạ tầng giao thông",
    "tiết kiệm điện và sử dụng năng lượng hiệu quả", "bảo đảm trật tự, an toàn giao thông",
    "phát triển kinh tế tập thể, hợp tác xã", "quản lý, sử dụng đất đai",
    "phòng, chống buôn lậu và gian lận thương mại",
    "thúc đẩy xuất khẩu nông sản", "bảo hiểm xã hội, bảo hiểm y tế toàn dân", "giảm nghèo bền vững",
    "đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử", "phát triển du lịch",
    "cấp nước sạch nông thôn", "phòng, chống rác thải nhựa", "an toàn, an ninh mạng", "kiểm soát tài sản, thu nhập",
    "sắp xếp tổ chức bộ máy", "phát triển doanh nghiệp nhỏ và vừa", "chăm sóc sức khỏe ban đầu",
    "đổi mới chương trình giáo dục phổ thông", "phòng, chống tham nhũng, tiêu cực", "ứng phó với biến đổi khí hậu",
    "quản lý giá thuốc và trang thiết bị y tế", "xóa nhà tạm, nhà dột nát", "phát triển thương mại điện tử",
]
ACTIONS = [
    "rà soát, đánh giá tình hình thực hiện {t}",
    "xây dựng, trình {a} ban hành {i} về {t}",
    "tổng hợp, báo cáo {a} kết quả {t}",
    "hướng dẫn các địa phương triển khai {t}",
    "tổ chức kiểm tra, giám sát việc thực hiện {t}",
    "hoàn thiện hồ sơ đề án về {t}",
    "nghiên cứu, đề xuất sửa đổi, bổ sung {i} liên quan đến {t}",
    "bố trí kinh phí thực hiện các nhiệm vụ {t}",
    "chỉ đạo quyết liệt các giải pháp {t}",
    "tổ chức sơ kết, đánh giá kết quả {t}",
    "xây dựng cơ sở dữ liệu phục vụ {t}",
    "tăng cường công tác thanh tra, kiểm tra về {t}",
    "đẩy mạnh thông tin, tuyên truyền về {t}",
    "ban hành kế hoạch triển khai {t}",
    "xử lý dứt điểm các kiến nghị của cử tri liên quan đến {t}",
    "rà soát, tháo gỡ khó khăn, vướng mắc trong {t}",
]
INSTRUMENTS = ["Nghị định", "Thông tư", "Quyết định", "đề án", "chương trình hành động", "quy chế phối hợp"]
PROGRESS_TEXTS = [
    "Đã ban hành kế hoạch triển khai; đang tổ chức thực hiện.", "Đã hoàn thành dự thảo, đang lấy ý kiến các cơ quan.",
    "Đã tổ chức hội nghị quán triệt; đang rà soát số liệu.", "Đang tổng hợp báo cáo của các đơn vị trực thuộc.",
    "Đã trình lãnh đạo xem xét dự thảo báo cáo.", "Đang phối hợp với các cơ quan liên quan hoàn thiện hồ sơ.",
    "Đã hoàn thành khoảng một nửa khối lượng công việc.", "Đã kiểm tra tại các địa phương; đang hoàn thiện báo cáo.",
]
RESULT_TEXTS = [
    "Đã ban hành văn bản hướng dẫn.", "Đã báo cáo kết quả bằng văn bản.", "Đã trình cấp có thẩm quyền ban hành.",
    "Đã hoàn thành theo yêu cầu.", "Đã tổ chức thực hiện và báo cáo kết quả.",
]
EXTENSION_REASONS = [
    "Cần thêm thời gian lấy ý kiến các bộ, ngành.", "Chờ kết quả thẩm định của cơ quan có thẩm quyền.",
    "Khối lượng công việc lớn, phát sinh nội dung mới.", "Chờ bố trí kinh phí thực hiện.",
]
ROMAN = ["I", "II", "III", "IV"]
PROVINCE_DEPARTMENTS = [
    "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh", "Công an tỉnh",
]


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    id: int
    name: str
    kind: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    written: str = ""  # how documents write it when not its registered name ("Sở Tài chính" in the province)

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def text(self) -> str:
        return self.written or self.name


@dataclass(slots=True)
class TaskPlan:
    quote: str
    start: int
    end: int
    lead: list[int]
    support: list[int]
    lead_text: list[str]
    support_text: list[str]
    due: date | None
    deadline_text: str
    recurrence: str


@dataclass(slots=True)
class DocumentPlan:
    number: str
    type: str
    issuer_id: int
    issuer_name: str
    issued: date
    title: str
    text: str = ""
    citations: list[dict] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def deadline_phrase(rng: random.Random, issued: date) -> tuple[date | None, str, str]:
    """(due, phrase, recurrence): a deadline after ``issued`` written in one of the usual forms."""
    r = rng.random()
    if r < 0.09:
        return None, *rng.choice([
            ("thực hiện thường xuyên", ""), ("định kỳ hằng quý", "quarterly"), ("định kỳ hằng tháng", "monthly"),
            ("định kỳ hằng năm", "yearly"),
        ])
    horizon = rng.choice((20, 45, 60, 90, 120, 180, 270, 365, 540))
    target = issued + timedelta(days=rng.randint(10, horizon))
    form = rng.random()
    if form < 0.40:
        pattern = rng.choice(("trước ngày {d}/{m}/{y}", "trước ngày {dd}/{mm}/{y}", "chậm nhất ngày {d}/{m}/{y}",
                              "trước ngày {d} tháng {m} năm {y}"))
        text = pattern.format(d=target.day, m=target.month, y=target.year, dd=f"{target.day:02d}",
                              mm=f"{target.month:02d}")
        return target, text, ""
    if form < 0.62:
        pattern = rng.choice(("trong tháng {m} năm {y}", "trong tháng {m}/{y}"))
        return month_end(target.year, target.month), pattern.format(m=target.month, y=target.year), ""
    if form < 0.90:
        q = (target.month - 1) // 3 + 1
        pattern = rng.choice(("trong Quý {r}/{y}", "trong quý {r} năm {y}"))
        return month_end(target.year, 3 * q), pattern.format(r=ROMAN[q - 1], y=target.year), ""
    return date(target.year, 12, 31), f"trong năm {target.year}", ""


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


class Weighted:
    """Agencies drawn with a Zipf-like skew: a few ministries and provinces get most of the work."""

    def __init__(self, rng: random.Random, agencies: list[AgencyInfo], exponent: float = 0.9) -> None:
        self.agencies = list(agencies)
        rng.shuffle(self.agencies)
        self.weights = [1 / (rank + 1) ** exponent for rank in range(len(self.agencies))]

    def pick(self, rng: random.Random, day: date, k: int = 1, exclude: tuple[int, ...] = ()) -> list[AgencyInfo]:
        out: list[AgencyInfo] = []
        for a in rng.choices(self.agencies, self.weights, k=k * 8 + 40):
            if a.exists_on(day) and a.id not in exclude and a not in out:
                out.append(a)
                if len(out) == k:
                    break
        return out


class DirectiveWriter:
    """Writes directives of central issuers (Thủ tướng, Văn phòng Chính phủ, ministries) and of provinces."""

    def __init__(self, agencies: list[AgencyInfo], seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        by_kind: dict[str, list[AgencyInfo]] = {}
        for a in agencies:
            by_kind.setdefault(a.kind, []).append(a)
        self.by_id = {a.id: a for a in agencies}
        self.by_name = {a.name: a for a in agencies}
        ministries = by_kind.get("ministry", []) + by_kind.get("ministerial_agency", [])
        central = ministries + by_kind.get("government_agency", [])
        provinces = by_kind.get("provincial_committee", [])
        self.central_leads = Weighted(self.rng, central + provinces + by_kind.get("enterprise", []))
        self.ministries = Weighted(self.rng, [a for a in ministries if a.name != "Văn phòng Chính phủ"])
        self.units: dict[int, list[AgencyInfo]] = {}
        for a in agencies:
            if a.parent_id is not None:
                self.units.setdefault(a.parent_id, []).append(a)
        self.provinces_with_units = [p for p in provinces if len(self.units.get(p.id, ())) >= 5]
        self.province_weights = Weighted(self.rng, self.provinces_with_units, exponent=0.6)
        self.collectives = [a for a in by_kind.get("collective", []) if a.name.startswith(("các bộ", "Ủy ban"))]
        self.pm = self.by_name.get("Thủ tướng Chính phủ")
        self.office = self.by_name.get("Văn phòng Chính phủ")
        self.counters: dict[str, int] = {}

    # ------------------------------------------------------------------------------------------------ header

    def _number(self, key: str, pattern: str) -> str:
        # numbers continue across years here: the tracking service treats number + issuer as one document whatever
        # the year (see the benchmark report), so restarting them each year, as offices do, would collide
        self.counters[key] = self.counters.get(key) or self.rng.randint(1, 300)
        self.counters[key] += self.rng.randint(1, 4)
        return pattern.format(n=self.counters[key])

    def write(self, issued: date, n_tasks: int, *, provincial: bool | None = None) -> DocumentPlan:
        rng = self.rng
        if provincial is None:
            provincial = bool(self.provinces_with_units) and rng.random() < 0.3
        topic = rng.choice(TOPICS)
        if provincial:
            province = self.province_weights.pick(rng, issued)[0] if self.province_weights.agencies else None
            if province is None:
                provincial = False
        if provincial:
            place = province.name.removeprefix("Ủy ban nhân dân ")
            place_name = place.removeprefix("tỉnh ").removeprefix("thành phố ")
            kind = rng.choice(("Công văn", "Công văn", "Chỉ thị", "Kế hoạch"))
            code = {"Công văn": "{n}/UBND-KT", "Chỉ thị": "{n}/CT-UBND", "Kế hoạch": "{n}/KH-UBND"}[kind]
            number = self._number(f"{province.id}{kind}", code)
            header = f"ỦY BAN NHÂN DÂN\n{place.upper()}\n-------"
            level = "thành phố" if place.startswith("thành phố") else "tỉnh"
            issuer, authority = province, f"Ủy ban nhân dân {level}"
            signer = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        else:
            place_name = "Hà Nội"
            r = rng.random()
            if r < 0.25 and self.pm:
                issuer, kind = self.pm, rng.choice(("Chỉ thị", "Công điện"))
                number = self._number(f"pm{kind}", "{n}/CT-TTg" if kind == "Chỉ thị" else "{n}/CĐ-TTg")
                header, signer = "THỦ TƯỚNG CHÍNH PHỦ\n-------", "THỦ TƯỚNG"
            elif r < 0.55 and self.office:
                issuer, kind = self.office, rng.choice(("Thông báo", "Công văn"))
                number = self._number(f"vpcp{kind}", "{n}/TB-VPCP" if kind == "Thông báo" else "{n}/VPCP-KTTH")
                header, signer = "VĂN PHÒNG CHÍNH PHỦ\n-------", "KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM"
            else:
                issuer = self.ministries.pick(rng, issued)[0]
                kind = rng.choice(("Công văn", "Công văn", "Kế hoạch"))
                symbol = "".join(w[0] for w in issuer.name.split() if w[0].isupper()) or "BO"
                number = self._number(f"{issuer.id}{kind}", "{n}/" + ("KH-" if kind == "Kế hoạch" else "") + symbol)
                header, signer = f"{issuer.name.upper()}\n-------", "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"
            authority, province = "Thủ tướng Chính phủ", None
        if kind == "Công văn":
            title = f"V/v triển khai {topic}"
            dated = f"{place_name}, ngày {issued.day} tháng {issued.month} năm {issued.year}"
            title_block = f"Số: {number}\n{title}\n{dated}"
        else:
            title = f"Về việc tăng cường {topic}" if kind != "Thông báo" else \
                f"Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về {topic}"
            title_block = (f"Số: {number}\n{place_name}, ngày {issued.day} tháng {issued.month} năm {issued.year}\n\n"
                           f"{kind.upper()}\n{title}")
        cited_day = issued - timedelta(days=rng.randint(20, 400))
        cited_number = f"{rng.randint(1, 199)}/NQ-CP"
        citation = f"Nghị quyết số {cited_number} ngày {cited_day:%d/%m/%Y}"
        head = (f"{header}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
                f"{title_block}\n\n")
        intro = f"Thực hiện {citation} của Chính phủ, để triển khai hiệu quả {topic}, "
        intro += f"{'Chủ tịch ' + authority if provincial else issuer.name} yêu cầu:\n\n"
        plan = DocumentPlan(number=number, type=kind, issuer_id=issuer.id, issuer_name=issuer.name, issued=issued,
                            title=title)
        text = head + intro
        cite_at = text.index(citation)
        plan.citations = [{"text": citation, "type": "Nghị quyết", "number": cited_number,
                           "issued_date": cited_day.isoformat(), "span": [cite_at, cite_at + len(citation)]}]
        for i in range(1, n_tasks + 1):
            text = self._task(plan, text, i, issued, province, authority)
        text += (f"\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n{signer}\n\n"
                 f"{rng.choice(('Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'))} Văn {rng.choice(('An', 'Bình', 'Hải'))}\n")
        plan.text = text
        return plan

    # ------------------------------------------------------------------------------------------------ tasks

    def _agencies(self, issued: date, province: AgencyInfo | None, k: int,
                  exclude: tuple[int, ...] = ()) -> list[AgencyInfo]:
        rng = self.rng
        if province is not None:
            pool = [u for u in self.units[province.id] if u.id not in exclude]
            return rng.sample(pool, min(k, len(pool)))
        if not exclude and self.collectives and rng.random() < 0.02:
            return [rng.choice(self.collectives)]
        out = self.central_leads.pick(rng, issued, k, exclude)
        if not exclude and out and rng.random() < 0.25 and self.units.get(out[0].id):  # a Cục under its ministry
            out[0] = rng.choice([u for u in self.units[out[0].id] if u.exists_on(issued)] or [out[0]])
        return out

    def _task(self, plan: DocumentPlan, text: str, i: int, issued: date, province: AgencyInfo | None,
              authority: str) -> str:
        rng = self.rng
        lead = self._agencies(issued, province, 1)
        n_support = rng.choice((0, 0, 0, 1, 1, 2, 3))
        support = self._agencies(issued, province, n_support, exclude=tuple(a.id for a in lead)) if n_support else []
        support = [s for s in support if s.name not in ("Thủ tướng Chính phủ",)]
        due, deadline, recurrence = deadline_phrase(rng, issued)
        action = rng.choice(ACTIONS).format(t=rng.choice(TOPICS), a=authority, i=rng.choice(INSTRUMENTS))
        lead_text = [a.text for a in lead]
        support_text = [a.text for a in support]
        lead_s = join_names(lead_text)
        if deadline.startswith("định kỳ"):
            tail = f"{deadline} báo cáo {authority}"
        elif deadline.startswith("thực hiện"):
            tail = deadline
        else:
            tail = rng.choice(("hoàn thành ", "báo cáo " + authority + " ", "")) + deadline
        if support:
            form = rng.random()
            if form < 0.6:
                quote = f"{lead_s} chủ trì, phối hợp với {join_names(support_text)} {action}, {tail}"
            else:
                quote = f"{lead_s} phối hợp với {join_names(support_text)} {action}, {tail}"
        else:
            quote = rng.choice((f"{lead_s} {action}, {tail}", f"Giao {lead_s} {action}; {tail}",
                                f"Đề nghị {lead_s} {action}, {tail}"))
        prefix = f"{i}. "
        start = len(text) + len(prefix)
        plan.tasks.append(TaskPlan(quote=quote, start=start, end=start + len(quote), lead=[a.id for a in lead],
                                   support=[a.id for a in support], lead_text=lead_text, support_text=support_text,
                                   due=due, deadline_text="" if deadline.startswith("thực hiện") else deadline,
                                   recurrence=recurrence))
        return f"{text}{prefix}{quote}.\n"
