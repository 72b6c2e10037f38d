"""What the reminders store: each window a task entered (``Reminder``), each message owed to one recipient on one
channel (``Notification``), each attempt to deliver (``Delivery``), webhook endpoints, and the next occurrences
of recurring tasks (``Occurrence``).

"Once" is the database's job, not the loop's: a reminder is unique per (task, window), a notification per (task,
window, recipient, channel), an occurrence per previous task; two passes at the same time insert with
ON CONFLICT DO NOTHING and only the one whose insert landed goes on. Sending is claimed with a conditional UPDATE
(``state='pending'`` → ``'sending'``), so two workers never send the same notification.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.tracking.models import Agency, Task


class Kind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn")
    DUE = "due", _("Đến hạn hôm nay")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATE = "escalate", _("Quá hạn, cần đôn đốc")
    STALE = "stale", _("Chưa cập nhật tiến độ")
    NODEADLINE = "nodeadline", _("Chưa có thời hạn")


class Reminder(models.Model):
    """Lượt nhắc: a task entered a reminder window; its recipients were chosen then (``recipients`` of them —
    0 when the lead agency and those above it have no focal point, which the pass reports)."""

    # no index of its own on task: the unique (task, window) index starts with it
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    window = models.CharField(max_length=48)  # windows.Window.key, e.g. "before:7@2026-06-30"
    kind = models.CharField(max_length=12, choices=Kind.choices)
    anchor = models.DateField(null=True, blank=True)
    opens_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=64, help_text="the pass that recorded it")

    class Meta:
        verbose_name = _("lượt nhắc")
        verbose_name_plural = _("lượt nhắc")
        constraints = [models.UniqueConstraint(fields=["task", "window"], name="reminder_once")]
        indexes = [models.Index(fields=["task", "kind", "anchor", "opens_on"], name="reminder_task_kind")]

    def __str__(self) -> str:
        return f"#{self.task_id} {self.window}"


class WebhookEndpoint(models.Model):
    """A URL that receives reminders as signed JSON: all of them, or only those of one agency (its units
    included) — tasks it leads, and escalations of documents it issued."""

    name = models.CharField(_("tên"), max_length=128, blank=True)
    url = models.URLField(_("địa chỉ"), max_length=500)
    secret = models.CharField(_("khóa ký"), max_length=256, help_text="HMAC-SHA256 key of X-Dondoc-Signature")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks")
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")

    def clean(self) -> None:
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise ValidationError({"url": _("Chỉ nhận địa chỉ http:// hoặc https://")})
        if not self.secret:
            raise ValidationError({"secret": _("Cần khóa ký")})

    def __str__(self) -> str:
        return self.name or self.url


class Notification(models.Model):
    """One reminder owed to one recipient (a user by e-mail, or a webhook endpoint). Never deleted: it ends
    ``sent``, ``failed`` (after ``MAX_ATTEMPTS``, or at once when retrying cannot help) or ``cancelled`` (the task
    was finished, its deadline extended or its progress reported before the message went out), with the reason in
    ``last_error``."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        WEBHOOK = "webhook", _("Webhook")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")
        CANCELLED = "cancelled", _("Không gửi nữa")  # the task was finished, extended... before it went out

    # few indexes, as a first pass over a national database inserts hundreds of thousands of rows: the two unique
    # ones (which start with task), the queue and the claim
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    window = models.CharField(max_length=48)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications", db_index=False)
    endpoint = models.ForeignKey(WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="notifications", db_index=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            # NULLs are distinct in a unique index: one constraint per kind of recipient
            models.UniqueConstraint(fields=["task", "window", "user", "channel"], condition=Q(user__isnull=False),
                                    name="notification_once_user"),
            models.UniqueConstraint(fields=["task", "window", "endpoint", "channel"],
                                    condition=Q(endpoint__isnull=False), name="notification_once_endpoint"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, endpoint__isnull=True) | Q(user__isnull=True, endpoint__isnull=False),
                name="notification_one_recipient",
            ),
        ]
        # the queue's indexes cover only rows waiting or being sent: they stay small however many were sent
        indexes = [
            models.Index(fields=["user", "next_attempt_at"], condition=Q(state="pending", channel="email"),
                         name="notification_email_queue"),
            models.Index(fields=["endpoint", "next_attempt_at"], condition=Q(state="pending", channel="webhook"),
                         name="notification_webhook_queue"),
            models.Index(fields=["claimed_by", "claimed_at"], condition=Q(state="sending"),
                         name="notification_sending"),
        ]

    def __str__(self) -> str:
        return f"#{self.task_id} {self.window} → {self.user_id or self.endpoint_id} ({self.channel}, {self.state})"


class Delivery(models.Model):
    """One attempt to deliver: an e-mail digest to one person or one POST to one endpoint."""

    channel = models.CharField(max_length=8, choices=Notification.Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="deliveries")
    address = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    notifications = models.JSONField(default=list, help_text="ids of the notifications it carried")
    ok = models.BooleanField(default=False)
    retry = models.BooleanField(default=False, help_text="failed, and will be tried again")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lần gửi")
        verbose_name_plural = _("lần gửi")
        ordering = ["-started_at", "-id"]


class Occurrence(models.Model):
    """The next occurrence of a recurring task (định kỳ): created once per previous task. ``series`` is the first
    task, and due dates are counted from its deadline (31/01 monthly → 28/02 → 31/03, no drift)."""

    previous = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="next_occurrence")
    task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrence")
    series = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveIntegerField(help_text="1 for the occurrence after the first task")
    recurrence = models.CharField(max_length=16)
    due_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ tiếp theo")
        verbose_name_plural = _("kỳ tiếp theo")
