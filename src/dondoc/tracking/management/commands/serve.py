"""`dondoc serve`: the web server (gunicorn, several workers) on the configured database."""

from __future__ import annotations

import os
import sys

from django.core.management import call_command

from dondoc.tracking.bootstrap import TrackingCommand


class Command(TrackingCommand):
    help = "Chạy máy chủ web / run the web server (SQLite in DONDOC_DATA_DIR unless DATABASE_URL is set)"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--dev", action="store_true", help="Django's auto-reloading development server")

    def handle(self, *args, bind, workers, dev, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        if dev:
            call_command("runserver", bind)
            return
        self.stdout.write(f"dondoc: http://{bind}/api/docs/  ({workers} workers; Ctrl+C to stop)")
        os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "dondoc.config.wsgi:application",
                                  "--bind", bind, "--workers", str(workers), "--access-logfile", "-"])
