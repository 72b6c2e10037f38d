"""`dondoc tasks`: the tracked tasks as a table in the terminal, filtered like the API's task list."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.management.base import CommandError

from dondoc.tracking import selectors
from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.services import find_agency
from dondoc.tracking.states import Bucket


def _clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, an ellipsis showing where it was cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


class Command(TrackingCommand):
    help = "Liệt kê nhiệm vụ đang theo dõi / list tracked tasks"

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="agency name or abbreviation (its units and predecessors included)")
        parser.add_argument("--state", action="append", choices=[b.value for b in Bucket],
                            help="report bucket (repeatable)")
        parser.add_argument("--today", type=date.fromisoformat, help="judge deadlines as of this day (YYYY-MM-DD)")
        parser.add_argument("--drafts", action="store_true", help="include tasks still waiting for review")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args, agency=None, state=None, today=None, drafts=False, limit=50, **options):
        scope = None
        if agency:
            scope = find_agency(agency)
            if scope is None:
                near = ", ".join(selectors.closest_agencies(agency)) or "—"
                raise CommandError(f"không có cơ quan «{agency}»; gần nhất: {near} / no agency «{agency}»")
        found = selectors.tasks(selectors.TaskFilter(agency=scope, buckets=tuple(state or ()),
                                                     include_drafts=drafts), today=today)
        rows = list(found[:limit])
        names = selectors.lead_names([t.pk for t in rows])
        labels = dict(Bucket.choices)
        for task in rows:
            due = task.due_date.strftime("%d/%m/%Y") if task.due_date else "—"
            lead = "; ".join(a["name"] for a in names[task.pk]["lead"]) or "—"
            self.stdout.write(f"#{task.pk:<6} {due:>10}  {labels[task.bucket]:<26} {_clip(lead, 40):<40} "
                              f"{_clip(task.content, 70)}")
        counts = Counter(found.values_list("bucket", flat=True))
        summary = ", ".join(f"{labels[b]}: {n}" for b, n in sorted(counts.items()))
        shown = f" (hiện {len(rows)} / showing {len(rows)})" if len(rows) < sum(counts.values()) else ""
        self.stdout.write(f"{sum(counts.values())} nhiệm vụ / tasks{shown}. {summary}")
