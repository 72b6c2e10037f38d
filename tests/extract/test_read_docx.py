"""Word .docx: paragraphs and tables in document order, each table row as one pipe line."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from dondoc.extract.read import read_bytes, read_document

VML = "urn:schemas-microsoft-com:vml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph_table_paragraph() -> bytes:
    document = docx.Document()
    document.add_paragraph("Căn cứ kết quả kiểm tra, Ủy ban nhân dân tỉnh giao nhiệm vụ như sau:")
    table = document.add_table(rows=3, cols=3)
    for column, heading in enumerate(["Nhiệm vụ", "Chủ trì", "Thời hạn"]):
        table.cell(0, column).text = heading
    table.cell(1, 0).text = "Rà soát hồ sơ đất đai"
    table.cell(1, 1).text = "Sở Tài nguyên"
    table.cell(1, 1).add_paragraph("và Môi trường")  # a cell's second paragraph joins its first
    table.cell(1, 2).text = "Quý III/2024"
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Tổng hợp báo cáo chung"
    table.cell(2, 2).text = "31/12/2024"
    document.add_paragraph("Yêu cầu các đơn vị nghiêm túc thực hiện.")
    return _save(document)


def test_paragraphs_and_table_rows_come_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "giao-nhiem-vu.docx"
    path.write_bytes(_paragraph_table_paragraph())
    assert read_document(path).split("\n") == [
        "Căn cứ kết quả kiểm tra, Ủy ban nhân dân tỉnh giao nhiệm vụ như sau:",
        "| Nhiệm vụ | Chủ trì | Thời hạn |",
        "| Rà soát hồ sơ đất đai | Sở Tài nguyên và Môi trường | Quý III/2024 |",
        "| Tổng hợp báo cáo chung | 31/12/2024 |",  # the merged cell once, not twice
        "Yêu cầu các đơn vị nghiêm túc thực hiện.",
    ]


def test_the_suffix_is_case_insensitive() -> None:
    assert read_bytes(_paragraph_table_paragraph(), suffix=".DOCX").startswith("Căn cứ")


def test_a_docx_named_doc_is_read_as_docx() -> None:
    assert read_bytes(_paragraph_table_paragraph(), suffix=".doc").startswith("Căn cứ")


def test_tracked_insertions_are_read_and_deletions_are_not() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Giao Sở Nội vụ ")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:t>chủ trì</w:t></w:r></w:ins>"
    ))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:delText> phối hợp</w:delText></w:r></w:del>"
    ))
    assert read_bytes(_save(document), suffix=".docx") == "Giao Sở Nội vụ chủ trì"


def test_a_text_box_is_read_where_it_stands() -> None:
    document = docx.Document()
    anchor = document.add_paragraph("Trước hộp chữ")
    anchor._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="{VML}"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Nơi nhận: như trên</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    ))
    document.add_paragraph("Sau hộp chữ")
    assert read_bytes(_save(document), suffix=".docx").split("\n") == [
        "Trước hộp chữ", "Nơi nhận: như trên", "Sau hộp chữ"
    ]


def test_a_modern_text_box_is_read_once_not_again_from_its_fallback_copy() -> None:
    document = docx.Document()
    box = "<w:txbxContent><w:p><w:r><w:t>Số: 15/KH-UBND</w:t></w:r></w:p></w:txbxContent>"
    document.add_paragraph("Kế hoạch")._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="{MC}" xmlns:wps="{WPS}" xmlns:v="{VML}"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing>'
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    ))
    assert read_bytes(_save(document), suffix=".docx").split("\n") == ["Kế hoạch", "Số: 15/KH-UBND"]


def test_a_docx_typed_in_a_vni_font_is_converted() -> None:
    # Word keeps what was typed in a VNI font as Latin-1 letters; only the font drew them as Vietnamese.
    document = docx.Document()
    document.add_paragraph("Giao Sôû Coâng Thöông chuû trì thöïc hieän")
    assert read_bytes(_save(document), suffix=".docx") == "Giao Sở Công Thương chủ trì thực hiện"
