"""`dondoc remind`: one reminder pass (for cron or a systemd timer), or passes every ``--interval`` seconds with
``--loop`` until SIGTERM/SIGINT (the pass under way finishes first), in the manner of healthchecks' ``sendalerts``.

    dondoc remind [--loop] [--interval 60] [--today YYYY-MM-DD] [--dry-run] [--retry-failed]

Exit status 1 when a one-off pass left notifications failed for good (after MAX_ATTEMPTS, or an error retrying
cannot fix); failures that will be retried are reported but are not an error.
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import date

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection

from dondoc.reminders.conf import ConfigError, get_config
from dondoc.reminders.runner import requeue_failed, run_pass
from dondoc.tracking.bootstrap import TrackingCommand


class Command(TrackingCommand):
    help = ("Đôn đốc: nhắc nhiệm vụ sắp đến hạn, quá hạn, chưa cập nhật qua thư điện tử và webhook / send reminders "
            "of tasks due soon, overdue or without progress by e-mail and webhooks")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, one pass every --interval seconds")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between passes with --loop (60)")
        parser.add_argument("--today", type=date.fromisoformat,
                            help="judge deadlines as of this day (YYYY-MM-DD; default: today)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be queued; write and send nothing")
        parser.add_argument("--retry-failed", action="store_true",
                            help="give notifications that failed for good another round of attempts first")
        parser.add_argument("--passes", type=int, default=None, help="with --loop, stop after this many passes")

    def handle(self, *args, loop=False, interval=60.0, today=None, dry_run=False, retry_failed=False, passes=None,
               **options):
        try:
            get_config()
        except ConfigError as error:
            raise CommandError(str(error)) from None
        self.stopping = False
        if loop and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        if retry_failed and not dry_run:
            n = requeue_failed()
            self.stdout.write(f"{n} thông báo thất bại được gửi lại / failed notifications requeued")
        if loop:
            self.stdout.write(f"dondoc remind chạy mỗi {interval:g} giây / running every {interval:g} s")
        done = 0
        while True:
            if not connection.in_atomic_block:  # (inside a test's transaction there is nothing to refresh)
                close_old_connections()  # a connection older than CONN_MAX_AGE or broken is reopened between passes
            try:
                result = run_pass(today, dry_run=dry_run)
            except DatabaseError as error:
                message = f"lỗi cơ sở dữ liệu, lượt nhắc dừng / database error, pass stopped: {error}"
                if not loop:
                    raise CommandError(message) from error
                self.stderr.write(message)
            else:
                for line in result.summary():
                    self.stdout.write(line)
                for problem in result.problems:
                    self.stderr.write(problem)
            done += 1
            if not loop or self.stopping or (passes is not None and done >= passes):
                break
            self._sleep(interval)
        if loop:
            self.stdout.write("dondoc remind đã dừng / stopped")
        elif not dry_run and result.delivered.failed:
            raise CommandError(f"{result.delivered.failed} thông báo gửi thất bại, không thử lại nữa / notifications "
                               "failed for good (dondoc remind --retry-failed gives them another round)")

    def _stop(self, signum, frame):
        self.stdout.write(f"{signal.strsignal(signum)}: dừng sau lượt này / stopping after this pass")
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.5, end - time.monotonic()))
