"""What extraction returns: small frozen dataclasses, serialisable to the JSON of the spec.

Every extracted piece keeps the character span it came from in the text the tool read
(``Directive.text``), so a reviewer can highlight it and tests can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

RECURRENCES = ("weekly", "monthly", "quarterly", "yearly")


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in ``Directive.text``."""

    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True, slots=True)
class Deadline:
    """Thời hạn: the due date a phrase fixes, and the phrase as written.

    ``date`` is the last day the work is due, or None when the phrase fixes no day
    ("thường xuyên", "ngay sau khi ..."). ``recurrence`` is one of RECURRENCES or None.
    """

    text: str
    date: date | None = None
    recurrence: str | None = None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat() if self.date else None, "text": self.text}


@dataclass(frozen=True, slots=True)
class Citation:
    """A document the directive cites: "Nghị định số 73/2019/NĐ-CP ngày 5/9/2019"."""

    text: str
    type: str | None
    number: str | None
    issued_date: date | None
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "type": self.type,
            "number": self.number,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "span": self.span.to_json(),
        }


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """The header of a văn bản: số ký hiệu, loại, cơ quan ban hành, ngày, trích yếu."""

    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class Task:
    """One assignment of future work: who leads (chủ trì), who supports (phối hợp), what, by when."""

    quote: str
    span: Span
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    deadline: Deadline | None = None
    confidence: float = 0.5

    @property
    def recurrence(self) -> str | None:
        return self.deadline.recurrence if self.deadline else None

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "lead": list(self.lead),
            "support": list(self.support),
            "deadline": self.deadline.to_json() if self.deadline else None,
            "recurrence": self.recurrence,
            "span": self.span.to_json(),
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True, slots=True)
class Directive:
    """A directive read and understood: its header, its tasks, the documents it cites."""

    document: DocumentInfo
    tasks: tuple[Task, ...]
    citations: tuple[Citation, ...] = ()
    text: str = field(default="", repr=False)
    source: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document.to_json(),
            "tasks": [t.to_json() for t in self.tasks],
            "citations": [c.to_json() for c in self.citations],
        }
