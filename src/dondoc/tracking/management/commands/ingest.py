"""`dondoc ingest FILE...`: read, extract and store directives as drafts for review."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dondoc.cli import one_line
from dondoc.extract import ExtractionError
from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.services import ingest_path


class Command(TrackingCommand):
    help = "Đọc, trích xuất và lưu văn bản (nhiệm vụ ở trạng thái chờ rà soát) / ingest directives as drafts"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--user", help="username recorded as the one who ingested the files")
        parser.add_argument("--confirm", action="store_true",
                            help="confirm the extracted tasks at once instead of leaving them for review")

    def handle(self, *args, files, user=None, confirm=False, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"không có người dùng «{user}» / no user «{user}»")
        from dondoc.tracking.services import confirm_document

        created = duplicates = failed = tasks = 0
        tty = sys.stderr.isatty() and len(files) > 1
        for n, name in enumerate(files, 1):
            path = Path(name)
            if tty:
                self.stderr.write(f"\r[{n}/{len(files)}] {path.name[:60]:60}", ending="")
            try:
                result = ingest_path(path, actor=actor)
            except ExtractionError as error:
                failed += 1
                self.stderr.write(("\n" if tty else "") + f"dondoc: {one_line(path)}: {one_line(error)}")
                continue
            except OSError as error:
                failed += 1
                self.stderr.write(("\n" if tty else "") + f"dondoc: {one_line(path)}: không đọc được tệp / "
                                  f"cannot read the file ({one_line(error.strerror or error)})")
                continue
            if result.created:
                created += 1
                tasks += len(result.tasks)
                if confirm:
                    confirm_document(result.document, actor=actor)
            else:
                duplicates += 1
                if options["verbosity"] > 1:
                    self.stderr.write(f"dondoc: {one_line(path)}: trùng văn bản đã có / duplicate of "
                                      f"document #{result.document.pk}")
        if tty:
            self.stderr.write("")
        self.stdout.write(
            f"{created} văn bản mới ({tasks} nhiệm vụ {'đã xác nhận' if confirm else 'chờ rà soát'}), "
            f"{duplicates} trùng bỏ qua, {failed} lỗi / {created} new documents ({tasks} tasks), "
            f"{duplicates} duplicates skipped, {failed} failed"
        )
        if failed:
            sys.exit(1)
