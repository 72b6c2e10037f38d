"""E-mail digests through a real SMTP server on loopback: what arrives, one digest per person, and what happens
when the server refuses, never answers or is not there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dondoc.reminders.models import Delivery, Notification, Reminder
from dondoc.reminders.runner import run_pass
from dondoc.tracking import services
from dondoc.tracking.models import Profile

pytestmark = pytest.mark.django_db


def subject(message) -> str:
    return message["Subject"].strip()  # Django folds a long encoded subject after "Subject:"; readers unfold it

WED = date(2027, 2, 3)  # the last working day before Tết Đinh Mùi (04–10/02/2027)


@pytest.fixture
def before_tet(org, make_task):
    """Bộ Tài chính's focal point: three tasks due soon (one of Cục Thuế, which has no focal point of its own) and
    one overdue; Bộ Y tế's: one due soon; one task far from its deadline."""
    return {
        "a": make_task(date(2027, 2, 11), content="Rà soát danh mục cơ sở khám bệnh sử dụng hóa đơn điện tử"),
        "b": make_task(date(2027, 2, 12), content="Báo cáo tình hình thu ngân sách nhà nước tháng 01"),
        "tax": make_task(date(2027, 2, 11), lead=org.tax, content="Cục Thuế hướng dẫn quyết toán thuế năm 2026"),
        "late": make_task(date(2027, 1, 20), content="Hoàn thiện hồ sơ đề án sắp xếp tài sản công"),
        "health": make_task(date(2027, 2, 11), lead=org.health, content="Bộ Y tế bảo đảm cung ứng thuốc dịp Tết"),
        "far": make_task(date(2027, 6, 30)),
    }


def test_one_digest_per_person_with_vietnamese_subject_text_and_html(smtp, emails, before_tet):
    result = run_pass(WED)
    assert (result.queued.reminders, result.queued.notifications, result.delivered.sent) == (5, 5, 5)
    assert result.delivered.messages == 2 and len(smtp.messages) == 2

    (finance,) = smtp.to("daumoi_btc@example.gov.vn")
    assert subject(finance) == "[dondoc] 3 nhiệm vụ sắp đến hạn, 1 nhiệm vụ quá hạn"
    assert finance["From"] == "dondoc@example.gov.vn"
    text = finance.get_body(preferencelist=("plain",)).get_content()
    html = finance.get_body(preferencelist=("html",)).get_content()
    assert "Kính gửi daumoi_btc (Bộ Tài chính)," in text
    assert "SẮP ĐẾN HẠN (3)" in text and "QUÁ HẠN (1)" in text
    assert f"#{before_tet['a'].pk} Rà soát danh mục cơ sở khám bệnh" in text
    assert "Hạn 11/02/2027, còn 1 ngày làm việc" in text  # Tết is not counted
    assert "Hạn 12/02/2027, còn 2 ngày làm việc" in text
    assert "Cục Thuế hướng dẫn quyết toán thuế" in text  # Cục Thuế has no focal point: its ministry's is told
    assert "Quá hạn 14 ngày (hạn 20/01/2027)" in text
    assert "Automatic reminder from dondoc: 3 tasks due soon, 1 task overdue." in text
    assert "<table" in html and "Sắp đến hạn (3)" in html and "Hoàn thiện hồ sơ đề án sắp xếp tài sản công" in html

    (health,) = smtp.to("daumoi_byt@example.gov.vn")
    assert subject(health) == "[dondoc] 1 nhiệm vụ sắp đến hạn"
    assert "Bộ Y tế bảo đảm cung ứng thuốc dịp Tết" in health.get_body(preferencelist=("plain",)).get_content()

    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert set(Reminder.objects.values_list("window", flat=True)) == {
        "before:1@2027-02-11", "before:7@2027-02-12", "overdue:2@2027-01-20"}
    assert Delivery.objects.filter(ok=True).count() == 2


def test_a_reminder_goes_once_per_window_and_the_next_window_brings_the_next(smtp, emails, before_tet):
    run_pass(WED)
    again = run_pass(WED)
    assert again.queued.notifications == 0
    tet = run_pass(date(2027, 2, 8))  # in the middle of Tết only the late task's weekly reminder (opened 04/02)
    assert tet.queued.by_kind == {"overdue": 1}
    assert len(smtp.messages) == 3

    back = run_pass(date(2027, 2, 11))  # due today: a, tax, health; b now 1 working day away; late: overdue:4
    assert back.queued.by_kind == {"due": 3, "before": 1, "overdue": 1}
    assert len(smtp.messages) == 5
    (*_, finance) = smtp.to("daumoi_btc@example.gov.vn")
    assert subject(finance) == "[dondoc] 1 nhiệm vụ sắp đến hạn, 2 nhiệm vụ đến hạn hôm nay, 1 nhiệm vụ quá hạn"


