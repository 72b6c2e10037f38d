"""A task's state as pure functions of its events: no database, no clock.

``apply`` is the one place a change of state is written; ``services`` uses it to keep a task's cached columns in
step with the event it appends, and ``replay`` uses it to rebuild the state on any past day from the events alone.

The buckets follow how Vietnamese offices report (Quyết định 42/2014/QĐ-TTg and the reports built on it):
chưa đến hạn / đang thực hiện trong hạn / quá hạn; hoàn thành đúng hạn / hoàn thành quá hạn; không tiếp tục thực
hiện (withdrawn) and đã chuyển (transferred). "Done on time" is judged against the deadline in force on the day
the task was finished, so an approved extension counts, and one approved afterwards does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bucket(models.TextChoices):
    DRAFT = "draft", _("Chờ rà soát")
    NOT_DUE = "not_due", _("Chưa đến hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện trong hạn")
    OVERDUE = "overdue", _("Chưa hoàn thành, quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    WITHDRAWN = "withdrawn", _("Không tiếp tục thực hiện")
    TRANSFERRED = "transferred", _("Đã chuyển")
    DISCARDED = "discarded", _("Đã loại khi rà soát")


OPEN_BUCKETS = (Bucket.NOT_DUE, Bucket.IN_PROGRESS, Bucket.OVERDUE)
EDITABLE_FIELDS = ("content", "lead", "support", "due", "deadline_text", "recurrence")


class TransitionError(ValueError):
    """An event that the task's state does not allow (an extension for a finished task...)."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code, self.vi, self.en = code, vi, en


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What events say about a task at one moment. Agency ids, dates as ``date``."""

    status: str = "draft"  # draft | open | done | withdrawn | transferred | discarded (Task.Status)
    content: str = ""
    lead: tuple[int, ...] = ()
    support: tuple[int, ...] = ()
    original_due: date | None = None
    due: date | None = None
    deadline_text: str = ""
    recurrence: str = ""
    done_on: date | None = None
    done_late: bool | None = None
    progress_percent: int = 0
    last_progress_on: date | None = None
    extensions: int = 0
    pending_extension: date | None = None
    history: tuple[str, ...] = field(default=(), repr=False)  # event kinds applied, oldest first

    def bucket(self, day: date) -> Bucket:
        """The report bucket on ``day`` (at the end of that day)."""
        if self.status == "done":
            return Bucket.DONE_LATE if self.done_late else Bucket.DONE_ON_TIME
        if self.status != "open":
            return Bucket(self.status)
        if self.due is not None and day > self.due:
            return Bucket.OVERDUE
        return Bucket.IN_PROGRESS if self.last_progress_on is not None else Bucket.NOT_DUE


def _day(value: Any) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(value)


def _ids(value: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(v) for v in value)


def _refuse(code: str, vi: str, en: str):
    raise TransitionError(code, vi, en)


def _require_open(s: Snapshot, what_vi: str, what_en: str) -> None:
    if s.status != "open":
        _refuse("task_not_open", f"Nhiệm vụ không còn đang thực hiện, không thể {what_vi}.",
                f"The task is not open; cannot {what_en}.")


def apply(s: Snapshot, kind: str, on: date, data: Mapping[str, Any]) -> Snapshot:
    """The state after one event, or TransitionError when the event is not allowed in state ``s``."""
    history = (*s.history, kind)
    if kind == "created":
        due = _day(data.get("due"))
        return Snapshot(
            status="draft" if data.get("draft", True) else "open",
            content=data.get("content", ""), lead=_ids(data.get("lead", ())), support=_ids(data.get("support", ())),
            original_due=due, due=due, deadline_text=data.get("deadline_text", ""),
            recurrence=data.get("recurrence") or "", history=history,
        )
    if kind == "corrected":
        if s.status != "draft":
            _refuse("task_confirmed", "Nhiệm vụ đã xác nhận; hãy dùng gia hạn hoặc chuyển giao để thay đổi.",
                    "The task is confirmed; use an extension or a transfer to change it.")
        changes: dict[str, Any] = {}
        for name, value in data.get("changes", {}).items():
            after = value[1]
            if name in ("lead", "support"):
                changes[name] = _ids(after)
            elif name == "due":
                changes["due"] = changes["original_due"] = _day(after)
            else:
                changes[name] = after or ""
        return replace(s, history=history, **changes)
    if kind == "confirmed":
        if s.status != "draft":
            _refuse("not_draft", "Nhiệm vụ không ở trạng thái chờ rà soát.", "The task is not a draft.")
        if not s.lead:
            _refuse("no_lead", "Chưa có cơ quan chủ trì.", "The task has no lead agency.")
        return replace(s, status="open", history=history)
    if kind == "discarded":
        if s.status != "draft":
            _refuse("not_draft", "Chỉ loại được nhiệm vụ đang chờ rà soát.", "Only a draft task can be discarded.")
        return replace(s, status="discarded", history=history)
    if kind == "progress":
        _require_open(s, "báo cáo tiến độ", "report progress")
        percent = data.get("percent")
        return replace(s, progress_percent=s.progress_percent if percent is None else int(percent),
                       last_progress_on=on, history=history)
    if kind == "extension_requested":
        _require_open(s, "đề nghị gia hạn", "request an extension")
        if s.pending_extension is not None:
            _refuse("extension_pending", "Đã có đề nghị gia hạn đang chờ quyết định.",
                    "An extension request is already waiting for a decision.")
        return replace(s, pending_extension=_day(data["due"]), history=history)
    if kind in ("extension_approved", "extension_refused"):
        _require_open(s, "quyết định gia hạn", "decide on an extension")
        if s.pending_extension is None:
            _refuse("no_extension_request", "Không có đề nghị gia hạn nào đang chờ.",
                    "No extension request is waiting.")
        if kind == "extension_refused":
            return replace(s, pending_extension=None, history=history)
        new_due = _day(data.get("due")) or s.pending_extension
        return replace(s, due=new_due, pending_extension=None, extensions=s.extensions + 1, history=history)
    if kind == "transferred":
        _require_open(s, "chuyển giao", "transfer it")
        return replace(s, status="transferred", pending_extension=None, history=history)
    if kind == "succeeded":
        # a merger: the successor takes over the lead in place; the task stays open and keeps its history
        old, new = int(data["from"]), int(data["to"])
        lead = tuple(dict.fromkeys(new if a == old else a for a in s.lead))
        support = tuple(dict.fromkeys(a for a in (new if a == old else a for a in s.support) if a not in lead))
        return replace(s, lead=lead, support=support, history=history)
    if kind == "withdrawn":
        _require_open(s, "rút nhiệm vụ", "withdraw it")
        return replace(s, status="withdrawn", pending_extension=None, history=history)
    if kind == "completed":
        _require_open(s, "hoàn thành", "complete it")
        late = s.due is not None and on > s.due
        return replace(s, status="done", done_on=on, done_late=late, progress_percent=100, pending_extension=None,
                       history=history)
    if kind == "reopened":
        if s.status not in ("done", "withdrawn"):
            _refuse("not_closed", "Chỉ mở lại được nhiệm vụ đã hoàn thành hoặc đã rút.",
                    "Only a finished or withdrawn task can be reopened.")
        return replace(s, status="open", done_on=None, done_late=None, history=history)
    raise ValueError(f"unknown event kind {kind!r}")


def replay(events: Iterable[tuple[str, date, Mapping[str, Any]]], as_of: date | None = None) -> Snapshot:
    """The state after the events (kind, day, data), in order; with ``as_of``, only those on or before that day.

    Nothing happens to a task before it exists: an event dated before the first one (a progress report
    backdated past the task's assignment) counts from the day the task was created."""
    s = Snapshot()
    born: date | None = None
    for kind, on, data in events:
        born = born or on
        if as_of is not None and max(on, born) > as_of:
            continue
        s = apply(s, kind, on, data)
    return s
