"""Bulk fill for the tracking scale benchmark (``tracking_scale.py``): years of documents, tasks and events written
straight into the tables, as the services would have written them one by one.

Every task's history is a list of events that ``states.apply`` accepts (it is replayed here, so an impossible history
fails the fill); the task's cached columns and its assignment rows are what ``services._store`` would have left after
the last event. Events are ordered by time over the whole dataset and chained with the same canonical JSON that
``chain.event_hash`` hashes. PostgreSQL is loaded with COPY, SQLite with executemany in large transactions; secondary
indexes and constraints are dropped during the load and rebuilt (with the same definitions) afterwards.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tracking_scale_texts import (
    EXTENSION_REASONS,
    PROGRESS_TEXTS,
    RESULT_TEXTS,
    AgencyInfo,
    DirectiveWriter,
    DocumentPlan,
    TaskPlan,
)

US = 1_000_000
DAY_US = 86_400 * US
ICT_OFFSET_US = 7 * 3600 * US  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
PRIORITY = {"created": 0, "discarded": 1, "confirmed": 1, "succeeded": 2, "extension_requested": 3,
            "extension_approved": 4, "extension_refused": 4, "progress": 5, "completed": 6, "withdrawn": 6,
            "transferred": 6}


def canonical(data: object) -> str:
    """The JSON ``chain.event_hash`` puts into its body for ``data``; also a valid value for the JSON column."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def local_day_start_us(day: date) -> int:
    return (day.toordinal() - EPOCH_ORDINAL) * DAY_US - ICT_OFFSET_US


