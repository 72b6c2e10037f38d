"""The tracking service's commands as users run them: `dondoc ingest`, `verify_events`, `export_corrections`."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from dondoc.extract import extract_text
from dondoc.tracking import services
from dondoc.tracking.models import Document, Event

pytestmark = pytest.mark.django_db


def test_ingest_summarises_created_duplicate_and_failed_files(org, directive_text, tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    good = tmp_path / "cong-van.txt"
    good.write_text(directive_text, encoding="utf-8")
    copy = tmp_path / "ban-sao.txt"
    copy.write_text(directive_text, encoding="utf-8")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest", str(good), str(copy), str(empty))
    out, err = capsys.readouterr()
    assert exit_.value.code == 1
    assert "1 văn bản mới (3 nhiệm vụ chờ rà soát), 1 trùng bỏ qua, 1 lỗi" in out
    assert "rong.txt" in err and "Traceback" not in err
    assert Document.objects.count() == 1


def test_ingest_can_confirm_at_once(org, directive_text, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    path = tmp_path / "cv.txt"
    path.write_text(directive_text, encoding="utf-8")
    call_command("ingest", str(path), "--confirm")
    assert set(Document.objects.get().tasks.values_list("status", flat=True)) == {"open"}


def test_verify_events_finds_a_rewritten_event(org, directive_text, capsys):
    result = services.ingest_directive(extract_text(directive_text))
    services.confirm_document(result.document)
    call_command("verify_events")
    assert "6 sự kiện, chuỗi băm nguyên vẹn" in capsys.readouterr().out
    # someone edits history behind the service's back
    Event.objects.filter(seq=2).update(data={"content": "nội dung khác", "lead": [], "draft": True})
    with pytest.raises(SystemExit):
        call_command("verify_events")
    assert "event 2: content does not match its hash" in capsys.readouterr().err


def test_verify_events_finds_a_deleted_event(org, directive_text, capsys):
    result = services.ingest_directive(extract_text(directive_text))
    services.confirm_document(result.document)
    Event.objects.filter(seq=4).delete()
    with pytest.raises(SystemExit):
        call_command("verify_events")
    err = capsys.readouterr().err
    assert "event 4 is missing" in err and "does not follow the previous event's hash" in err


def test_reviewed_documents_export_in_the_extraction_format(org, directive_text, tmp_path):
    result = services.ingest_directive(extract_text(directive_text))
    first = result.document.tasks.order_by("source_start").first()
    services.correct_task(first, lead=["Bộ Tài chính"])
    services.confirm_document(result.document)
    call_command("export_corrections", str(tmp_path), "--corrected-only")
    stem = f"doc-{result.document.pk:06d}"
    exported = json.loads((tmp_path / f"{stem}.json").read_text(encoding="utf-8"))
    assert (tmp_path / f"{stem}.txt").read_text(encoding="utf-8") == result.document.text
    assert exported["document"]["number"] == "1234/BTC-CNTT"
    assert [t["lead"] for t in exported["tasks"]] == [["Bộ Tài chính"], ["Bộ Y tế"], ["Cục Thuế"]]
    assert exported["tasks"][0]["deadline"] == {"date": "2026-06-30", "text": "trước ngày 30/6/2026"}
    assert exported["tasks"][2]["recurrence"] == "quarterly"


def test_the_dondoc_command_sets_up_a_fresh_data_directory_itself(tmp_path):
    env = {"DONDOC_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "dondoc.cli", "verify_events"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "0 sự kiện, chuỗi băm nguyên vẹn" in done.stdout
    assert (tmp_path / "data" / "dondoc.sqlite3").exists()


def test_tasks_lists_an_agencys_tasks_with_their_state_and_suggests_names_for_unknown_ones(org, directive_text,
                                                                                         capsys):
    services.confirm_document(services.ingest_directive(extract_text(directive_text)).document)
    call_command("tasks", "--agency", "Bộ Tài chính", "--today", "2026-07-01")
    out = capsys.readouterr().out
    assert "30/06/2026  Chưa hoàn thành, quá hạn   Cục Thuế" in out  # Cục Thuế is a unit of Bộ Tài chính
    assert "2 nhiệm vụ / tasks. Chưa đến hạn: 1, Chưa hoàn thành, quá hạn: 1" in out
    rows = [line for line in out.splitlines() if line.startswith("#")]
    assert rows and all(len(line) <= 160 for line in rows)
    assert any(line.endswith("…") for line in rows)  # a long content is cut where the ellipsis shows
    with pytest.raises(Exception, match="gần nhất: Bộ Tài chính"):
        call_command("tasks", "--agency", "Bộ Tài chánh")
