"""Request and response bodies. Input serializers are strict (unknown fields → 400 ``unknown_field``) and only
check shape and types; the rules (who, when, which dates) stay in ``tracking.services`` and ``tracking.policy``."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from dondoc.extract.model import RECURRENCES
from dondoc.tracking.models import Event
from dondoc.tracking.selectors import SORTS
from dondoc.tracking.states import Bucket

from .errors import bilingual
from .fields import AgencyRefList, BriefAgency, StrictSerializer

# ---------------------------------------------------------------------------------------------------- output


class BriefDocument(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class SourceSpan(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class TaskItem(serializers.Serializer):
    """A task as lists show it. ``state`` is its report bucket today (``Bucket``), ``state_label`` its name."""

    id = serializers.IntegerField()
    content = serializers.CharField()
    state = serializers.ChoiceField(choices=Bucket.choices, source="bucket")
    state_label = serializers.CharField()
    lead = BriefAgency(many=True, source="lead_list")
    support = BriefAgency(many=True, source="support_list")
    due_date = serializers.DateField(allow_null=True)
    original_due = serializers.DateField(allow_null=True)
    deadline_text = serializers.CharField()
    recurrence = serializers.CharField()
    progress_percent = serializers.IntegerField()
    extensions = serializers.IntegerField()
    done_on = serializers.DateField(allow_null=True)
    is_public = serializers.BooleanField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True,
                                      help_text="the task this one breaks down or was transferred from")
    document = BriefDocument()
    source = SourceSpan(source="span", allow_null=True, help_text="the passage in the document's text")
    created_at = serializers.DateTimeField()

    #: the columns ``to_representation`` reads, for ``QuerySet.only`` (with the ``bucket`` annotation)
    COLUMNS = ("id", "content", "due_date", "original_due", "deadline_text", "recurrence", "progress_percent",
               "extensions", "done_on", "is_public", "parent_id", "document_id", "source_start", "source_end",
               "created_at", "document__id", "document__number")

    def to_representation(self, task) -> dict:
        """The fields above written out in one step: a list page serialises up to 100 tasks, and DRF's field by
        field walk cost more than the page's queries (tests check both give the same answer)."""
        return {
            "id": task.id, "content": task.content, "state": str(task.bucket), "state_label": task.state_label,
            "lead": [{"id": a["id"], "name": a["name"]} for a in task.lead_list],
            "support": [{"id": a["id"], "name": a["name"]} for a in task.support_list],
            "due_date": _iso(task.due_date), "original_due": _iso(task.original_due),
            "deadline_text": task.deadline_text, "recurrence": task.recurrence,
            "progress_percent": task.progress_percent, "extensions": task.extensions, "done_on": _iso(task.done_on),
            "is_public": task.is_public, "parent": task.parent_id,
            "document": {"id": task.document.id, "number": task.document.number},
            "source": dict(task.span) if task.span is not None else None,
            "created_at": _iso_moment(task.created_at),
        }

    def field_by_field(self, task) -> dict:
        """DRF's own serialisation of the declared fields, which ``to_representation`` must equal."""
        return super().to_representation(task)


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _iso_moment(moment) -> str | None:
    """What DRF's DateTimeField writes (ISO 8601 in the current time zone, "Z" for UTC), without its per-value
    time zone checks: a page writes up to 500 of these."""
    if moment is None:
        return None
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EventFile(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    on = serializers.DateField(help_text="the day it happened")
    at = serializers.DateTimeField(help_text="when it was recorded")
    actor = serializers.CharField(source="shown_actor", allow_null=True)
    data = serializers.DictField(help_text="what the event says: text, percent, due, reason, changes...")
    files = EventFile(many=True)
    hash = serializers.CharField()


class TaskDetail(TaskItem):
    events = EventOut(many=True, source="timeline")

    def to_representation(self, task) -> dict:
        return super().to_representation(task) | {"events": self.fields["events"].to_representation(task.timeline)}


class EventResult(serializers.Serializer):
    event = EventOut()
    task = TaskItem()


class TransferResult(EventResult):
    new_task = TaskItem(help_text="the open task the receiving agency now leads")


class TaskList(serializers.Serializer):
    tasks = TaskItem(many=True)


class Citation(serializers.Serializer):
    text = serializers.CharField()
    type = serializers.CharField(allow_null=True)
    number = serializers.CharField(allow_null=True)
    issued_date = serializers.DateField(allow_null=True)
    span = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)