def us_to_datetime(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


@dataclass
class People:
    officers: list[tuple[int, str]]  # (user id, username)
    focal: dict[int, tuple[int, str]]  # agency id -> its focal point (user id, username)
    names: dict[int, str]  # user id -> username


@dataclass
class FillResult:
    documents: int
    tasks: int
    events: int
    assignments: int
    last_seq: int
    last_hash: str
    timings: dict[str, float]


# ---------------------------------------------------------------------------------------------------- table writers


class Writer:
    """Writes rows to one table; ``datetime_suffix`` completes a UTC timestamp text for the database."""

    datetime_suffix = ""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError

    def begin(self, tables: list[str]) -> None: ...

    def finish(self, tables: list[str], log: Callable[[str], None]) -> dict[str, float]:
        return {}


class PostgresWriter(Writer):
    datetime_suffix = "+00"

    def begin(self, tables: list[str]) -> None:
        """Drop secondary indexes, unique and foreign-key constraints of the tables (remembering their definitions)."""
        with self.connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("SET synchronous_commit = off")
            oids = [f"'{t}'::regclass" for t in tables]
            cur.execute(f"""SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
                            FROM pg_constraint WHERE conrelid IN ({",".join(oids)}) AND contype IN ('u', 'f')""")
            constraints = cur.fetchall()
            cur.execute(f"""SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i
                            WHERE indrelid IN ({",".join(oids)}) AND NOT indisprimary AND NOT EXISTS (
                                SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                AND c.contype IN ('p', 'u', 'x'))""")
            indexes = cur.fetchall()
            for table, name, _kind, _ in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
                cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self.quote(name)}")
            for name, _ in indexes:
                cur.execute(f"DROP INDEX {name}")
        self.restore = ([definition for _, definition in indexes]
                        + [f"ALTER TABLE {t} ADD CONSTRAINT {self.quote(n)} {d}"
                           for t, n, k, d in sorted(constraints, key=lambda c: c[2] == "f")])  # foreign keys last

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        cols = ", ".join(self.quote(c) for c in columns)
        self.connection.ensure_connection()
        raw = self.connection.connection  # psycopg's connection under Django's (autocommit: one COPY, one commit)
        with raw.cursor() as cur, cur.copy(f"COPY {self.quote(table)} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self, tables: list[str], log: Callable[[str], None]) -> dict[str, float]:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        with self.connection.cursor() as cur:
            for statement in self.restore:
                t = time.perf_counter()
                cur.execute(statement)
                log(f"  {time.perf_counter() - t:6.1f} s  {statement[:110]}")
        timings["indexes and constraints"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with self.connection.cursor() as cur:
            for table in tables:
                cur.execute(f"VACUUM (ANALYZE) {self.quote(table)}")
        timings["vacuum analyze"] = time.perf_counter() - t0
        return timings


class SqliteWriter(Writer):
    def begin(self, tables: list[str]) -> None:
        with self.connection.cursor() as cur:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-1000000",
                           "temp_store=MEMORY"):
                cur.execute(f"PRAGMA {pragma}")
            marks = ",".join(["%s"] * len(tables))
            cur.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        f"AND tbl_name IN ({marks})", tables)
            self.indexes = cur.fetchall()
            for name, _ in self.indexes:
                cur.execute(f"DROP INDEX {self.quote(name)}")

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        cols = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join("?" * len(columns))
        self.connection.ensure_connection()
        raw = self.connection.connection  # sqlite3's connection under Django's (autocommit)
        raw.execute("BEGIN")
        raw.executemany(f"INSERT INTO {self.quote(table)} ({cols}) VALUES ({marks})", rows)
        raw.execute("COMMIT")

    def finish(self, tables: list[str], log: Callable[[str], None]) -> dict[str, float]:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        with self.connection.cursor() as cur:
            for name, sql in self.indexes:
                t = time.perf_counter()
                cur.execute(sql)
                log(f"  {time.perf_counter() - t:6.1f} s  {name}")
        timings["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with self.connection.cursor() as cur:
            cur.execute("PRAGMA foreign_key_check")
            broken = cur.fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken after the load: {broken[:5]}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        timings["foreign key check"] = time.perf_counter() - t0
        return timings


# ---------------------------------------------------------------------------------------------------- the fill


class Filler:
    """Generates ``tasks`` tasks (documents of 3-30 tasks issued on working days between ``start`` and yesterday)
    with about ``events`` events, and writes them."""

    def __init__(self, *, writer: Writer, agencies: list[AgencyInfo], successions: dict[int, tuple[int, date, int]],
                 people: People, today: date, start: date, tasks: int, events: int, seed: int = 7,
                 log: Callable[[str], None] = print) -> None:
        from dondoc.tracking import states
        from dondoc.tracking.models import Document, Event, Task, TaskAgency
        from dondoc.tracking.services import content_hash, identity_key
        from dondoc.tracking.text_keys import search_key

        self.states, self.search_key = states, search_key
        self.identity_key, self.content_hash = identity_key, content_hash
        self.models = {"document": Document, "task": Task, "assignment": TaskAgency, "event": Event}
        self.writer, self.people, self.log = writer, people, log
        self.agencies = {a.id: a for a in agencies}
        self.successions = successions  # predecessor id -> (successor id, effective day, succession id)
        self.today, self.last_day, self.start = today, today - timedelta(days=1), start
        self.target_tasks, self.target_events = tasks, events
        self.rng = random.Random(seed)
        self.writer_texts = DirectiveWriter(agencies, seed=seed)
        self._iso: dict[int, str] = {}
        self._names_key: dict[tuple[int, ...], str] = {}
        self.next_id = {"document": 1, "task": 1, "assignment": 1}
        self.events: list[tuple] = []
        self.n_tasks = self.n_events = self.n_assignments = self.n_documents = 0
        self.base_avg, self.open_share = 3.0, 0.8
        self.buffers: dict[str, list[tuple]] = {"document": [], "task": [], "assignment": []}

    # ------------------------------------------------------------------------------------------------ helpers

    def columns(self, key: str, names: Iterable[str]) -> list[str]:
        model = self.models[key]
        return [model._meta.get_field(n).column for n in names]

    def iso(self, day: date) -> str:
        ordinal = day.toordinal()
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = day.isoformat()
        return text

    def opt_iso(self, day: date | None) -> str | None:
        return None if day is None else self.iso(day)

    def stamp(self, day: date, first_hour: int = 8, last_hour: int = 17) -> int:
        return local_day_start_us(day) + self.rng.randint(first_hour * 3600 * US, last_hour * 3600 * US)

    def rand_day(self, lo: date, hi: date) -> date:
        if hi <= lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def ts_text(self, us: int) -> str:
        text = us_to_datetime(us).isoformat(timespec="microseconds")
        return f"{text[:10]} {text[11:26]}{self.writer.datetime_suffix}"

    def focal(self, agencies: Sequence[int]) -> int | None:
        person = self.people.focal.get(agencies[0]) if agencies else None
        return person[0] if person else None

    # ------------------------------------------------------------------------------------------------ schedule

    def schedule(self) -> list[tuple[date, int]]:
        """(issue day, number of tasks) of every document, in issue order."""
        rng, sizes, total = self.rng, [], 0
        while total < self.target_tasks:
            n = min(round(rng.triangular(3, 30, 8)), self.target_tasks - total)
            sizes.append(n)
            total += n
        days = [d for d in (self.start + timedelta(days=i) for i in range((self.last_day - self.start).days))
                if d.weekday() < 5]
        issued = sorted(rng.choice(days) for _ in sizes)
        return list(zip(issued, sizes, strict=True))

    # ------------------------------------------------------------------------------------------------ run

    def run(self) -> FillResult:
        timings: dict[str, float] = {}
        tables = [m._meta.db_table for m in self.models.values()]
        t0 = time.perf_counter()
        self.writer.begin(tables)
        timings["drop indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        schedule = self.schedule()
        self.log(f"  {len(schedule):,} documents to generate")
        for i, (issued, n) in enumerate(schedule):
            self.document(issued, n)
            if len(self.buffers["task"]) >= 50_000:
                self.flush()
            if i and i % 10_000 == 0:
                self.log(f"  {i:,} documents, {self.n_tasks:,} tasks, {len(self.events):,} events "
                         f"({time.perf_counter() - t0:.0f} s)")
        self.flush()
        timings["documents, tasks, assignments"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        self.events.sort()
        timings["sort events by time"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        last_seq, last_hash = self.write_events()
        timings["hash chain + events"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        timings |= self.writer.finish(tables, self.log)
        self.reset_sequences()
        return FillResult(self.n_documents, self.n_tasks, self.n_events, self.n_assignments, last_seq, last_hash,
                          timings)

    def reset_sequences(self) -> None:
        from django.core.management.color import no_style

        connection = self.writer.connection
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.models.values()))
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)

    def flush(self) -> None:
        spec = {
            "document": ("id", "number", "type", "issuer", "issuer_name", "issued_date", "title", "text", "citations",
                         "file", "original_name", "content_type", "size", "content_hash", "identity_key", "status",
                         "created_at", "created_by", "confirmed_at"),
            "task": ("id", "document", "parent", "content", "source_start", "source_end", "deadline_text",
                     "original_due", "recurrence", "confidence", "is_public", "created_at", "status", "due_date",
                     "done_on", "done_late", "progress_percent", "last_progress_on", "extensions", "search_text",
                     "pending_extension"),
            "assignment": ("id", "task", "agency", "role", "active", "position", "task_status", "task_due"),
        }
        for key, names in spec.items():
            rows = self.buffers[key]
            if rows:
                self.writer.write(self.models[key]._meta.db_table, self.columns(key, names), rows)
                self.buffers[key] = []

    def write_events(self) -> tuple[int, str]:
        from dondoc.tracking.chain import GENESIS, event_hash

        names = ("id", "seq", "task", "kind", "at", "on", "actor", "actor_name", "data", "prev_hash", "hash")
        table, columns = self.models["event"]._meta.db_table, self.columns("event", names)
        user_names, sha256 = self.people.names, hashlib.sha256
        prev, rows, seq = GENESIS, [], 0
        events, self.events = self.events, []
        for seq, (at_us, task_id, kind, on_iso, actor, data_json) in enumerate(events, 1):
            at = us_to_datetime(at_us).isoformat(timespec="microseconds")
            body = f'[{seq},{task_id},"{kind}","{at}","{on_iso}",{"null" if actor is None else actor},{data_json}]'
            digest = sha256((prev + body).encode()).hexdigest()
            if seq <= 1000:  # the hand-built body must be exactly what chain.event_hash hashes
                expected = event_hash(prev, seq=seq, task_id=task_id, kind=kind, at=us_to_datetime(at_us),
                                      on=date.fromisoformat(on_iso), actor_id=actor, data=json.loads(data_json))
                assert digest == expected, (seq, body)
            rows.append((seq, seq, task_id, kind, f"{at[:10]} {at[11:26]}{self.writer.datetime_suffix}", on_iso,
                         actor, user_names[actor] if actor is not None else "system", data_json, prev, digest))
            prev = digest
            if len(rows) == 200_000:
                self.writer.write(table, columns, rows)
                rows = []
                if seq % 1_000_000 == 0:
                    self.log(f"  {seq:,} events chained and written")
        if rows:
            self.writer.write(table, columns, rows)
        events.clear()
        self.n_events = seq
        return seq, prev

    # ------------------------------------------------------------------------------------------------ documents

    def document(self, issued: date, n: int) -> None:
        rng = self.rng
        plan: DocumentPlan = self.writer_texts.write(issued, n)
        doc_id = self.next_id["document"]
        self.next_id["document"] += 1
        self.n_documents += 1
        officer_id, _ = rng.choice(self.people.officers)
        ingest_day = min(self.last_day, issued + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5))))
        t = self.stamp(ingest_day)
        doc_created = t
        review_day = ingest_day + timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 8)))
        if review_day > self.last_day:
            review_day = None
        review_t = self.stamp(review_day) if review_day else None
        if review_t is not None and review_t <= t + n * 200_000:
            review_t = t + n * 200_000 + rng.randint(60, 3600) * US
        discards = []
        for i, tp in enumerate(plan.tasks):
            created_t = t + (i + 1) * 150_000 + rng.randint(0, 40_000)
            confirm_t = review_t + (i + 1) * 120_000 if review_t is not None else None
            discard = review_day is not None and rng.random() < 0.02
            discards.append(discard)
            self.task(doc_id, tp, issued=issued, created_day=ingest_day, created_t=created_t, review_day=review_day,
                      review_t=confirm_t, discard=discard, officer=officer_id, is_public=rng.random() < 0.05)
        confirmed_at = None
        if review_day is not None and not all(discards):
            confirmed_at = self.ts_text(review_t + (len(plan.tasks) + 2) * 120_000)
        self.buffers["document"].append((
            doc_id, plan.number, plan.type, plan.issuer_id, plan.issuer_name, self.iso(plan.issued), plan.title,
            plan.text, canonical(plan.citations), "", "", "", len(plan.text.encode()), self.content_hash(plan.text),
            self.identity_key(plan.number, plan.issuer_name, plan.issued), "confirmed" if confirmed_at else "draft",
            self.ts_text(doc_created), officer_id, confirmed_at,
        ))

    # ------------------------------------------------------------------------------------------------ tasks

    def progress_count(self) -> int:
        """How many progress reports the next open task gets, so the dataset ends near the target event count."""
        remaining_tasks = max(1, self.target_tasks - self.n_tasks)
        remaining_events = self.target_events - self.n_events_planned()
        mean = (remaining_events / remaining_tasks - self.base_avg) / max(self.open_share, 0.05)
        if mean <= 0:
            return 0
        return min(40, int(self.rng.expovariate(1 / mean) + 0.5))

    def n_events_planned(self) -> int:
        return len(self.events)

    def task(self, doc_id: int, tp: TaskPlan, *, issued: date, created_day: date, created_t: int,
             review_day: date | None, review_t: int | None, discard: bool, officer: int, is_public: bool) -> None:
        """One extracted task: ingested (draft), reviewed (discarded or confirmed), then followed up.
        Review events are dated on the document's day (``services.assigned_on``), recorded when they happened."""
        task_id = self.next_id["task"]
        self.next_id["task"] += 1
        data = {"content": tp.quote, "lead": tp.lead, "support": tp.support,
                "due": tp.due.isoformat() if tp.due else None, "deadline_text": tp.deadline_text,
                "recurrence": tp.recurrence, "draft": True}
        events: list[list] = [[created_day, 0, created_t, "created", officer, data, issued]]
        transfer = None
        if review_day is not None:
            if discard:
                events.append([review_day, 1, review_t, "discarded", officer, {"reason": "Không phải nhiệm vụ"},
                               issued])
            else:
                events.append([review_day, 1, review_t, "confirmed", officer, {}, issued])
                transfer = self.follow_up(events, review_day, tp.due, tp.lead, officer, allow_transfer=True)
                self.successions_for(events, tp.lead + tp.support, review_day, review_t, issued, officer)
        snap = self.finish_task(task_id, doc_id, None, tp.quote, tp.start, tp.end, events, created_t, is_public)
        if transfer is not None:
            self.transferred(task_id, doc_id, tp, snap, transfer, officer, is_public)

    def transferred(self, old_id: int, doc_id: int, tp: TaskPlan, snap, transfer: list, officer: int,
                    is_public: bool) -> None:
        """transfer_task: the old task closes as transferred; a new open task, linked to it, goes to the new lead."""
        day = transfer[0]
        target = transfer[5]["to"]
        at = transfer[2] + 30_000  # the same transaction as the old task's "transferred" event
        task_id = self.next_id["task"]
        self.next_id["task"] += 1
        data = {"content": snap.content, "lead": target, "support": [a for a in snap.support if a not in target],
                "due": snap.due.isoformat() if snap.due else None, "deadline_text": snap.deadline_text,
                "recurrence": snap.recurrence, "draft": False, "transferred_from": old_id}
        events: list[list] = [[day, 0, at, "created", officer, data, day]]
        self.follow_up(events, day, snap.due, target, officer, allow_transfer=False)
        self.successions_for(events, data["lead"] + data["support"], day, at, day, officer)
        self.finish_task(task_id, doc_id, old_id, snap.content, tp.start, tp.end, events, at, is_public)

    def follow_up(self, events: list[list], opened: date, due: date | None, lead: list[int], officer: int, *,
                  allow_transfer: bool) -> list | None:
        """Progress reports, extensions and the end (completed, withdrawn, transferred or still open)."""
        rng, last = self.rng, self.last_day
        if opened >= last:
            return None
        focal = self.focal(lead) or officer
        close: list | None = None
        transfer = None
        r = rng.random()
        if r < 0.01:
            day = self.rand_day(opened + timedelta(days=1), min(last, (due or last) + timedelta(days=90)))
            close = [day, 6, None, "withdrawn", officer, {"reason": "Không còn phù hợp với tình hình thực tế",
                                                          "decision": ""}, day]
        elif r < 0.016 and allow_transfer:
            day = self.rand_day(opened + timedelta(days=1), min(last, (due or last) + timedelta(days=60)))
            candidates = [a for a in self.agencies.values()
                          if a.kind == self.agencies[lead[0]].kind and a.id not in lead and a.exists_on(day)]
            if candidates and day < last:
                to = [rng.choice(candidates).id]
                close = [day, 6, None, "transferred", officer, {"to": to, "reason": "Đúng chức năng, nhiệm vụ",
                                                                "decision": ""}, day]
                transfer = close
        effective_due = due
        extension: list[list] = []
        if due is not None and close is None and rng.random() < 0.12:
            requested = due - timedelta(days=rng.randint(2, 20))
            if opened < requested <= last:
                new_due = due + timedelta(days=rng.choice((15, 30, 45, 60, 90)))
                extension.append([requested, 3, None, "extension_requested", focal,
                                  {"due": new_due.isoformat(), "reason": rng.choice(EXTENSION_REASONS)}, requested])
                decided = requested + timedelta(days=rng.randint(1, 10))
                if decided <= last:
                    if rng.random() < 0.8:
                        extension.append([decided, 4, None, "extension_approved", officer, {"reason": ""}, decided])
                        effective_due = new_due
                    else:
                        extension.append([decided, 4, None, "extension_refused", officer,
                                          {"reason": "Đề nghị hoàn thành đúng thời hạn"}, decided])
        if close is None:
            if effective_due is None:
                p = 0.45
            elif effective_due < last:
                p = 0.85
            else:
                p = 0.25 * min(1.0, (last - opened).days / max(1, (effective_due - opened).days))
            if rng.random() < p:
                done = None
                if effective_due is None:
                    done = self.rand_day(opened, last)
                else:
                    lo, hi = max(opened, effective_due - timedelta(days=60)), min(effective_due, last)
                    if lo <= hi and (rng.random() < 0.72 or effective_due >= last):
                        done = self.rand_day(lo, hi)
                    else:
                        done = max(effective_due, opened) + timedelta(days=rng.randint(1, 150))
                        if done > last:
                            done = None
                if done is not None:
                    late_report = self.stamp(done + timedelta(days=rng.randint(1, 7))) \
                        if rng.random() < 0.1 and done + timedelta(days=7) <= last else None
                    who = focal if rng.random() < 0.7 else officer
                    close = [done, 6, late_report, "completed", who, {"result": rng.choice(RESULT_TEXTS)}, done]
        end = close[0] if close else last
        extension = [e for e in extension if e[0] <= end]
        events += extension
        k = self.progress_count()
        if k and end > opened:
            days = sorted(self.rand_day(opened, end) for _ in range(k))
            percents = sorted(rng.randrange(5, 100, 5) for _ in range(k))
            for day, percent in zip(days, percents, strict=True):
                report = {"text": rng.choice(PROGRESS_TEXTS), "percent": None if rng.random() < 0.15 else percent}
                events.append([day, 5, None, "progress", focal, report, day])
        if close:
            events.append(close)
        return transfer

    def successions_for(self, events: list[list], agencies: list[int], opened: date, opened_t: int,
                        first_day: date, officer: int) -> None:
        """apply_successions: an open task held by a merged agency moves to the primary successor — by the daily run
        on the succession's day, or when it is confirmed if that comes later — dated max(day, first event's day)."""
        closed = next((e[0] for e in events if e[3] in ("completed", "withdrawn", "transferred")), None)
        holders = set(agencies)
        pending = sorted((self.successions[a][1], self.successions[a][2], a) for a in holders if a in self.successions)
        while pending:
            day, succession_id, agency = pending.pop(0)
            successor = self.successions[agency][0]
            if day > self.last_day or (closed is not None and closed < day) or agency not in holders:
                continue
            if opened < day:  # the daily run on the day, before office hours
                event = [day, 2, local_day_start_us(day) + self.rng.randint(7 * 3600, 8 * 3600) * US, "succeeded",
                         None]
            else:  # confirm_document runs it for the tasks it just opened
                event = [opened, 2, opened_t + 60_000, "succeeded", officer]
            events.append([*event, {"from": agency, "to": successor, "succession": succession_id},
                           max(day, first_day)])
            holders = (holders - {agency}) | {successor}
            if successor in self.successions:
                pending.append((self.successions[successor][1], self.successions[successor][2], successor))
                pending.sort()

    def finish_task(self, task_id: int, doc_id: int, parent: int | None, content: str, start: int, end: int,
                    events: list[list], created_t: int, is_public: bool):
        """Replay the history (as the services did, event by event), emit the rows and queue the events."""
        rng, states = self.rng, self.states
        for event in events:  # when it was recorded: in office hours on its day unless said otherwise
            if event[2] is None:
                event[2] = self.stamp(event[0])
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        snap = states.Snapshot()
        assignments: dict[tuple[int, str], list] = {}  # (agency, role) -> [id, active, position]
        prev_at = 0
        n_progress = 0
        for event in events:
            _, _, at, kind, actor, data, on = event
            at = max(at, prev_at + rng.randint(1_000, 900_000))
            prev_at = event[2] = at
            before = snap
            snap = states.apply(snap, kind, on, data)
            if (before.lead, before.support) != (snap.lead, snap.support):
                self.store_assignments(task_id, assignments, snap)
            self.events.append((at, task_id, kind, self.iso(on), actor, canonical(data)))
            n_progress += kind == "progress"
        base = len(events) - n_progress
        self.base_avg = 0.999 * self.base_avg + 0.001 * base
        self.open_share = 0.999 * self.open_share + 0.001 * (snap.status not in ("draft", "discarded"))
        for (agency, role), (row_id, active, position) in assignments.items():
            self.buffers["assignment"].append((row_id, task_id, agency, role, active, position, snap.status,
                                               self.opt_iso(snap.due)))
        names = tuple(sorted(set(snap.lead + snap.support), key=lambda a: self.agencies[a].name))
        names_key = self._names_key.get(names)
        if names_key is None:
            names_key = self._names_key[names] = self.search_key(" ".join(self.agencies[a].name for a in names))
        search_text = " ".join(p for p in (self.search_key(snap.content), self.search_key(snap.deadline_text),
                                           names_key) if p)
        iso = self.opt_iso
        self.buffers["task"].append((
            task_id, doc_id, parent, snap.content, start, end, snap.deadline_text[:255], iso(snap.original_due),
            snap.recurrence, 0.85, is_public, self.ts_text(created_t - 500), snap.status, iso(snap.due),
            iso(snap.done_on), snap.done_late, snap.progress_percent, iso(snap.last_progress_on), snap.extensions,
            search_text, iso(snap.pending_extension),
        ))
        self.n_tasks += 1
        return snap

    def store_assignments(self, task_id: int, rows: dict[tuple[int, str], list], s) -> None:
        """services._store_assignments over in-memory rows."""
        wanted = {(a, "lead"): i for i, a in enumerate(s.lead)} | {(a, "support"): i for i, a in enumerate(s.support)}
        for key, row in rows.items():
            active = key in wanted
            if row[1] != active or (active and row[2] != wanted[key]):
                row[1], row[2] = active, wanted.get(key, row[2])
        for key, position in wanted.items():
            if key not in rows:
                rows[key] = [self.next_id["assignment"], True, position]
                self.next_id["assignment"] += 1
                self.n_assignments += 1
