"""First-run set-up of the embedded database, so `dondoc ingest` and `dondoc serve` work on a fresh machine, and
what the management commands share."""

from __future__ import annotations

import argparse
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def ensure_database(*, verbosity: int = 0) -> None:
    """Create the data directory, apply pending migrations and load the agency registry when it is empty."""
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=verbosity)
    from .models import Agency
    from .services import sync_registry

    if not Agency.objects.filter(source=Agency.Source.REGISTRY).exists():
        sync_registry()


class TrackingCommand(BaseCommand):
    """A dondoc management command: the database is made ready (first run: migrated and filled with the agency
    registry) before ``handle`` runs."""

    def execute(self, *args, **options):
        ensure_database()
        return super().execute(*args, **options)


def iso_day(text: str) -> date:
    """An argparse type for the commands' date options (``--as-of 2025-10-05``), refused in both languages."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày «{text}» không hợp lệ, dùng YYYY-MM-DD / "
                                         f"invalid date «{text}», use YYYY-MM-DD") from None
