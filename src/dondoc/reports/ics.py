"""Calendar feeds (iCalendar, RFC 5545) of task deadlines, for an agency or a person's calendar application.

Each open task with a deadline is one all-day event on its deadline day, with a reminder the day before. A task
keeps its UID across feeds and changes, so an extension moves the event instead of adding a second one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class Deadline:
    task_id: int
    content: str
    due: date
    lead: str
    document: str
    url: str = ""
    overdue: bool = False


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def calendar(deadlines: Iterable[Deadline], *, name: str, host: str = "dondoc", now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dondoc//Theo doi nhiem vu//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for d in deadlines:
        summary = ("[Quá hạn] " if d.overdue else "[Hạn] ") + (d.content if len(d.content) <= 90
                                                              else d.content[:88] + "…")
        description = f"Chủ trì: {d.lead}\nVăn bản giao: {d.document}\n{d.content}"
        lines += [
            "BEGIN:VEVENT", f"UID:task-{d.task_id}@{host}", f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.due:%Y%m%d}", f"DTEND;VALUE=DATE:{d.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}", f"DESCRIPTION:{_escape(description)}",
            *([f"URL:{d.url}"] if d.url else []), "TRANSP:TRANSPARENT",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D", f"DESCRIPTION:{_escape(summary)}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
