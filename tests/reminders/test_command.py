"""`dondoc remind` as cron and systemd run it: a bilingual summary, --dry-run, --loop, failures reported."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dondoc.reminders.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def remind(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("remind", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_pass_prints_a_bilingual_summary(smtp, emails, make_task, org):
    make_task(date(2027, 2, 11))
    make_task(date(2027, 1, 20), lead=org.province)  # the province has no focal point
    out, err = remind("--today", "2027-02-03")
    assert "03/02/2027: 1 thông báo mới xếp hàng (2 lượt nhắc), 1 đã gửi, 0 gửi lỗi sẽ thử lại, 0 thất bại" in out
    assert "/ 1 notifications queued (2 reminders), 1 sent, 0 failed and retrying, 0 failed" in out
    assert "1 lượt nhắc không có người nhận" in out and "the lead agency has no focal point" in out
    assert err == "" and len(smtp.messages) == 1


def test_a_dry_run_counts_and_writes_nothing(smtp, emails, make_task):
    make_task(date(2027, 2, 11))
    out, _ = remind("--today", "2027-02-03", "--dry-run")
    assert "[thử / dry run] 03/02/2027: sẽ xếp 1 thông báo cho 1 lượt nhắc" in out
    assert not Reminder.objects.exists() and smtp.messages == []


def test_failures_for_good_end_in_an_error_and_can_be_given_another_round(smtp, users, make_task):
    make_task(date(2027, 2, 11))
    with pytest.raises(CommandError, match="1 thông báo gửi thất bại"):
        remind("--today", "2027-02-03")
    users.finance_focal.email = "daumoi.btc@example.gov.vn"
    users.finance_focal.save()
    out, _ = remind("--today", "2027-02-03", "--retry-failed")
    assert "1 thông báo thất bại được gửi lại / failed notifications requeued" in out
    assert Notification.objects.get().state == "sent" and len(smtp.messages) == 1


def test_the_loop_runs_passes_until_told_to_stop(smtp, emails, make_task):
    make_task(date(2027, 2, 11))
    out, _ = remind("--today", "2027-02-03", "--loop", "--interval", "0", "--passes", "3")
    assert out.count("03/02/2027:") == 3 and "dondoc remind đã dừng / stopped" in out
    assert len(smtp.messages) == 1


def test_bad_settings_stop_the_command_with_a_message(remind_settings, org):
    remind_settings(DAYS="âm lịch")
    with pytest.raises(CommandError, match="DAYS"):
        remind()


def test_a_non_working_day_queues_nothing_when_asked(smtp, emails, make_task, remind_settings):
    remind_settings(SKIP_NON_WORKING_DAYS=True)
    make_task(date(2027, 1, 20))
    out, _ = remind("--today", "2027-02-08")  # Tết
    assert "08/02/2027 không phải ngày làm việc" in out and not Reminder.objects.exists()
    remind("--today", "2027-02-11")
    assert list(Reminder.objects.values_list("window", flat=True)) == ["overdue:4@2027-01-20"]
