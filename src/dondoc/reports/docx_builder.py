"""The briefing report as a DOCX laid out like a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP,
Phụ lục I): A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13–14 pt; the header table with
the issuing body on the left and the national motto on the right; the number, place and date lines; the document
type and its summary centred; "Nơi nhận" and the signature block at the end."""

from __future__ import annotations

import io
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .charts import results_chart
from .content import BriefingReport, long_date, percent

FONT = "Times New Roman"
RESULT_COLUMNS = ("STT", "Cơ quan, đơn vị", "Được giao", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                  "Đang thực hiện trong hạn", "Quá hạn", "Không có thời hạn", "Tỷ lệ đúng hạn")
# a printed briefing lists the longest overdue tasks; the XLSX (and the API) carry every one
MAX_OVERDUE_ROWS = 300


# one formatted run per look (size, bold, italic, underline), copied for each new run: python-docx's setters walk the
# XML schema on every call, which made a national report's tables (thousands of cells) take seconds
_RUN_TEMPLATES: dict[tuple, object] = {}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _run(paragraph, text: str, *, size: float = 13, bold: bool = False, italic: bool = False,
         underline: bool = False):
    look = (size, bold, italic, underline)
    template = _RUN_TEMPLATES.get(look)
    if template is not None and "\n" not in text and "\t" not in text:
        r = deepcopy(template)
        t = r.find(qn("w:t"))
        t.text = text
        if text != text.strip():
            t.set(_XML_SPACE, "preserve")
        paragraph._p.append(r)
        return Run(r, paragraph)
    run = paragraph.add_run(text)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # so Word does not substitute a font for Vietnamese
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    if template is None and text and "\n" not in text and "\t" not in text:
        copy = deepcopy(run._r)
        t = copy.find(qn("w:t"))
        t.text = ""
        t.attrib.pop(_XML_SPACE, None)
        _RUN_TEMPLATES[look] = copy
    return run


