"""What a reminder says: the e-mail digest (Vietnamese subject, plain text and HTML) and the webhook's JSON.

Facts are read when the message is built, not when the reminder was queued: a retried message says how late the
task is today, and a task finished (or extended, or reported on) in between is not reminded at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.mail import EmailMultiAlternatives
from django.template import engines

from dondoc.tracking.models import Profile, Task
from dondoc.tracking.selectors import lead_names

from . import digest_templates, windows
from .conf import Config
from .queue import chunks, given_day

# kind, section title, words after "n nhiệm vụ" in the subject, English
SECTIONS = [
    ("before", "Sắp đến hạn", "sắp đến hạn", "due soon"),
    ("due", "Đến hạn hôm nay", "đến hạn hôm nay", "due today"),
    ("overdue", "Quá hạn", "quá hạn", "overdue"),
    ("escalate", "Quá hạn, đề nghị đôn đốc", "quá hạn cần đôn đốc", "overdue, to follow up"),
    ("stale", "Chưa cập nhật tiến độ", "chưa cập nhật tiến độ", "without a progress report"),
    ("nodeadline", "Chưa có thời hạn", "chưa có thời hạn", "without a deadline"),
]
ORDER = {kind: i for i, (kind, *_) in enumerate(SECTIONS)}


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Facts:
    id: int
    content: str
    status: str
    due_date: date | None
    last_progress_on: date | None
    given: date
    document: str
    document_id: int
    leads: list[str] = field(default_factory=list)
    url: str = ""


def load_facts(task_ids: list[int], config: Config) -> dict[int, Facts]:
    out: dict[int, Facts] = {}
    base = config.BASE_URL.rstrip("/")
    for part in chunks(sorted(set(task_ids))):
        names = lead_names(list(part))
        rows = (Task.objects.filter(pk__in=part).select_related("document").order_by()
                .only("pk", "content", "status", "due_date", "last_progress_on", "created_at", "document__number",
                      "document__type", "document__title"))
        for t in rows:
            doc = t.document
            label = " ".join(x for x in (doc.type, doc.number) if x) or (doc.title[:60] if doc.title else f"#{doc.pk}")
            out[t.pk] = Facts(t.pk, " ".join(t.content.split()), t.status, t.due_date, t.last_progress_on,
                              given_day(t.created_at), label, doc.pk, [a["name"] for a in names[t.pk]["lead"]],
                              f"{base}/api/tasks/{t.pk}/" if base else "")
    return out


def anchor_of(window: str) -> date | None:
    _, _, tail = window.partition("@")
    return date.fromisoformat(tail) if tail and tail != "none" else None


def obsolete(kind: str, window: str, facts: Facts | None) -> str | None:
    """Why a queued reminder should no longer go out (bilingual), or None."""
    if facts is None:
        return "Nhiệm vụ không còn tồn tại / the task no longer exists"
    if facts.status != Task.Status.OPEN:
        return "Nhiệm vụ không còn đang thực hiện / the task is no longer open"
    anchor = anchor_of(window)
    if kind in ("before", "due", "overdue", "escalate") and facts.due_date != anchor:
        return "Thời hạn đã thay đổi / the deadline changed"
    if kind == "stale" and facts.last_progress_on != anchor:
        return "Đã có báo cáo tiến độ mới / progress was reported since"
    if kind == "nodeadline" and facts.due_date is not None:
        return "Nhiệm vụ đã có thời hạn / a deadline was set"
    return None


def describe(kind: str, facts: Facts, today: date, config: Config) -> str:
    """One line on where the task stands, in Vietnamese."""
    due = facts.due_date
    if kind == "before" and due:
        if config.working_days:
            left = f"còn {windows.working_days_left(today, due)} ngày làm việc"
        else:
            left = f"còn {(due - today).days} ngày"
        return f"Hạn {_d(due)}, {left}"
    if kind == "due" and due:
        return f"Đến hạn hôm nay ({_d(due)})" if due == today else f"Đến hạn ngày {_d(due)}"
    if kind in ("overdue", "escalate") and due:
        return f"Quá hạn {(today - due).days} ngày (hạn {_d(due)})"
    if kind == "stale":
        if facts.last_progress_on:
            return (f"Chưa cập nhật tiến độ từ {_d(facts.last_progress_on)} "
                    f"({(today - facts.last_progress_on).days} ngày)")
        return f"Chưa có báo cáo tiến độ nào từ khi giao ({_d(facts.given)}, {(today - facts.given).days} ngày)"
    if kind == "nodeadline":
        return f"Chưa có thời hạn hoàn thành (giao ngày {_d(facts.given)})"
    return ""


@dataclass
class Item:
    kind: str
    facts: Facts
    line: str


@dataclass
class Section:
    kind: str
    title: str
    label: str
    english: str
    items: list[Item]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def sections(items: list[Item], config: Config) -> list[Section]:
    """Items by kind in a fixed order, each task once per kind."""
    by_kind: dict[str, dict[int, Item]] = {}
    for item in items:
        by_kind.setdefault(item.kind, {})[item.facts.id] = item
    out = []
    for kind, title, label, english in SECTIONS:
        if kind in by_kind:
            listed = sorted(by_kind[kind].values(), key=lambda i: (i.facts.due_date or date.max, i.facts.id))
            out.append(Section(kind, title, label, english, listed[:config.DIGEST_MAX_ITEMS], len(listed)))
    return out


def subject(parts: list[Section]) -> str:
    return "[dondoc] " + ", ".join(f"{s.total} nhiệm vụ {s.label}" for s in parts)


def english_summary(parts: list[Section]) -> str:
    return ", ".join(f"{s.total} {'task' if s.total == 1 else 'tasks'} {s.english}" for s in parts)


def email_message(user, items: list[Item], today: date, config: Config) -> EmailMultiAlternatives:
    parts = sections(items, config)
    profile = Profile.objects.filter(user=user).select_related("agency").first()
    office = bool(profile and profile.role == Profile.Role.OFFICER)
    context = {
        "name": user.get_full_name() or user.get_username(),
        "agency": profile.agency.name if profile and profile.agency else "",
        "intro": ("Hệ thống dondoc báo cáo các nhiệm vụ quá hạn cần đôn đốc" if office
                  else "Hệ thống dondoc nhắc các nhiệm vụ đơn vị cần chú ý"),
        "closing": ("Đề nghị đôn đốc các cơ quan chủ trì hoàn thành hoặc báo cáo lý do chậm." if office
                    else "Đề nghị đơn vị cập nhật tiến độ, báo cáo kết quả hoặc đề nghị gia hạn trên hệ thống "
                    "dondoc."),
        "today": _d(today),
        "sections": parts,
        "english": english_summary(parts),
    }
    engine = engines["django"]
    text = engine.from_string(digest_templates.TEXT).render(context)
    html = engine.from_string(digest_templates.HTML).render(context)
    message = EmailMultiAlternatives(subject(parts), text, config.from_email, [user.email],
                                     headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html, "text/html")
    return message


def webhook_body(delivery: str, sent_at: datetime, rows: list[tuple[int, str, str, Item]]) -> bytes:
    """The JSON POSTed to an endpoint, as bytes (what the signature covers): one entry per notification."""
    payload = {
        "type": "dondoc.reminders",
        "delivery": delivery,
        "sent_at": sent_at.isoformat(),
        "reminders": [
            {
                "notification": pk, "window": window, "kind": kind, "text": item.line,
                "task": {
                    "id": item.facts.id, "content": item.facts.content, "status": item.facts.status,
                    "due_date": item.facts.due_date.isoformat() if item.facts.due_date else None,
                    "last_progress_on": (item.facts.last_progress_on.isoformat()
                                         if item.facts.last_progress_on else None),
                    "lead": item.facts.leads, "document": item.facts.document, "url": item.facts.url or None,
                },
            }
            for pk, window, kind, item in rows
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