class DocumentItem(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    type = serializers.CharField()
    issuer = BriefAgency(allow_null=True)
    issuer_name = serializers.CharField()
    issued_date = serializers.DateField(allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["draft", "confirmed"])
    status_label = serializers.CharField(source="get_status_display")
    original_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class DocumentDetail(DocumentItem):
    citations = Citation(many=True)
    text = serializers.CharField()
    tasks = TaskItem(many=True, source="task_list")


class DatedAgency(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    effective_on = serializers.DateField()
    primary = serializers.BooleanField()


class AgencyItem(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    parent = BriefAgency(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    source = serializers.CharField()


class AgencyDetail(AgencyItem):
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    children = BriefAgency(many=True, source="child_list")
    successors = DatedAgency(many=True, source="successor_list")
    predecessors = DatedAgency(many=True, source="predecessor_list")


class Me(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    role_label = serializers.CharField(allow_null=True)
    agency = BriefAgency(allow_null=True)
    can_ingest = serializers.BooleanField()
    can_manage_agencies = serializers.BooleanField()


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class Bilingual(serializers.Serializer):
    """A message in Vietnamese and English (errors, indicator statuses)."""

    vi = serializers.CharField()
    en = serializers.CharField()


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = Bilingual()
    fields = serializers.DictField(child=Bilingual(many=True))


class ErrorOut(serializers.Serializer):
    error = ErrorDetail()


# ---------------------------------------------------------------------------------------------------- input


class TokenIn(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class DocumentFileIn(StrictSerializer):
    file = serializers.FileField(help_text="the directive: .txt .md .html .htm .docx .pdf .doc")


class DocumentTextIn(StrictSerializer):
    text = serializers.CharField(trim_whitespace=False, help_text="the directive's text")

    def validate_text(self, value: str) -> str:
        if not value.strip():
            self.fields["text"].fail("blank")
        return value


class AddTaskIn(StrictSerializer):
    content = serializers.CharField()
    lead = AgencyRefList(required=False, default=list)
    support = AgencyRefList(required=False, default=list)
    due = serializers.DateField(required=False, allow_null=True, default=None)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    source_start = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    source_end = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)


class TaskCorrectionIn(StrictSerializer):
    content = serializers.CharField(required=False)
    lead = AgencyRefList(required=False)
    support = AgencyRefList(required=False)
    due = serializers.DateField(required=False, allow_null=True)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=255)
    recurrence = serializers.ChoiceField(choices=["", *RECURRENCES], required=False, allow_blank=True)


class DiscardIn(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SplitIn(StrictSerializer):
    parts = serializers.ListField(child=serializers.CharField(), min_length=2,
                                  help_text="the text of each new task, two or more")


class MergeIn(StrictSerializer):
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=2,
                                  help_text="ids of two or more draft tasks of one document")


class ProgressIn(StrictSerializer):
    text = serializers.CharField(allow_blank=True, max_length=10000)
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100, default=None)
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="the day of the report (default today)")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="evidence files (multipart/form-data only)")


class ExtensionRequestIn(StrictSerializer):
    due = serializers.DateField(help_text="the deadline asked for")
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class ExtensionDecisionIn(StrictSerializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    due = serializers.DateField(required=False, allow_null=True, default=None,
                                help_text="when approving, a deadline other than the one asked for")


class TransferIn(StrictSerializer):
    to = AgencyRefList(min_length=1, help_text="the receiving agency or agencies (ids or names)")
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    decision = serializers.CharField(required=False, allow_blank=True, max_length=255, default="",
                                     help_text="the document deciding the transfer")
    due = serializers.DateField(required=False, allow_null=True, default=None)


class WithdrawIn(StrictSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    decision = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class CompleteIn(StrictSerializer):
    result = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="the day it was finished (default today)")


class ReopenIn(StrictSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="the day it was reopened (default today; not before the task's last event)")


class AgencyIn(StrictSerializer):
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    kind = serializers.CharField(required=False, allow_blank=True, max_length=32)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=255), required=False,
                                    help_text="other names to register (existing ones are kept)")


# ---------------------------------------------------------------------------------------------------- queries


class CommaBuckets(serializers.CharField):
    def to_internal_value(self, data):
        values = [v.strip() for v in super().to_internal_value(data).split(",") if v.strip()]
        wrong = [v for v in values if v not in Bucket.values]
        if wrong:
            allowed = ", ".join(Bucket.values)
            raise serializers.ValidationError(bilingual(
                f"Trạng thái không hợp lệ: {', '.join(wrong)}. Dùng: {allowed}.",
                f"Unknown state(s): {', '.join(wrong)}. Use: {allowed}."), code="invalid_choice")
        return tuple(dict.fromkeys(values))


class TaskQuery(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="agency id or name: its tasks, its units' tasks "
                                   "(see include_units) and those of agencies it succeeded")
    include_units = serializers.BooleanField(required=False, default=True)
    role = serializers.ChoiceField(choices=["lead", "support"], required=False,
                                   help_text="with agency: only tasks it leads, or supports")
    state = CommaBuckets(required=False, help_text="comma-separated: " + ", ".join(Bucket.values))
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    document = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, help_text="words in the content, deadline or agency names; "
                              "diacritics and case ignored")
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="due")
    as_of = serializers.DateField(required=False, help_text="report each task's state at the end of this past "
                                  "day, rebuilt from its events (tasks created later are left out)")

    def validate(self, attrs):
        if attrs.get("role") and not attrs.get("agency"):
            raise serializers.ValidationError({"role": [bilingual("Lọc theo vai trò cần chọn cơ quan (agency).",
                                                                  "Filtering by role needs an agency.")]})
        if attrs.get("due_from") and attrs.get("due_to") and attrs["due_from"] > attrs["due_to"]:
            raise serializers.ValidationError({"due_to": [bilingual("«due_to» phải sau hoặc bằng «due_from».",
                                                                    "«due_to» must not be before «due_from».")]})
        return attrs


class DocumentQuery(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="part of the number or the title")
    status = serializers.ChoiceField(choices=["draft", "confirmed"], required=False)


class AgencyQuery(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="words of a name or alias; case and diacritics ignored")
    kind = serializers.CharField(required=False)

