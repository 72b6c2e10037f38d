"""Task items are written out by hand for speed; they must say exactly what DRF's declared fields say."""

from datetime import date

from dondoc.api import present
from dondoc.api.serializers import TaskDetail, TaskItem
from dondoc.tracking import services


def test_a_written_out_task_item_equals_its_declared_fields(confirmed, users, org):
    inspect = confirmed.inspect
    services.report_progress(inspect, text="Đã rà soát 12 cơ sở", percent=40, actor=users.finance_focal)
    services.complete_task(inspect, result="Xong", on=date(2026, 4, 10), actor=users.finance_focal)
    services.add_task(inspect.document, content="Báo cáo bổ sung", lead=[org.health.pk], draft=False,
                      parent=inspect, recurrence="monthly")  # no passage, a parent, no deadline
    tasks = present.decorate(list(present.task_queryset().select_related("document")))
    assert len(tasks) >= 4 and any(t.span is None for t in tasks) and any(t.done_on for t in tasks)
    for task in tasks:
        item = TaskItem(task)
        assert item.data == item.field_by_field(task)
        task.timeline = present.events_of([task.pk], users.officer)
        detail = TaskDetail(task)
        assert detail.data == detail.field_by_field(task)