def test_an_extension_opens_fresh_windows_and_a_finished_task_is_not_reminded(smtp, emails, before_tet, users):
    run_pass(WED)
    task = before_tet["a"]
    services.request_extension(task, due=date(2027, 2, 26), reason="Chờ số liệu quyết toán", actor=users.finance_focal)
    services.decide_extension(task, approve=True, actor=users.officer)
    services.complete_task(before_tet["b"], result="Đã gửi báo cáo")
    result = run_pass(date(2027, 2, 17))  # a: 7 working days before 26/02 opens on 17/02
    assert result.queued.by_kind["before"] == 1
    assert Reminder.objects.filter(task=task, window="before:7@2027-02-26").exists()
    assert not Reminder.objects.filter(task=before_tet["b"], window__startswith="due").exists()


def test_escalation_goes_to_the_issuing_office_else_to_every_officer(smtp, emails, org, make_task, remind_settings):
    remind_settings(ESCALATE_AFTER=10)
    make_task(date(2027, 1, 20))  # issued by Bộ Tài chính, 14 days late on WED
    make_task(date(2027, 1, 20), issuer=org.health, lead=org.health)
    office = get_user_model().objects.create_user("vanphong_btc", email="vanphong.btc@example.gov.vn")
    Profile.objects.create(user=office, role=Profile.Role.OFFICER, agency=org.finance)

    result = run_pass(WED)
    assert result.queued.by_kind == {"overdue": 2, "escalate": 2}
    # Bộ Tài chính's document goes to its own office only; Bộ Y tế's has no officer of its own: every officer
    (to_finance_office,) = smtp.to("vanphong.btc@example.gov.vn")
    assert subject(to_finance_office) == "[dondoc] 2 nhiệm vụ quá hạn cần đôn đốc"
    text = to_finance_office.get_body(preferencelist=("plain",)).get_content()
    assert "Hệ thống dondoc báo cáo các nhiệm vụ quá hạn cần đôn đốc" in text
    assert "Chủ trì: Bộ Tài chính" in text and "Chủ trì: Bộ Y tế" in text
    (to_officer,) = smtp.to("chuyenvien@example.gov.vn")
    assert subject(to_officer) == "[dondoc] 1 nhiệm vụ quá hạn cần đôn đốc"
    assert "Chủ trì: Bộ Tài chính" not in to_officer.get_body(preferencelist=("plain",)).get_content()
    assert Notification.objects.filter(kind="escalate").count() == 3


def test_refused_messages_are_recorded_and_retried_after_the_backoff(smtp, emails, before_tet):
    smtp.handler.refuse = True
    t0 = timezone.now()
    first = run_pass(WED, now=t0)
    assert (first.delivered.sent, first.delivered.retrying, first.delivered.failed) == (0, 5, 0)
    assert smtp.messages == []
    row = Notification.objects.first()
    assert row.state == "pending" and row.attempts == 1 and row.next_attempt_at == t0 + timedelta(seconds=60)
    assert "550" in row.last_error and "Thư bị từ chối" in row.last_error
    assert Delivery.objects.filter(ok=False, retry=True, status_code=550).count() == 2
    assert any("550" in p for p in first.problems)

    smtp.handler.refuse = False
    assert run_pass(WED, now=t0 + timedelta(seconds=30)).delivered.sent == 0  # backoff not over
    later = run_pass(WED, now=t0 + timedelta(seconds=61))
    assert later.delivered.sent == 5 and later.queued.notifications == 0
    assert len(smtp.messages) == 2  # still one digest per person, nothing lost, nothing twice
    assert set(Notification.objects.values_list("state", "attempts", "last_error")) == {("sent", 2, "")}


def test_after_the_last_attempt_a_notification_is_failed_not_dropped(smtp, emails, before_tet, remind_settings):
    remind_settings(MAX_ATTEMPTS=2, BACKOFF_SECONDS=1)
    smtp.handler.refuse = True
    t0 = timezone.now()
    run_pass(WED, now=t0)
    second = run_pass(WED, now=t0 + timedelta(seconds=5))
    assert second.delivered.failed == 5 and second.delivered.retrying == 0
    assert set(Notification.objects.values_list("state", "attempts")) == {("failed", 2)}
    assert run_pass(WED, now=t0 + timedelta(hours=1)).delivered.sent == 0


def test_a_server_that_never_answers_times_out_once_and_nothing_is_lost(silent_smtp, smtp, settings, emails,
                                                                         before_tet, remind_settings):
    remind_settings(EMAIL_TIMEOUT=0.3)
    settings.EMAIL_PORT = silent_smtp.getsockname()[1]
    t0 = timezone.now()
    result = run_pass(WED, now=t0)
    assert _connections_waiting(silent_smtp) == 1  # one timeout for the pass, not one per digest
    assert (result.delivered.sent, result.delivered.retrying) == (0, 5)
    errors = set(Notification.objects.values_list("last_error", flat=True))
    assert all("không trả lời sau 0.3 giây" in e for e in errors), errors
    assert Delivery.objects.filter(error__startswith="Chưa gửi / not tried").count() == 1

    settings.EMAIL_PORT = smtp.port  # the server is back
    assert run_pass(WED, now=t0 + timedelta(minutes=2)).delivered.sent == 5
    assert len(smtp.messages) == 2


