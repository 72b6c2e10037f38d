"""End-to-end tests of ``dondoc extract``: what a user sees on stdout, on stderr and in ``--out`` files.

The command runs in-process through ``dondoc.cli.main``; one test runs the installed console script.
The directives below are written for these tests.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import random
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from dondoc import __version__
from dondoc.cli import main
from dondoc.extract import pipeline  # imported up front so timings below measure reading, not importing
from dondoc.extract.read import pdf as pdf_reader

CONG_VAN = """\
ỦY BAN NHÂN DÂN
TỈNH KHÁNH HÒA
Số: 215/UBND-KGVX
V/v tăng cường phòng, chống dịch sốt xuất huyết

Khánh Hòa, ngày 12 tháng 3 năm 2026

Kính gửi:
- Sở Y tế;
- Sở Tài chính;
- Sở Giáo dục và Đào tạo;
- Ủy ban nhân dân các xã, phường.

Thực hiện Công văn số 87/BYT-DP ngày 20/02/2026 của Bộ Y tế về phòng, chống dịch bệnh mùa mưa, \
Ủy ban nhân dân tỉnh yêu cầu:

1. Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát nhu cầu hóa chất, vật tư phòng dịch, \
tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí trước ngày 30/6/2026.

2. Sở Giáo dục và Đào tạo hướng dẫn các trường học tổ chức tổng vệ sinh môi trường; \
báo cáo kết quả về Sở Y tế trước ngày 25 hằng tháng.

3. Ủy ban nhân dân các xã, phường tổ chức chiến dịch diệt lăng quăng, hoàn thành trong tháng 4 năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
"""

# A report of past work: background and figures, nothing assigned.
THONG_BAO_NO_TASKS = """\
SỞ NỘI VỤ TỈNH KHÁNH HÒA
Số: 41/TB-SNV
THÔNG BÁO
Kết quả hội nghị tổng kết công tác năm 2025

