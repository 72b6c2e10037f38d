"""What the tracking service stores: agencies, documents, tasks and their append-only events.

A task's current fields (status, deadline, lead...) are a cache of its events, written in the same transaction as the
event that changes them (``services``), so lists and counts are plain indexed queries while history stays the truth:
``states.replay`` rebuilds any past day's state from the events alone.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .text_keys import name_key


class Agency(models.Model):
    """Cơ quan, đơn vị: a ministry, province, department... in a hierarchy (a Cục under its Bộ, a Sở under its
    province's committee), with the dates it existed under this name and where its work went after."""

    class Source(models.TextChoices):
        REGISTRY = "registry", _("Danh mục chuẩn")
        EXTRACTED = "extracted", _("Nhận diện từ văn bản")
        MANUAL = "manual", _("Nhập tay")

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("cơ quan cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class AgencyAlias(models.Model):
    """Every way a name is written (the agency's own name included), keyed without case or tone-placement
    differences, so resolving a name from a document is one indexed look-up."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=255)
    key = models.CharField(max_length=255, unique=True)

    class Meta:
        verbose_name = _("tên gọi khác")
        verbose_name_plural = _("tên gọi khác")

    def save(self, *args, **kwargs):
        self.key = name_key(self.alias)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.alias


class AgencySuccession(models.Model):
    """Sáp nhập, hợp nhất, giải thể: from ``effective_on`` the predecessor's work belongs to the successor.
    ``primary`` marks the successor that receives open tasks when the work is split between several."""

    predecessor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="predecessions")
    effective_on = models.DateField(_("ngày hiệu lực"))
    primary = models.BooleanField(default=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on})"


class Document(models.Model):
    """Văn bản giao nhiệm vụ: header fields, the original file, the text the extractor read, the documents it cites."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chờ rà soát")
        CONFIRMED = "confirmed", _("Đã xác nhận")

    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    type = models.CharField(_("loại văn bản"), max_length=32, blank=True)
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer_name = models.CharField(_("cơ quan ban hành (như ghi)"), max_length=255, blank=True)
    issued_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.TextField(_("trích yếu"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    citations = models.JSONField(_("văn bản được dẫn"), default=list, blank=True)
    file = models.FileField(_("tệp gốc"), upload_to="documents/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=128, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_hash = models.CharField(max_length=64, unique=True, help_text="sha256 of the normalized text")
    # "same number and issuer" is the same directive even if the file differs (a PDF and its DOCX)
    identity_key = models.CharField(max_length=320, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_date", "-id"]
        # the office's documents to review, newest first (the dashboard's queue, the list's "draft" filter): a
        # range of this index, already in order, instead of a scan of every document
        indexes = [models.Index(fields=["status", "id"], name="document_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_key"], condition=~Q(identity_key=""), name="document_number_issuer_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title[:80] or f"#{self.pk}"


class Task(models.Model):
    """Nhiệm vụ. Its columns below ``content`` are derived from its events (see ``states``); change them only
    through ``services``, which appends the event and updates them together."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chờ rà soát")
        OPEN = "open", _("Đang theo dõi")
        DONE = "done", _("Đã hoàn thành")
        WITHDRAWN = "withdrawn", _("Không tiếp tục thực hiện")
        TRANSFERRED = "transferred", _("Đã chuyển")
        DISCARDED = "discarded", _("Đã loại khi rà soát")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtasks",
        help_text="the task this one breaks down, or the one it was transferred from",
    )
    content = models.TextField(_("nội dung"))
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn (như ghi)"), max_length=255, blank=True)
    original_due = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    recurrence = models.CharField(_("định kỳ"), max_length=16, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    is_public = models.BooleanField(_("công khai"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # --- derived from events
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField(_("hạn hiện hành"), null=True, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    done_late = models.BooleanField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    last_progress_on = models.DateField(null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(default=0)
    # the deadline an extension request asks for, while the request waits for a decision
    pending_extension = models.DateField(_("đề nghị gia hạn đến"), null=True, blank=True)
    # lower-case text without diacritics, for search that ignores them ("bo tai chinh" finds "Bộ Tài chính")
    search_text = models.TextField(blank=True, editable=False)

    agencies = models.ManyToManyField(Agency, through="TaskAgency", related_name="tasks")

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date", "id"], name="task_status_due"),
            models.Index(fields=["due_date", "status"], name="task_due_status"),
            models.Index(fields=["document", "id"], name="task_document"),
            # state counts per period read only this index: tasks due in the period, then undated ones created in it
            models.Index(fields=["due_date", "created_at", "status", "done_late", "last_progress_on"],
                         name="task_due_created_state"),
            # the office's queue of extension requests to decide: a handful of rows among a million
            models.Index(fields=["pending_extension", "id"], condition=Q(pending_extension__isnull=False),
                         name="task_pending_extension"),
        ]

    def __str__(self) -> str:
        return self.content[:80]


class TaskAgency(models.Model):
    """Who answers for a task: lead (chủ trì) or support (phối hợp). ``active`` is False once the responsibility
    passed on (transfer or merger); the row stays so queries about the old agency still find the task."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")

    # both foreign keys lead an index below, so neither needs one of its own
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments", db_index=False)
    role = models.CharField(max_length=8, choices=Role.choices)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Copies of the task's status and current deadline, written with them (services._store): one agency's tasks
    # in a state, the list focal points open most, are then counted and paged from this table's index alone.
    task_status = models.CharField(max_length=16, blank=True, editable=False)
    task_due = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "role", "active", "task"], name="assignment_agency"),
            models.Index(fields=["agency", "task_status", "task_due", "task"], name="assignment_agency_state"),
            models.Index(fields=["task", "agency"], condition=Q(role="lead", active=True),
                         name="assignment_active_lead"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"], name="assignment_once"),
        ]


class Event(models.Model):
    """One change in a task's life, append-only. ``hash`` covers the event and the previous event's hash, so
    editing or deleting history breaks the chain (``verify_chain``)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tạo từ văn bản")
        CORRECTED = "corrected", _("Chỉnh sửa khi rà soát")
        CONFIRMED = "confirmed", _("Xác nhận")
        DISCARDED = "discarded", _("Loại khi rà soát")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
        EXTENSION_APPROVED = "extension_approved", _("Đồng ý gia hạn")
        EXTENSION_REFUSED = "extension_refused", _("Không đồng ý gia hạn")
        TRANSFERRED = "transferred", _("Chuyển cơ quan")
        SUCCEEDED = "succeeded", _("Chuyển cho cơ quan kế thừa")
        WITHDRAWN = "withdrawn", _("Không tiếp tục thực hiện")
        COMPLETED = "completed", _("Hoàn thành")
        REOPENED = "reopened", _("Mở lại")

    seq = models.BigIntegerField(unique=True, editable=False)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(editable=False)
    on = models.DateField(help_text="the day it happened (a completion reported late keeps its real day)")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["seq"]
        # a task's events in order; kind and day too, so the KPI query reads most tasks' events from the index
        indexes = [models.Index(fields=["task", "seq", "kind", "on"], name="event_task_seq_kind_on"),
                   # approved extensions (a few in a hundred events) by day: KPI candidates whatever their deadline
                   models.Index(fields=["on", "seq", "task"], condition=Q(kind="extension_approved"),
                                name="event_approval_on")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.task_id} ({self.on})"


class LeadTally(models.Model):
    """The KPI figures of the present (``tallies``), kept with the events (``services._append``): per lead agency
    and day, how many confirmed tasks it leads now are counted on that day in each category of ``kpis.formula``
    (``standing``: the deadline in force, or the day assigned when there is none; "open" is in progress or overdue
    as the as-of day decides) and how many extensions were approved for them that day. Every row exists per day
    and again per month (``day`` the first of the month), so a year is read from twelve rows per agency."""

    class Kind(models.TextChoices):  # internal, never shown
        AGENCY = "a"  # one lead agency's tasks (a co-led task in each of its leads' rows)
        SHARED = "s"  # one lead agency's tasks co-led with exactly ``leads``: to count such a task once per group
        TOTAL = "t"  # every task with a lead, once (``agency`` 0)

    class Grain(models.TextChoices):  # internal, never shown
        DAY = "d"
        MONTH = "m"

    kind = models.CharField(max_length=1, choices=Kind.choices)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    agency = models.IntegerField(default=0)  # an Agency id; rows are rewritten by the services, not cascaded
    leads = models.TextField(blank=True, help_text="shared rows: the lead agencies' ids, ascending, comma-separated")
    done_on_time = models.IntegerField(default=0)
    done_late = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)
    no_deadline_open = models.IntegerField(default=0)
    no_deadline_done = models.IntegerField(default=0)
    no_deadline_withdrawn = models.IntegerField(default=0)
    no_deadline_transferred = models.IntegerField(default=0)
    extensions = models.IntegerField(default=0)  # approvals dated that day
    days_late = models.BigIntegerField(default=0)  # done late: the sum of completion − deadline
    open_days = models.BigIntegerField(default=0)  # open: the sum of the deadlines' day numbers (days overdue)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "grain", "day", "agency", "leads"],
                                               name="lead_tally_once")]
        indexes = [models.Index(fields=["agency", "grain", "day"], condition=Q(kind="s"), name="lead_tally_shared")]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency} {self.leads} {self.grain} {self.day}"


class DueTally(models.Model):
    """The dashboard's state counts of the present (``tallies``), kept with the events like ``LeadTally``: per
    deadline, how many confirmed tasks due that day are now in each state, whatever their agencies (a task without
    a lead counts too). Open tasks are split by whether progress was ever reported, so the as-of day turns them into
    overdue, in progress or not due exactly as ``Snapshot.bucket`` does; a year is read from 365 rows."""

    day = models.DateField(unique=True)  # the deadline in force
    open_unreported = models.IntegerField(default=0)
    open_reported = models.IntegerField(default=0)  # open with a progress report (``last_progress_on``)
    done_on_time = models.IntegerField(default=0)
    done_late = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"due {self.day}"


class ChainHead(models.Model):
    """The last event's number and hash: one row, locked by each writer so the chain has no forks."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class EvidenceFile(models.Model):
    """A file attached to a progress report (minutes, a signed report, a screenshot)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)


class Profile(models.Model):
    """A user's role and, for focal points and offices, their agency."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Quản trị")
        OFFICER = "officer", _("Chuyên viên theo dõi")
        FOCAL_POINT = "focal_point", _("Đầu mối đơn vị")
        LEADER = "leader", _("Lãnh đạo")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
