"""Histories for the KPI tests, written through the tracking services (never by hand-made rows) on a clock the test
moves: every service that dates an event "today" dates it on the clock's day."""

from __future__ import annotations

import hashlib
import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dondoc.tracking import services
from dondoc.tracking.models import Agency, AgencyAlias, AgencySuccession, Document, Task
from dondoc.tracking.services import ServiceError

D = date.fromisoformat


class Clock:
    """``timezone.localdate()`` and ``timezone.now()`` answer ``self.day`` (at noon) while it is installed."""

    def __init__(self, monkeypatch, day: date) -> None:
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: self.day)
        monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime.combine(self.day, time(12))))

    @contextmanager
    def at(self, day: date):
        before, self.day = self.day, day
        try:
            yield
        finally:
            self.day = before


_docs = 0


def document(issued: date, issuer: Agency | None = None) -> Document:
    global _docs
    _docs += 1
    text = f"Văn bản thử số {_docs} ngày {issued.isoformat()}"
    return Document.objects.create(number=f"{_docs}/TB-VPCP", type="Thông báo", issuer=issuer, issued_date=issued,
                                   text=text, content_hash=hashlib.sha256(text.encode()).hexdigest())


def task(clock: Clock, *, lead, due: date | None, assigned: date, support=(), confirm: bool = True) -> Task:
    """A task of a new document issued on ``assigned``, reviewed (and confirmed) that day."""
    with clock.at(assigned):
        t = services.add_task(document(assigned), content=f"Nhiệm vụ giao ngày {assigned}", lead=list(lead),
                              support=list(support), due=due)
        if confirm:
            services.confirm_task(t)
    t.refresh_from_db()
    return t


def agency(name: str, parent: Agency | None = None) -> Agency:
    a = Agency.objects.create(name=name, parent=parent, source=Agency.Source.REGISTRY)
    AgencyAlias.objects.create(agency=a, alias=name)
    return a


# ------------------------------------------------------------------------------------------------ random histories


YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def random_history(clock: Clock, org, *, seed: int, start: date = YEAR[0], end: date = YEAR[1],
                   docs_per_week: float = 2.0) -> dict[str, int]:
    """A year of directives and follow-up, drawn from ``seed``: drafts left unreviewed and discarded, corrected
    leads and deadlines, tasks without deadline, co-led tasks, progress and completions (some reported days later
    and dated back), extension requests approved (sometimes to another date, even an earlier one) or refused,
    transfers, withdrawals, reopenings, and two mergers (the fixture's ICT → science on 1/3/2025, and a provincial
    department into another on 1/7/2025, one task led by both)."""
    rng = random.Random(seed)
    dept_ict = agency("Sở Thông tin và Truyền thông tỉnh Lâm Đồng", org.province)
    dept_sci = agency("Sở Khoa học và Công nghệ tỉnh Lâm Đồng", org.province)
    AgencySuccession.objects.create(predecessor=dept_ict, successor=dept_sci, effective_on=D("2025-07-01"))
    pool = [org.finance, org.tax, org.health, org.ict, org.science, org.province, org.provincial_health, dept_ict,
            dept_sci]
    stats = dict.fromkeys(("tasks", "completed", "backdated", "approved", "refused", "transferred", "withdrawn",
                           "reopened", "no_deadline", "co_led", "drafts", "discarded"), 0)
    open_ids: list[int] = []
    floor: dict[int, date] = {}  # the earliest day a completion or progress may be dated back to
    day = start
    while day <= end:
        clock.day = day
        services.apply_successions(day)
        for _ in range(_poisson(rng, docs_per_week / 7)):
            _new_document(clock, rng, pool, day, open_ids, floor, stats)
        for task_id in list(open_ids):
            if rng.random() < 0.08:
                _follow_up(rng, pool, day, task_id, open_ids, floor, stats)
        day += timedelta(days=1)
    return stats


def _poisson(rng: random.Random, mean: float) -> int:
    n, p = 0, rng.random()
    threshold = pow(2.718281828, -mean)
    while p > threshold:
        n += 1
        p *= rng.random()
    return n


