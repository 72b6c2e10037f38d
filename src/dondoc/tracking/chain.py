"""The hash chain over all events: each event's hash covers its content and the previous event's hash.

Rewriting, deleting or reordering a past event changes a hash that a later event depends on, so ``verify`` finds
the first place the stored history no longer matches itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(prev_hash: str, *, seq: int, task_id: int, kind: str, at: datetime, on: date,
               actor_id: int | None, data: Any) -> str:
    body = json.dumps(
        [seq, task_id, kind, at.isoformat(timespec="microseconds"), on.isoformat(), actor_id, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    reason: str


def verify(rows: Iterable[tuple[int, int, str, datetime, date, int | None, Any, str, str]]) -> Iterator[ChainBreak]:
    """Check rows (seq, task_id, kind, at, on, actor_id, data, prev_hash, hash) in seq order; yield each break."""
    prev, expected_seq = GENESIS, 1
    for seq, task_id, kind, at, on, actor_id, data, prev_hash, stored in rows:
        if seq != expected_seq:
            yield ChainBreak(seq, f"event {expected_seq} is missing" if seq > expected_seq else "sequence repeats")
        if prev_hash != prev:
            yield ChainBreak(seq, "does not follow the previous event's hash")
        if event_hash(prev_hash, seq=seq, task_id=task_id, kind=kind, at=at, on=on, actor_id=actor_id,
                      data=data) != stored:
            yield ChainBreak(seq, "content does not match its hash")
        prev, expected_seq = stored, seq + 1