def _paragraph(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size: float = 13, bold=False,
               italic=False, indent: bool = False, after: float = 6):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if text:
        _run(p, text, size=size, bold=bold, italic=italic)
    return p


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, millimetres: tuple[float, ...]) -> None:
    """Fixed column widths (the text area of A4 with these margins is 165 mm); Word and LibreOffice both need
    them on every cell (written straight into each cell's XML: python-docx's setters are slow on long tables)."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
    twips = [str(Mm(width).twips) for width in millimetres]
    for tr in table._tbl.iterchildren(qn("w:tr")):
        for tc, width in zip(tr.iterchildren(qn("w:tc")), twips, strict=True):
            tc_w = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_w.set(qn("w:w"), width)
            tc_w.set(qn("w:type"), "dxa")


def _cells(table) -> list[list[Paragraph]]:
    """The first paragraph of every cell, row by row, read from the XML once (python-docx's ``row.cells`` walks the
    table's grid on every call)."""
    return [[Paragraph(tc.find(qn("w:p")), None) for tc in tr.iterchildren(qn("w:tc"))]
            for tr in table._tbl.iterchildren(qn("w:tr"))]


_ALIGNMENTS: dict[object, object] = {}


def _align(paragraph: Paragraph, value) -> None:
    """``paragraph.alignment = value``, by copying a ready paragraph-properties element into a fresh paragraph."""
    if paragraph._p.pPr is not None:
        paragraph.alignment = value
        return
    if value not in _ALIGNMENTS:
        scratch = Paragraph(OxmlElement("w:p"), None)
        scratch.alignment = value
        _ALIGNMENTS[value] = scratch._p.pPr
    paragraph._p.insert(0, deepcopy(_ALIGNMENTS[value]))


def _header(doc, report: BriefingReport) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (55, 110))
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.issuer_parent:
        _run(p, report.issuer_parent.upper() + "\n", size=12)
    _run(p, report.issuer.upper(), size=12, bold=True)
    _paragraph(left, "―――――", align=WD_ALIGN_PARAGRAPH.CENTER, size=8, after=2)
    _paragraph(left, f"Số: {report.number or '      '}/BC-VP", align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", size=12, bold=True)
    _run(p, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _paragraph(right, "――――――――――――――", align=WD_ALIGN_PARAGRAPH.CENTER, size=8, after=2)
    signed = report.signed_on or report.as_of
    _paragraph(right, long_date(signed, report.place), align=WD_ALIGN_PARAGRAPH.CENTER, size=13, italic=True)


def _result_table(doc, report: BriefingReport) -> None:
    rows = [*report.results, report.totals]
    table = doc.add_table(rows=1 + len(rows), cols=len(RESULT_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (11, 42, *(16,) * 7))
    grid = _cells(table)
    for p, title in zip(grid[0], RESULT_COLUMNS, strict=True):
        _align(p, WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, title, size=10, bold=True)
    for n, (cells, result) in enumerate(zip(grid[1:], rows, strict=True), 1):
        total = result is rows[-1]
        values = ["" if total else str(n), result.agency, result.assigned, result.done_on_time, result.done_late,
                  result.in_progress, result.overdue, result.without_deadline, percent(result.on_time_rate)]
        for i, (p, value) in enumerate(zip(cells, values, strict=True)):
            _align(p, WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
            _run(p, str(value), size=10, bold=total)


def _overdue_table(doc, report: BriefingReport) -> None:
    columns = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Văn bản giao", "Thời hạn", "Số ngày quá hạn")
    shown = report.overdue[:MAX_OVERDUE_ROWS]
    table = doc.add_table(rows=1 + len(shown), cols=len(columns))
    table.style = "Table Grid"
    _widths(table, (11, 60, 30, 24, 22, 18))
    grid = _cells(table)
    for p, title in zip(grid[0], columns, strict=True):
        _run(p, title, size=10, bold=True)
    for n, (cells, task) in enumerate(zip(grid[1:], shown, strict=True), 1):
        values = (n, task.content, task.lead, task.document, task.due.strftime("%d/%m/%Y"), task.days_overdue)
        for p, value in zip(cells, values, strict=True):
            _run(p, str(value), size=10)


def _indicator_table(doc, report: BriefingReport) -> None:
    columns = ("STT", "Chỉ tiêu", "Cơ quan chịu trách nhiệm", "Mục tiêu", "Thực hiện", "Tiến độ", "Đánh giá")
    table = doc.add_table(rows=1 + len(report.indicators), cols=len(columns))
    table.style = "Table Grid"
    _widths(table, (11, 43, 30, 25, 20, 16, 20))
    grid = _cells(table)
    for p, title in zip(grid[0], columns, strict=True):
        _run(p, title, size=10, bold=True)
    for n, (cells, ind) in enumerate(zip(grid[1:], report.indicators, strict=True), 1):
        target = f"{_number(ind.target)} {ind.unit}" + (f" ({ind.target_date:%d/%m/%Y})" if ind.target_date else "")
        latest = "—" if ind.latest is None else f"{_number(ind.latest)} {ind.unit}"
        verdict = "Chậm so với lộ trình" if ind.off_track else "Đúng lộ trình"
        values = (n, ind.name, ind.agency, target, latest, percent(ind.progress), verdict)
        for p, value in zip(cells, values, strict=True):
            _run(p, str(value), size=10, bold=ind.off_track and value == verdict)


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _closing(doc, report: BriefingReport) -> None:
    _paragraph(doc)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (70, 95))
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    _run(p, "Nơi nhận:", size=12, bold=True, italic=True)
    for recipient in report.recipients:
        _paragraph(left, f"- {recipient}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11, after=0)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sig = report.signature
    if sig.authority:
        _run(p, sig.authority.upper() + "\n", size=13, bold=True)
    _run(p, (sig.title or "CHÁNH VĂN PHÒNG").upper(), size=13, bold=True)
    _paragraph(right, "\n\n\n" + sig.name, align=WD_ALIGN_PARAGRAPH.CENTER, size=13, bold=True)


def build_docx(report: BriefingReport) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    _header(doc, report)
    _paragraph(doc, "BÁO CÁO", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True, after=0)
    _paragraph(doc, report.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True, after=12)

    totals = report.totals
    scope = report.scope or "các cơ quan, đơn vị"
    _paragraph(doc, "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", bold=True, size=13)
    _paragraph(doc, (
        f"Tính đến {long_date(report.as_of)}, {scope} được giao {totals.assigned} nhiệm vụ có thời hạn trong "
        f"{report.period_label} (từ {report.period_start:%d/%m/%Y} đến {report.period_end:%d/%m/%Y}); "
        f"đã hoàn thành đúng hạn {totals.done_on_time}, hoàn thành quá hạn {totals.done_late}, đang thực hiện "
        f"trong hạn {totals.in_progress}, chưa hoàn thành quá hạn {totals.overdue}; ngoài ra "
        f"{totals.without_deadline} nhiệm vụ không có thời hạn. Tỷ lệ hoàn thành đúng hạn: "
        f"{percent(totals.on_time_rate)} (tính cả nhiệm vụ quá hạn chưa hoàn thành)."
    ), indent=True)
    for note in report.notes:
        _paragraph(doc, note.vi, indent=True, italic=True)
    _paragraph(doc, "1. Kết quả theo cơ quan, đơn vị", bold=True, italic=True)
    _result_table(doc, report)
    _paragraph(doc, after=0)
    if report.results:
        doc.add_picture(io.BytesIO(results_chart(report)), width=Mm(160))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, "2. Nhiệm vụ chưa hoàn thành, quá hạn", bold=True, italic=True)
    if report.overdue:
        _overdue_table(doc, report)
        if len(report.overdue) > MAX_OVERDUE_ROWS:
            _paragraph(doc, f"Danh sách trên gồm {MAX_OVERDUE_ROWS} nhiệm vụ quá hạn lâu nhất trong tổng số "
                            f"{len(report.overdue)} nhiệm vụ; danh sách đầy đủ tại tệp XLSX kèm theo.",
                       italic=True, size=11)
        _paragraph(doc, after=0)
    else:
        _paragraph(doc, "Không có nhiệm vụ quá hạn.", indent=True)
    _paragraph(doc, "3. Chỉ tiêu định lượng", bold=True, italic=True)
    if report.indicators:
        _indicator_table(doc, report)
        _paragraph(doc, after=0)
    else:
        _paragraph(doc, "Không có chỉ tiêu định lượng trong phạm vi báo cáo.", indent=True)
    _paragraph(doc, "II. ĐÁNH GIÁ", bold=True, size=13)
    if report.commended:
        _paragraph(doc, "Các cơ quan, đơn vị thực hiện tốt: " + "; ".join(report.commended) + ".", indent=True)
    if report.criticised:
        _paragraph(doc, "Các cơ quan, đơn vị còn nhiều nhiệm vụ quá hạn: " + "; ".join(report.criticised) + ".",
                   indent=True)
    if report.formula_version:
        _paragraph(doc, f"(Số liệu tính theo công thức phiên bản {report.formula_version}.)", size=11, italic=True)
    _closing(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