def test_a_server_that_is_not_there_is_reported(settings, emails, before_tet, remind_settings):
    from .conftest import _point_mail_at, free_port

    _point_mail_at(settings, free_port())
    result = run_pass(WED)
    assert result.delivered.retrying == 5
    assert "từ chối kết nối / the mail server refused the connection" in Notification.objects.first().last_error


def test_a_person_without_an_address_is_recorded_as_failed(smtp, users, before_tet):
    result = run_pass(WED)  # the fixture users have no e-mail address
    assert result.delivered.failed == 5 and smtp.messages == []
    assert "daumoi_btc chưa có địa chỉ thư điện tử" in Notification.objects.filter(
        user=users.finance_focal).first().last_error


def test_a_task_finished_before_its_retry_is_not_reminded(smtp, emails, before_tet):
    smtp.handler.refuse = True
    t0 = timezone.now()
    run_pass(WED, now=t0)
    services.complete_task(before_tet["a"], result="Đã hoàn thành rà soát")
    smtp.handler.refuse = False
    result = run_pass(WED, now=t0 + timedelta(minutes=5))
    assert result.delivered.cancelled == 1 and result.delivered.sent == 4
    cancelled = Notification.objects.get(task=before_tet["a"])
    assert cancelled.state == "cancelled" and "không còn đang thực hiện" in cancelled.last_error
    (finance,) = smtp.to("daumoi_btc@example.gov.vn")
    assert subject(finance) == "[dondoc] 2 nhiệm vụ sắp đến hạn, 1 nhiệm vụ quá hạn"


def test_stale_and_no_deadline_nudges(smtp, emails, make_task, remind_settings):
    remind_settings(STALE_DAYS=30, NO_DEADLINE_DAYS=30)
    quiet = make_task(date(2027, 6, 30), content="Xây dựng cơ sở dữ liệu tài sản công")
    open_ended = make_task(None, content="Nghiên cứu sửa đổi quy chế phối hợp")
    reported = make_task(date(2027, 6, 30), content="Tổ chức kiểm tra việc thực hiện")
    reported_on = timezone.localdate()
    services.report_progress(reported, text="Đã kiểm tra 3 địa phương", percent=40, on=reported_on)
    today = reported_on + timedelta(days=31)
    result = run_pass(today)
    assert result.queued.by_kind == {"stale": 3, "nodeadline": 1}
    windows = dict(Reminder.objects.values_list("task_id", "window"))
    assert windows[quiet.pk] == "stale:1@none" and windows[reported.pk] == f"stale:1@{reported_on}"
    (message,) = smtp.messages
    assert subject(message) == ("[dondoc] 3 nhiệm vụ chưa cập nhật tiến độ, 1 nhiệm vụ chưa có thời hạn")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Chưa cập nhật tiến độ từ {reported_on:%d/%m/%Y} (31 ngày)" in text
    assert "Chưa có thời hạn hoàn thành" in text
    assert open_ended.pk in Reminder.objects.filter(kind="nodeadline").values_list("task_id", flat=True)
    assert run_pass(today + timedelta(days=28)).queued.reminders == 0
    assert run_pass(today + timedelta(days=29)).queued.by_kind == {"stale": 3, "nodeadline": 1}


def test_a_long_digest_lists_the_first_tasks_counts_the_rest_and_escapes_html(smtp, emails, make_task,
                                                                               remind_settings):
    remind_settings(DIGEST_MAX_ITEMS=2, BASE_URL="https://dondoc.example.gov.vn/")
    tasks = [make_task(date(2027, 2, 11), content=f"Báo cáo <b>số {n}</b> & phụ lục") for n in range(4)]
    run_pass(WED)
    (message,) = smtp.messages
    assert subject(message) == "[dondoc] 4 nhiệm vụ sắp đến hạn"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "SẮP ĐẾN HẠN (4)" in text and "- ... và 2 nhiệm vụ khác." in text
    assert f"https://dondoc.example.gov.vn/api/tasks/{tasks[0].pk}/" in text
    assert "Báo cáo <b>số 0</b> & phụ lục" in text  # plain text as written
    assert "Báo cáo &lt;b&gt;số 0&lt;/b&gt; &amp; phụ lục" in html and "<b>số" not in html
    assert Notification.objects.filter(state="sent").count() == 4  # the two not listed were told of, by count


def _connections_waiting(listener) -> int:
    """How many connections reached a server that never accepted them."""
    listener.setblocking(False)
    n = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return n
        connection.close()
        n += 1