Sáng ngày 06/01/2026, Sở Nội vụ đã tổ chức hội nghị tổng kết công tác năm 2025. Năm qua, toàn ngành \
hoàn thành 28/30 chỉ tiêu được giao; số hồ sơ giải quyết đúng hạn đạt 98,5%. Hội nghị đánh giá cao \
sự nỗ lực của cán bộ, công chức trong ngành.
"""

SPEC_TASK_KEYS = {"quote", "lead", "support", "deadline", "recurrence"}

# (lead, support, deadline date, deadline text, recurrence) of each task of CONG_VAN, in order.
CONG_VAN_TASKS = [
    (["Sở Y tế"], ["Sở Tài chính"], "2026-06-30", "trước ngày 30/6/2026", None),
    (["Sở Giáo dục và Đào tạo"], [], "2026-03-25", "trước ngày 25 hằng tháng", "monthly"),
    (["Ủy ban nhân dân các xã, phường"], [], "2026-04-30", "trong tháng 4 năm 2026", None),
]


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> Run:
    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)


@pytest.fixture
def cong_van(tmp_path: Path) -> Path:
    path = tmp_path / "cong-van-215.txt"
    path.write_text(CONG_VAN, encoding="utf-8")
    return path


@pytest.fixture
def thong_bao(tmp_path: Path) -> Path:
    path = tmp_path / "thong-bao-41.txt"
    path.write_text(THONG_BAO_NO_TASKS, encoding="utf-8")
    return path


# ---------------------------------------------------------------- good input


def test_one_file_prints_one_json_object_with_the_spec_fields(capsys, cong_van):
    run = run_cli(capsys, "extract", cong_van)

    assert (run.status, run.err) == (0, "")
    result = json.loads(run.out)
    assert isinstance(result, dict)
    assert result["source"] == str(cong_van)
    assert result["document"] == {
        "number": "215/UBND-KGVX",
        "type": "Công văn",
        "issuer": "Ủy ban nhân dân tỉnh Khánh Hòa",
        "issued_date": "2026-03-12",
        "title": "V/v tăng cường phòng, chống dịch sốt xuất huyết",
    }
    for task in result["tasks"]:
        assert SPEC_TASK_KEYS | {"span", "confidence"} <= task.keys()
        assert 0 < task["confidence"] <= 1
    assert [(c["type"], c["number"], c["issued_date"]) for c in result["citations"]] == [
        ("Công văn", "87/BYT-DP", "2026-02-20")
    ]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(CONG_VAN_TASKS)))
def test_each_numbered_item_is_a_task_with_its_lead_support_and_deadline(capsys, cong_van, index, expected):
    tasks = json.loads(run_cli(capsys, "extract", cong_van).out)["tasks"]
    assert len(tasks) == len(CONG_VAN_TASKS)

    task = tasks[index]
    lead, support, due_date, due_text, recurrence = expected
    assert (task["lead"], task["support"]) == (lead, support)
    assert task["deadline"] == {"date": due_date, "text": due_text}
    assert task["recurrence"] == recurrence


def test_a_task_quotes_the_file_verbatim_at_its_span(capsys, cong_van):
    tasks = json.loads(run_cli(capsys, "extract", cong_van).out)["tasks"]

    for task in tasks:
        start, end = task["span"]
        assert CONG_VAN[start:end] == task["quote"]
        assert task["quote"].startswith(task["lead"][0])


def test_several_files_print_a_json_array_in_the_order_given(capsys, cong_van, thong_bao):
    run = run_cli(capsys, "extract", thong_bao, cong_van)

    assert run.status == 0
    results = json.loads(run.out)
    assert [r["source"] for r in results] == [str(thong_bao), str(cong_van)]
    assert [r["document"]["number"] for r in results] == ["41/TB-SNV", "215/UBND-KGVX"]


def test_a_document_with_no_tasks_gives_an_empty_task_list(capsys, thong_bao):
    run = run_cli(capsys, "extract", thong_bao)

    assert (run.status, run.err) == (0, "")
    result = json.loads(run.out)
    assert result["tasks"] == []
    assert result["document"]["type"] == "Thông báo"


def test_out_writes_one_json_file_per_input_and_prints_nothing(capsys, tmp_path, cong_van, thong_bao):
    out = tmp_path / "ket-qua" / "dot-1"  # created, parents too

    run = run_cli(capsys, "extract", cong_van, thong_bao, "--out", out)

    assert (run.status, run.out, run.err) == (0, "", "")
    assert sorted(p.name for p in out.iterdir()) == ["cong-van-215.json", "thong-bao-41.json"]
    written = json.loads((out / "cong-van-215.json").read_text(encoding="utf-8"))
    assert written["document"]["number"] == "215/UBND-KGVX"
    assert [t["lead"] for t in written["tasks"]] == [lead for lead, *_ in CONG_VAN_TASKS]


def test_out_keeps_both_results_when_two_files_share_a_stem(capsys, tmp_path):
    first, second = tmp_path / "quan-1" / "cv.txt", tmp_path / "quan-2" / "cv.md"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(CONG_VAN, encoding="utf-8")
    out = tmp_path / "out"

    run = run_cli(capsys, "extract", first, second, "--out", out)

    assert run.status == 0
    sources = {p.name: json.loads(p.read_text(encoding="utf-8"))["source"] for p in out.iterdir()}
    assert sources == {"cv.json": str(first), "cv-2.json": str(second)}


def test_out_that_is_a_file_is_one_line_error(capsys, tmp_path, cong_van):
    not_a_directory = tmp_path / "ket-qua.json"
    not_a_directory.write_text("{}", encoding="utf-8")

    run = run_cli(capsys, "extract", cong_van, "--out", not_a_directory)

    assert run.status == 2
    assert run.out == ""
    assert len(run.err_lines) == 1
    assert "thư mục kết quả" in run.err and "output directory" in run.err


def test_format_text_prints_readable_lines(capsys, cong_van):
    run = run_cli(capsys, "extract", "--format", "text", cong_van)

    assert (run.status, run.err) == (0, "")
    lines = [line.strip() for line in run.out.splitlines()]
    assert lines[0] == "== cong-van-215.txt"
    assert "Công văn 215/UBND-KGVX · Ủy ban nhân dân tỉnh Khánh Hòa · 12/03/2026" in lines
    assert "3 nhiệm vụ / tasks" in lines
    for expected in (
        "1. Chủ trì: Sở Y tế",
        "Phối hợp: Sở Tài chính",
        "Thời hạn: 30/06/2026 «trước ngày 30/6/2026»",
        "Thời hạn: 25/03/2026 «trước ngày 25 hằng tháng» (hằng tháng)",
        "3. Chủ trì: Ủy ban nhân dân các xã, phường",
    ):
        assert expected in lines


def test_format_text_with_out_is_a_usage_error(capsys, tmp_path, cong_van):
    with pytest.raises(SystemExit) as stopped:
        main(["extract", "--format", "text", "--out", str(tmp_path / "out"), str(cong_van)])

    assert stopped.value.code == 2
    assert "--out" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_json_is_utf8_even_when_the_locale_is_not(capsys, monkeypatch, cong_van):
    ascii_stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", ascii_stdout)

    assert main(["extract", str(cong_van)]) == 0

    ascii_stdout.flush()
    result = json.loads(ascii_stdout.buffer.getvalue().decode("utf-8"))
    assert result["tasks"][0]["lead"] == ["Sở Y tế"]


# ---------------------------------------------------------------- bad input


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "trong.txt"
    path.write_bytes(b"")
    return path


def _binary_junk(tmp_path: Path) -> Path:
    path = tmp_path / "rac.txt"
    path.write_bytes(random.Random(2026).randbytes(4096))
    return path


def _docx_zipping_something_else(tmp_path: Path) -> Path:
    path = tmp_path / "khong-phai-word.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ghi-chu.txt", "Danh sách cán bộ tham dự hội nghị")
    return path


def _corrupt_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + bytes(range(256)))
    return path


def _blank_page_pdf(tmp_path: Path) -> Path:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4, nothing drawn: a scan's missing text layer
    path = tmp_path / "ban-quet.pdf"
    with path.open("wb") as file:
        writer.write(file)
    return path


def _sparse_500_mb(tmp_path: Path) -> Path:
    path = tmp_path / "qua-lon.txt"
    with path.open("wb") as file:
        file.truncate(500 * 1024 * 1024)  # sparse: no disk used, nothing to read unless someone reads it
    return path


def _unknown_extension(tmp_path: Path) -> Path:
    path = tmp_path / "bien-ban.xyz"
    path.write_text("Biên bản họp", encoding="utf-8")
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "khong-co.txt"


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "thu-muc.docx"
    path.mkdir()
    return path


# (make the bad input, a fragment of the Vietnamese message, a fragment of the English one)
BAD_INPUTS = {
    "empty file": (_empty, "không có chữ", "has no text"),
    "binary junk": (_binary_junk, "không phải văn bản", "is not a text file"),
    "docx zipping something else": (_docx_zipping_something_else, "không phải tệp Word .docx", "not a valid Word"),
    "corrupt pdf": (_corrupt_pdf, "PDF hỏng", "damaged or unreadable PDF"),
    "pdf without text layer": (_blank_page_pdf, "không có lớp chữ", "no text layer"),
    "too large": (_sparse_500_mb, "quá lớn", "too large"),
    "unknown extension": (_unknown_extension, "chưa được hỗ trợ", "not a supported format"),
    "missing path": (_missing, "Không tìm thấy", "not found"),
    "directory": (_directory, "là một thư mục", "is a directory"),
}


@pytest.fixture
def no_ocr_tools(monkeypatch):
    """pdftoppm and tesseract look uninstalled, whatever this machine has."""
    real_which = pdf_reader.shutil.which

    def which(name, *args, **kwargs):
        return None if name in {"pdftoppm", "tesseract"} else real_which(name, *args, **kwargs)

    monkeypatch.setattr(pdf_reader.shutil, "which", which)


def _assert_one_bilingual_line(run: Run, bad: Path, vi: str, en: str) -> None:
    assert run.status == 1
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith(f"dondoc: {bad}: ")
    assert vi in line and en in line
    assert "Traceback" not in run.err


@pytest.mark.usefixtures("no_ocr_tools")
@pytest.mark.parametrize(("make", "vi", "en"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_file_is_one_bilingual_line_and_the_good_file_is_still_printed(capsys, tmp_path, cong_van,
                                                                           make, vi, en):
    bad = make(tmp_path)

    run = run_cli(capsys, "extract", bad, cong_van)

    _assert_one_bilingual_line(run, bad, vi, en)
    results = json.loads(run.out)
    assert [r["source"] for r in results] == [str(cong_van)]
    assert results[0]["tasks"][0]["lead"] == ["Sở Y tế"]


@pytest.mark.usefixtures("no_ocr_tools")
@pytest.mark.parametrize(("make", "vi", "en"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_file_is_one_bilingual_line_and_the_good_file_is_still_written(capsys, tmp_path, cong_van,
                                                                           make, vi, en):
    bad, out = make(tmp_path), tmp_path / "out"

    run = run_cli(capsys, "extract", cong_van, bad, "--out", out)

    _assert_one_bilingual_line(run, bad, vi, en)
    assert run.out == ""
    assert [p.name for p in out.iterdir()] == ["cong-van-215.json"]


def test_too_large_file_is_refused_from_its_size_without_reading_it(capsys, tmp_path, monkeypatch):
    big = _sparse_500_mb(tmp_path)
    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, str | os.PathLike) else repr(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(io, "open", watching_open)

    run = run_cli(capsys, "extract", big)

    assert run.status == 1
    assert "500.0 MB" in run.err
    assert str(big) not in opened


def test_one_failed_file_prints_nothing_on_stdout(capsys, tmp_path):
    run = run_cli(capsys, "extract", tmp_path / "khong-co.txt")

    assert (run.status, run.out) == (1, "")
    assert len(run.err_lines) == 1


def test_several_files_all_failing_print_an_empty_array(capsys, tmp_path):
    run = run_cli(capsys, "extract", tmp_path / "a.txt", tmp_path / "b.txt")

    assert run.status == 1
    assert json.loads(run.out) == []
    assert len(run.err_lines) == 2


def test_an_internal_error_is_one_line_and_the_other_files_go_on(capsys, monkeypatch, cong_van, thong_bao):
    real_extract = pipeline.extract

    def extract_failing_on_thong_bao(source, **kwargs):
        if Path(source) == thong_bao:
            raise RuntimeError("chỉ số vượt phạm vi\nở dòng 12")  # a message of two lines
        return real_extract(source, **kwargs)

    monkeypatch.setattr(pipeline, "extract", extract_failing_on_thong_bao)

    run = run_cli(capsys, "extract", thong_bao, cong_van)

    assert run.status == 1
    assert len(run.err_lines) == 1
    assert "lỗi nội bộ" in run.err and "internal error" in run.err and "dòng 12" in run.err
    assert [r["source"] for r in json.loads(run.out)] == [str(cong_van)]


# ---------------------------------------------------------------- the command itself


def test_no_command_prints_help_and_exits_2(capsys):
    run = run_cli(capsys)

    assert run.status == 2
    assert run.err.startswith("usage: dondoc")
    assert "extract" in run.err


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])

    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"dondoc {__version__}"


def test_installed_console_script_extracts_and_reports(tmp_path, cong_van):
    script = Path(sys.executable).with_name("dondoc")
    assert script.is_file(), "install the package (pip install -e .) to get the dondoc command"

    done = subprocess.run([script, "extract", cong_van, tmp_path / "khong-co.txt"],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)

    assert done.returncode == 1
    assert [r["tasks"][0]["lead"] for r in json.loads(done.stdout)] == [["Sở Y tế"]]
    assert len(done.stderr.splitlines()) == 1
    assert "Không tìm thấy" in done.stderr and "not found" in done.stderr
