"""A task's state from its events alone: the report buckets offices use, and the transitions they allow."""

from datetime import date

import pytest

from dondoc.tracking.states import Bucket, Snapshot, TransitionError, apply, replay

D = date.fromisoformat


def created(due="2026-06-30", lead=(1,), draft=False):
    return ("created", D("2026-03-10"), {"content": "Rà soát", "lead": list(lead), "due": due, "draft": draft})


def test_a_confirmed_task_is_not_due_until_its_deadline_passes_then_overdue():
    s = replay([created()])
    assert s.bucket(D("2026-06-30")) == Bucket.NOT_DUE
    assert s.bucket(D("2026-07-01")) == Bucket.OVERDUE


def test_a_progress_report_makes_an_open_task_in_progress_within_its_deadline():
    s = replay([created(), ("progress", D("2026-04-01"), {"text": "Đã họp", "percent": 40})])
    assert s.bucket(D("2026-04-02")) == Bucket.IN_PROGRESS
    assert s.progress_percent == 40
    assert s.bucket(D("2026-07-01")) == Bucket.OVERDUE  # progress does not excuse lateness


def test_done_on_time_is_judged_against_the_deadline_in_force_when_finished():
    events = [
        created(due="2026-06-30"),
        ("extension_requested", D("2026-06-20"), {"due": "2026-07-31", "reason": "chờ số liệu"}),
        ("extension_approved", D("2026-06-25"), {"reason": ""}),
        ("completed", D("2026-07-15"), {}),
    ]
    s = replay(events)
    assert s.bucket(D("2026-08-01")) == Bucket.DONE_ON_TIME
    assert (s.original_due, s.due, s.extensions) == (D("2026-06-30"), D("2026-07-31"), 1)


def test_an_extension_approved_after_completion_does_not_make_a_late_task_on_time():
    events = [created(due="2026-06-30"), ("completed", D("2026-07-15"), {})]
    assert replay(events).bucket(D("2026-08-01")) == Bucket.DONE_LATE
    with pytest.raises(TransitionError) as error:
        apply(replay(events), "extension_requested", D("2026-07-20"), {"due": "2026-08-31"})
    assert error.value.code == "task_not_open"


def test_an_approval_may_set_another_date_than_the_one_asked_for():
    s = replay([created(), ("extension_requested", D("2026-06-01"), {"due": "2026-09-30"}),
                ("extension_approved", D("2026-06-02"), {"due": "2026-08-15"})])
    assert s.due == D("2026-08-15")


def test_a_refused_extension_keeps_the_deadline():
    s = replay([created(), ("extension_requested", D("2026-06-01"), {"due": "2026-09-30"}),
                ("extension_refused", D("2026-06-02"), {"reason": "không có căn cứ"})])
    assert (s.due, s.extensions, s.pending_extension) == (D("2026-06-30"), 0, None)


def test_a_decision_needs_a_pending_request_and_only_one_request_waits_at_a_time():
    s = replay([created()])
    with pytest.raises(TransitionError, match="No extension request"):
        apply(s, "extension_approved", D("2026-05-01"), {})
    s = apply(s, "extension_requested", D("2026-05-01"), {"due": "2026-07-31"})
    with pytest.raises(TransitionError, match="already waiting"):
        apply(s, "extension_requested", D("2026-05-02"), {"due": "2026-08-31"})


def test_a_task_without_deadline_is_never_overdue():
    assert replay([created(due=None)]).bucket(D("2030-01-01")) == Bucket.NOT_DUE


def test_drafts_are_reviewed_before_they_count_and_need_a_lead_to_be_confirmed():
    s = replay([created(draft=True, lead=())])
    assert s.bucket(D("2026-03-11")) == Bucket.DRAFT
    with pytest.raises(TransitionError, match="no lead"):
        apply(s, "confirmed", D("2026-03-11"), {})
    s = apply(s, "corrected", D("2026-03-11"), {"changes": {"lead": [[], [7]], "due": [None, "2026-05-31"]}})
    s = apply(s, "confirmed", D("2026-03-11"), {})
    assert (s.status, s.lead, s.original_due) == ("open", (7,), D("2026-05-31"))


def test_a_confirmed_task_is_not_corrected_but_extended_or_transferred():
    with pytest.raises(TransitionError):
        apply(replay([created()]), "corrected", D("2026-03-11"), {"changes": {"content": ["a", "b"]}})


def test_withdrawn_and_transferred_tasks_leave_the_open_buckets_and_only_withdrawn_or_done_can_reopen():
    assert replay([created(), ("withdrawn", D("2026-05-01"), {})]).bucket(D("2026-08-01")) == Bucket.WITHDRAWN
    transferred = replay([created(), ("transferred", D("2026-05-01"), {"to": [2]})])
    assert transferred.bucket(D("2026-08-01")) == Bucket.TRANSFERRED
    with pytest.raises(TransitionError):
        apply(transferred, "reopened", D("2026-05-02"), {})
    reopened = replay([created(), ("completed", D("2026-05-01"), {}), ("reopened", D("2026-05-03"), {})])
    assert (reopened.status, reopened.done_on) == ("open", None)


def test_a_merger_hands_the_lead_to_the_successor_and_keeps_the_task_open():
    s = replay([("created", D("2025-01-10"), {"lead": [1, 2], "support": [3], "due": "2025-12-31", "draft": False}),
                ("succeeded", D("2025-03-01"), {"from": 3, "to": 2})])
    assert (s.lead, s.support, s.status) == ((1, 2), (), "open")
    s = apply(s, "succeeded", D("2025-03-01"), {"from": 1, "to": 9})
    assert s.lead == (9, 2)


def test_replay_as_of_a_past_day_ignores_what_happened_later():
    events = [created(), ("completed", D("2026-07-10"), {})]
    assert replay(events, as_of=D("2026-07-05")).bucket(D("2026-07-05")) == Bucket.OVERDUE
    assert replay(events, as_of=D("2026-07-10")).bucket(D("2026-07-10")) == Bucket.DONE_LATE


def test_an_empty_history_is_a_draft_and_unknown_events_are_refused():
    assert Snapshot().bucket(D("2026-01-01")) == Bucket.DRAFT
    with pytest.raises(ValueError, match="unknown event"):
        apply(Snapshot(), "teleported", D("2026-01-01"), {})


def test_an_event_dated_before_the_task_existed_counts_from_the_day_it_was_created():
    events = [("created", D("2026-04-15"), {"lead": [1], "due": "2026-06-30", "draft": False}),
              ("progress", D("2026-04-01"), {"text": "Đã họp từ trước", "percent": 10})]
    assert replay(events, as_of=D("2026-04-05")) == Snapshot()  # the task did not exist yet
    assert replay(events, as_of=D("2026-04-15")).bucket(D("2026-04-15")) == Bucket.IN_PROGRESS
