"""What a reminder says: the e-mail digest (Vietnamese subject, plain text and HTML) and the webhook's JSON.

Facts are read when the message is built, not when the reminder was queued: a retried message says how late the
task is today, and a task finished (or extended, or reported on) in between is not reminded at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape

from dondoc.tracking.models import Profile, Task

from . import windows
from .conf import Config
from .facts import Facts

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


@dataclass(frozen=True)
class Addressee:
    """Who a digest is for: name, agency and whether they are the assigning office (an escalation digest)."""

    name: str
    email: str
    agency: str = ""
    office: bool = False


def addressees(users) -> dict[int, Addressee]:
    """The addressees of many users in one query."""
    users = list(users)
    profiles = {p.user_id: p for p in Profile.objects.filter(user__in=[u.pk for u in users]).select_related("agency")}
    out = {}
    for user in users:
        profile = profiles.get(user.pk)
        out[user.pk] = Addressee(
            name=user.get_full_name() or user.get_username(), email=user.email,
            agency=profile.agency.name if profile and profile.agency else "",
            office=bool(profile and profile.role == Profile.Role.OFFICER),
        )
    return out


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def render_text(to: Addressee, parts: list[Section], today: date) -> str:
    lines = [f"Kính gửi {to.name}{f' ({to.agency})' if to.agency else ''},", "", f"{_intro(to)} ngày {_d(today)}:"]
    for section in parts:
        lines += ["", f"{section.title.upper()} ({section.total})"]
        for item in section.items:
            f = item.facts
            lines.append(f"- #{f.id} {_short(f.content)}")
            lines.append(f"  {item.line}. Chủ trì: {'; '.join(f.leads) or '—'}. Văn bản: {f.document}.")
            if f.url:
                lines.append(f"  {f.url}")
        if section.more:
            lines.append(f"- ... và {section.more} nhiệm vụ khác.")
    lines += ["", _closing(to), "", "--", "Thư tự động từ dondoc, vui lòng không trả lời.",
              f"Automatic reminder from dondoc: {english_summary(parts)}.", ""]
    return "\n".join(lines)


def render_html(to: Addressee, parts: list[Section], today: date) -> str:
    e = escape
    out = ['<!DOCTYPE html>\n<html lang="vi">\n<head><meta charset="utf-8"><title>dondoc</title></head>',
           '<body style="font-family: Arial, sans-serif; font-size: 14px; color: #222;">',
           f"<p>Kính gửi {e(to.name)}{f' ({e(to.agency)})' if to.agency else ''},</p>",
           f"<p>{e(_intro(to))} ngày {_d(today)}:</p>"]
    for section in parts:
        out.append(f'<h3 style="margin: 16px 0 4px;">{e(section.title)} ({section.total})</h3>')
        out.append('<table style="border-collapse: collapse; width: 100%;" cellpadding="4">'
                   '<thead><tr style="background: #eee; text-align: left;"><th>#</th><th>Nhiệm vụ</th>'
                   "<th>Chủ trì</th><th>Tình trạng</th><th>Văn bản</th></tr></thead><tbody>")
        for item in section.items:
            f = item.facts
            ref = f'<a href="{e(f.url)}">{f.id}</a>' if f.url else str(f.id)
            out.append(f'<tr style="border-top: 1px solid #ddd;"><td>{ref}</td><td>{e(_short(f.content))}</td>'
                       f"<td>{e('; '.join(f.leads) or '—')}</td><td>{e(item.line)}</td><td>{e(f.document)}</td></tr>")
        out.append("</tbody></table>")
        if section.more:
            out.append(f"<p>... và {section.more} nhiệm vụ khác.</p>")
    out += [f"<p>{e(_closing(to))}</p>",
            '<p style="color: #777; font-size: 12px;">Thư tự động từ dondoc, vui lòng không trả lời.<br>'
            f"Automatic reminder from dondoc: {e(english_summary(parts))}.</p>", "</body>\n</html>\n"]
    return "\n".join(out)


def _intro(to: Addressee) -> str:
    return ("Hệ thống dondoc báo cáo các nhiệm vụ quá hạn cần đôn đốc" if to.office
            else "Hệ thống dondoc nhắc các nhiệm vụ đơn vị cần chú ý")


def _closing(to: Addressee) -> str:
    return ("Đề nghị đôn đốc các cơ quan chủ trì hoàn thành hoặc báo cáo lý do chậm." if to.office
            else "Đề nghị đơn vị cập nhật tiến độ, báo cáo kết quả hoặc đề nghị gia hạn trên hệ thống dondoc.")


def email_message(to: Addressee, items: list[Item], today: date, config: Config) -> EmailMultiAlternatives:
    """One digest: every reminder owed to one person, grouped by kind, as plain text with an HTML alternative."""
    parts = sections(items, config)
    message = EmailMultiAlternatives(subject(parts), render_text(to, parts, today), config.from_email, [to.email],
                                     headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(render_html(to, parts, today), "text/html")
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
