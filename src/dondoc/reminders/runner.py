"""One reminder pass: next occurrences of recurring tasks, then the windows tasks entered (queued), then delivery.

``run_pass`` is what ``dondoc remind`` calls once (cron, a systemd timer) or in a loop (``--loop``). Any number of
passes may run at once, on one machine or several: the database's unique constraints and conditional UPDATEs
(see ``models`` and ``delivery``) make each reminder go out once.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from dondoc.extract.workdays import is_working_day

from .conf import Config, get_config
from .delivery import DeliveryResult, deliver, new_token
from .models import Notification
from .queue import QueueResult, queue
from .recurrence import RecurrenceResult, create_next_occurrences


def worker_name() -> str:
    return f"{socket.gethostname()[:24]}:{os.getpid()}"


@dataclass
class PassResult:
    today: date
    dry_run: bool = False
    skipped_day: bool = False  # a non-working day with SKIP_NON_WORKING_DAYS
    occurrences: RecurrenceResult = field(default_factory=RecurrenceResult)
    queued: QueueResult = field(default_factory=QueueResult)
    delivered: DeliveryResult = field(default_factory=DeliveryResult)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """Bilingual lines for the command's output."""
        day = self.today.strftime("%d/%m/%Y")
        q, d, o = self.queued, self.delivered, self.occurrences
        total = sum(self.seconds.values())
        lines = []
        if self.skipped_day:
            lines.append(f"{day} không phải ngày làm việc: không xếp lượt nhắc mới / not a working day: "
                         "no new reminders queued")
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(q.by_kind.items()))
        if self.dry_run:
            lines.append(f"[thử / dry run] {day}: sẽ xếp {q.notifications} thông báo cho {q.reminders} lượt nhắc, "
                         f"tạo ít nhất {len(o.created)} kỳ tiếp theo / would queue {q.notifications} notifications for "
                         f"{q.reminders} reminders, create at least {len(o.created)} next occurrences"
                         + (f" ({kinds})" if kinds else ""))
            return lines
        lines.append(
            f"{day}: {q.notifications} thông báo mới xếp hàng ({q.reminders} lượt nhắc), {d.sent} đã gửi, "
            f"{d.retrying} gửi lỗi sẽ thử lại, {d.failed} thất bại / {q.notifications} notifications queued "
            f"({q.reminders} reminders), {d.sent} sent, {d.retrying} failed and retrying, {d.failed} failed "
            f"({total:.2f} s)" + (f" [{kinds}]" if kinds else ""))
        if o.created or o.waiting:
            lines.append(f"{len(o.created)} kỳ tiếp theo của nhiệm vụ định kỳ đã tạo / next occurrences of recurring "
                         f"tasks created" + (" (còn nữa ở lượt sau / more in the next pass)" if o.waiting else ""))
        if q.without_recipients:
            lines.append(f"{q.without_recipients} lượt nhắc không có người nhận: cơ quan chủ trì chưa có đầu mối "
                         f"/ reminders without recipients: the lead agency has no focal point")
        if d.cancelled:
            lines.append(f"{d.cancelled} thông báo không gửi nữa vì nhiệm vụ đã thay đổi / notifications cancelled "
                         "because the task changed")
        if d.released:
            lines.append(f"{d.released} thông báo bị bỏ dở đã trả lại hàng đợi / abandoned notifications requeued")
        return lines

    @property
    def problems(self) -> list[str]:
        return [*self.occurrences.problems, *self.delivered.problems]


def run_pass(today: date | None = None, *, now: datetime | None = None, dry_run: bool = False,
             worker: str | None = None, config: Config | None = None) -> PassResult:
    config = config or get_config()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    worker = worker or worker_name()
    result = PassResult(today=today, dry_run=dry_run)

    started = time.perf_counter()
    result.occurrences = create_next_occurrences(today, config, dry_run=dry_run)
    result.seconds["occurrences"] = time.perf_counter() - started

    started = time.perf_counter()
    if config.SKIP_NON_WORKING_DAYS and not is_working_day(today):
        result.skipped_day = True
    else:
        result.queued = queue(today, config, token=new_token(worker), now=now, dry_run=dry_run)
    result.seconds["queue"] = time.perf_counter() - started

    if not dry_run:
        started = time.perf_counter()
        result.delivered = deliver(now, today, config, worker, result.queued.facts)
        result.seconds["deliver"] = time.perf_counter() - started
    return result


def requeue_failed(now: datetime | None = None) -> int:
    """Give notifications that failed for good another round of attempts (after fixing the mail server, adding
    an e-mail address...)."""
    now = now or timezone.now()
    return Notification.objects.filter(state=Notification.State.FAILED).update(
        state=Notification.State.PENDING, attempts=0, next_attempt_at=now, claimed_by="")