def _new_document(clock, rng, pool, day, open_ids, floor, stats) -> None:
    issued = day - timedelta(days=rng.choice((0, 0, 0, 3, 12)))  # some directives reach the system days later
    doc = document(issued)
    made = []
    for _ in range(rng.randint(1, 4)):
        lead = rng.sample(pool, 2 if rng.random() < 0.15 else 1)
        if rng.random() < 0.04:  # the case the merger of 1/7 must not count twice
            lead = [pool[7], pool[8]]
        due = None if rng.random() < 0.2 else issued + timedelta(days=rng.randint(5, 150))
        support = [a for a in rng.sample(pool, rng.randint(0, 2)) if a not in lead]
        made.append(services.add_task(doc, content=f"Nhiệm vụ {rng.random():.6f}", lead=lead, support=support,
                                      due=due))
        stats["tasks"] += 1
        stats["no_deadline"] += due is None
        stats["co_led"] += len(lead) > 1
    if rng.random() < 0.15:
        t = rng.choice(made)
        services.correct_task(t, due=issued + timedelta(days=rng.randint(10, 90)),
                              lead=[rng.choice(pool)])
    if rng.random() < 0.1:
        services.discard_task(made.pop())
        stats["discarded"] += 1
    if rng.random() < 0.06:
        stats["drafts"] += len(made)
        return  # never reviewed
    services.confirm_document(doc)
    for t in made:
        open_ids.append(t.pk)
        floor[t.pk] = issued
    if rng.random() < 0.05:  # a task an agency adds itself, open at once and dated today
        t = services.add_task(doc, content="Nhiệm vụ bổ sung", lead=[rng.choice(pool)], draft=False,
                              due=rng.choice((None, day + timedelta(days=30))))
        open_ids.append(t.pk)
        floor[t.pk] = day
        stats["tasks"] += 1


def _follow_up(rng, pool, day, task_id, open_ids, floor, stats) -> None:
    t = Task.objects.select_related("document").get(pk=task_id)
    r = rng.random()
    try:
        if t.status == "done":
            if r < 0.06:
                services.reopen_task(t, reason="Kết quả chưa đạt yêu cầu")
                floor[task_id] = day
                stats["reopened"] += 1
            return
        if t.status != "open":
            open_ids.remove(task_id)
            return
        pending = t.events.order_by("-seq").values_list("kind", flat=True).filter(
            kind__in=("extension_requested", "extension_approved", "extension_refused", "completed")).first()
        if pending == "extension_requested":
            if rng.random() < 0.7:
                other = None
                if rng.random() < 0.3:
                    base = t.due_date or day
                    other = max(base + timedelta(days=rng.randint(-10, 40)), t.document.issued_date)
                services.decide_extension(t, approve=True, due=other)
                stats["approved"] += 1
            else:
                services.decide_extension(t, approve=False, reason="Không có căn cứ")
                stats["refused"] += 1
        elif r < 0.35:
            back = rng.choice((0, 0, 0, 2, 9))
            on = max(day - timedelta(days=back), floor[task_id])
            services.complete_task(t, on=on, result="Đã hoàn thành")
            stats["completed"] += 1
            stats["backdated"] += on < day
        elif r < 0.6:
            on = max(day - timedelta(days=rng.choice((0, 0, 4))), floor[task_id])
            services.report_progress(t, text="Đang triển khai", percent=rng.randint(0, 90), on=on)
        elif r < 0.8:
            due = (t.due_date or day) + timedelta(days=rng.randint(5, 60))
            services.request_extension(t, due=due, reason="Chờ ý kiến các bộ")
        elif r < 0.87:
            target = rng.choice([a for a in pool if a.pk not in set(t.assignments.filter(
                role="lead", active=True).values_list("agency_id", flat=True))])
            new = services.transfer_task(t, to=[target.pk], reason="Đúng chức năng",
                                         due=rng.choice((None, day + timedelta(days=45))))
            open_ids.remove(task_id)
            open_ids.append(new.pk)
            floor[new.pk] = day
            stats["transferred"] += 1
        elif r < 0.92:
            services.withdraw_task(t, reason="Không còn phù hợp", decision="Thông báo 12/TB-VPCP")
            stats["withdrawn"] += 1
    except ServiceError:
        pass  # e.g. a transfer to the agency already leading: the services refused, nothing was written
