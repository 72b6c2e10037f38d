"""The tracking service's writes: ingest, review, follow-up, mergers; each one transaction, each change an event."""

from datetime import date, timedelta

import pytest

from dondoc.extract import extract_text
from dondoc.tracking import selectors, services
from dondoc.tracking.models import Agency, AgencySuccession, Document, Event, Task
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.services import ServiceError
from dondoc.tracking.states import Bucket

D = date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(org, directive_text):
    return services.ingest_directive(extract_text(directive_text), file_bytes=directive_text.encode(),
                                     file_name="1234-btc.txt")


def leads(task):
    return [a.agency.name for a in task.assignments.filter(role="lead", active=True).order_by("position")]


# ------------------------------------------------------------------------------------------------------ ingest


def test_ingest_stores_the_document_and_one_draft_task_per_extracted_task(ingested, org):
    doc = ingested.document
    assert ingested.created and (doc.number, doc.issuer, doc.issued_date) == ("1234/BTC-CNTT", org.finance,
                                                                               D("2026-03-10"))
    assert doc.file.read().decode().startswith("BỘ TÀI CHÍNH")
    tasks = list(doc.tasks.order_by("source_start"))
    assert [t.status for t in tasks] == ["draft"] * 3
    assert leads(tasks[0]) == ["Cục Thuế"] and tasks[0].due_date == D("2026-06-30")
    assert " ".join(doc.text[tasks[0].source_start:tasks[0].source_end].split()) == tasks[0].content
    assert tasks[2].recurrence == "quarterly" and tasks[2].due_date is None
    assert Event.objects.filter(kind="created").count() == 3


def test_the_same_directive_ingested_again_is_recognised_by_its_text_or_its_number_and_issuer(ingested,
                                                                                            directive_text):
    again = services.ingest_directive(extract_text(directive_text))
    assert (again.created, again.document, again.duplicate_reason) == (False, ingested.document, "content")
    reworded = directive_text.replace("Để triển khai", "Nhằm triển khai")  # e.g. the PDF of the same letter
    again = services.ingest_directive(extract_text(reworded))
    assert (again.created, again.duplicate_reason) == (False, "number_issuer")
    assert Document.objects.count() == 1


def test_a_name_not_in_the_registry_becomes_an_agency_kept_as_written(org):
    result = services.ingest_directive(extract_text(
        "Tổ công tác triển khai Đề án 06 chủ trì tổng hợp kết quả, báo cáo trước ngày 15/12/2026."))
    agency = Agency.objects.get(name="Tổ công tác triển khai Đề án 06")
    assert agency.source == Agency.Source.EXTRACTED and leads(result.tasks[0]) == [agency.name]


def test_a_failed_ingest_leaves_no_rows_and_no_file(org, directive_text, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_create_draft", explode)
    with pytest.raises(RuntimeError):
        services.ingest_directive(extract_text(directive_text), file_bytes=b"x", file_name="a.txt")
    assert (Document.objects.count(), Task.objects.count(), Event.objects.count()) == (0, 0, 0)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# ------------------------------------------------------------------------------------------------------ review


def test_a_reviewer_corrects_lead_and_deadline_and_the_event_keeps_before_and_after(ingested, org):
    task = ingested.document.tasks.order_by("source_start")[1]
    services.correct_task(task, lead=["Bộ Tài chính"], support=[org.health.pk], due=D("2026-08-31"))
    task.refresh_from_db()
    assert leads(task) == ["Bộ Tài chính"] and task.due_date == task.original_due == D("2026-08-31")
    change = task.events.get(kind="corrected").data["changes"]
    assert change["lead"] == [[org.health.pk], [org.finance.pk]] and change["due"] == ["2026-09-30", "2026-08-31"]


def test_an_unknown_agency_is_refused_with_the_closest_registered_names(ingested):
    task = ingested.document.tasks.first()
    with pytest.raises(ServiceError) as error:
        services.correct_task(task, lead=["Bộ Tài chánh"])
    assert error.value.field == "lead" and "Bộ Tài chính" in error.value.extra["closest"]
    assert not task.events.filter(kind="corrected").exists()


def test_a_deadline_before_the_directive_was_issued_is_refused(ingested):
    with pytest.raises(ServiceError, match="before the task was assigned"):
        services.correct_task(ingested.document.tasks.first(), due=D("2026-01-01"))


def test_confirming_a_document_confirms_all_its_drafts_or_none_when_one_has_no_lead(ingested):
    doc = ingested.document
    unled = services.add_task(doc, content="Tổng hợp ý kiến các đơn vị")
    with pytest.raises(ServiceError) as error:
        services.confirm_document(doc)
    assert error.value.code == "no_lead" and error.value.status == 409
    assert set(doc.tasks.values_list("status", flat=True)) == {"draft"}
    services.discard_task(unled)
    services.confirm_document(doc)
    assert sorted(doc.tasks.values_list("status", flat=True)) == ["discarded", "open", "open", "open"]


def test_merge_and_split_replace_drafts_with_new_ones_and_record_why(ingested):
    first, second, third = ingested.document.tasks.order_by("source_start")
    merged = services.merge_tasks([second, first])
    assert merged.content.startswith("Cục Thuế chủ trì") and merged.due_date == D("2026-06-30")
    assert sorted(leads(merged)) == ["Bộ Y tế", "Cục Thuế"]
    assert first.events.get(kind="discarded").data == {"merged_into": merged.pk}
    parts = services.split_task(third, ["Cục Thuế báo cáo kết quả thực hiện", "định kỳ hằng quý"])
    assert [p.content for p in parts] == ["Cục Thuế báo cáo kết quả thực hiện", "định kỳ hằng quý"]
    assert parts[0].source_start == ingested.document.text.index("Cục Thuế báo cáo")
    third.refresh_from_db()
    assert third.status == "discarded"


# ------------------------------------------------------------------------------------------------------ follow-up


@pytest.fixture
def open_task(ingested):
    services.confirm_document(ingested.document)
    return ingested.document.tasks.order_by("source_start").first()


def test_progress_with_evidence_files_is_recorded(open_task, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = services.report_progress(open_task, text="Đã rà soát 40 cơ sở", percent=40,
                                     files=[("bien-ban.pdf", b"%PDF-1.4 ...")])
    open_task.refresh_from_db()
    assert open_task.progress_percent == 40 and open_task.last_progress_on is not None
    evidence = event.files.get()
    assert (evidence.original_name, evidence.size) == ("bien-ban.pdf", 12)
    with pytest.raises(ServiceError, match="0 to 100"):
        services.report_progress(open_task, text="x", percent=140)


def test_an_extension_moves_the_deadline_and_keeps_the_original(open_task):
    services.request_extension(open_task, due=D("2026-08-31"), reason="Chờ số liệu của Bộ Y tế")
    services.decide_extension(open_task, approve=True)
    open_task.refresh_from_db()
    assert (open_task.original_due, open_task.due_date, open_task.extensions) == (D("2026-06-30"),
                                                                                  D("2026-08-31"), 1)


def test_an_extension_for_a_finished_task_is_refused_and_changes_nothing(open_task):
    services.complete_task(open_task, result="Đã hoàn thành")
    before = Event.objects.count()
    with pytest.raises(ServiceError) as error:
        services.request_extension(open_task, due=D("2026-12-31"), reason="thêm việc")
    assert error.value.status == 409 and Event.objects.count() == before


def test_a_transfer_closes_the_task_and_opens_a_linked_one_for_the_new_lead(open_task, org):
    with pytest.raises(ServiceError, match="already leading"):
        services.transfer_task(open_task, to=["Cục Thuế"], reason="nhầm")
    new = services.transfer_task(open_task, to=[org.health.pk], reason="Đúng chức năng của Bộ Y tế",
                                 decision="Văn bản 99/BTC-VP")
    open_task.refresh_from_db()
    assert open_task.status == "transferred" and new.parent == open_task and new.status == "open"
    assert leads(new) == ["Bộ Y tế"] and new.due_date == open_task.due_date


def test_completion_is_on_time_against_the_deadline_in_force_that_day(open_task):
    services.complete_task(open_task, on=D("2026-06-30"))
    open_task.refresh_from_db()
    assert (open_task.status, open_task.done_late) == ("done", False)
    services.reopen_task(open_task, reason="Kết quả chưa đạt", on=D("2026-07-01"))
    services.complete_task(open_task, on=D("2026-07-01"))
    open_task.refresh_from_db()
    assert open_task.done_late is True


# ------------------------------------------------------------------------------------------------------ agencies


def test_a_late_ingested_directive_to_a_merged_agency_goes_to_its_successor_and_the_lineage_finds_it(org):
    doc = services.ingest_directive(extract_text(
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 77/VPCP-KGVX\nHà Nội, ngày 6 tháng 1 năm 2025\n"
        "1. Bộ Thông tin và Truyền thông chủ trì xây dựng nền tảng dữ liệu, hoàn thành trong Quý II/2025.\n"
        "2. Bộ Thông tin và Truyền thông báo cáo kết quả chuyển đổi số trước ngày 31/1/2025.\n")).document
    assert all(leads(t) == ["Bộ Thông tin và Truyền thông"] for t in doc.tasks.all())  # drafts show what was written
    services.confirm_document(doc)
    for task in doc.tasks.all():
        assert leads(task) == ["Bộ Khoa học và Công nghệ"]
        assert task.events.get(kind="succeeded").on == D("2025-03-01")
    assert services.apply_successions() == 0  # once
    # the successor answers for the predecessor's history; the old name still finds its tasks
    for agency in (org.science, org.ict):
        assert selectors.tasks(TaskFilter(agency=agency)).count() == 2


def test_open_tasks_move_to_the_successor_on_the_day_of_the_merger_not_before(open_task, org):
    on = D("2026-05-01")  # after the directive (10/3/2026), before today
    AgencySuccession.objects.create(predecessor=org.tax, successor=org.finance, effective_on=on)
    assert services.apply_successions(on - timedelta(days=1)) == 0
    assert services.apply_successions(on) == 2  # Cục Thuế led two tasks of the directive
    assert leads(open_task) == ["Bộ Tài chính"]
    assert services.task_snapshot(open_task, as_of=on - timedelta(days=1)).lead == (org.tax.pk,)  # history kept


def test_an_agency_filter_includes_its_units_unless_asked_not_to(open_task, org):
    assert open_task in selectors.tasks(TaskFilter(agency=org.finance))
    assert open_task not in selectors.tasks(TaskFilter(agency=org.finance, include_units=False))


def test_the_registry_loads_ministries_provinces_and_the_2025_mergers(db):
    services.sync_registry()
    ict = services.find_agency("Bộ TT&TT")
    assert ict.name == "Bộ Thông tin và Truyền thông" and ict.valid_to == D("2025-02-28")
    primary = ict.successions.get(primary=True)
    assert (primary.successor.name, primary.effective_on) == ("Bộ Khoa học và Công nghệ", D("2025-03-01"))
    assert services.find_agency("UBND tỉnh Lâm Đồng").name == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert services.sync_registry() == {"agencies": 0, "aliases": 0, "successions": 0}  # idempotent


# ------------------------------------------------------------------------------------------------------ reads


def test_state_on_a_past_day_is_rebuilt_from_events(open_task):
    services.complete_task(open_task, on=D("2026-07-10"))
    assert selectors.bucket_on(open_task, D("2026-07-05")) == Bucket.OVERDUE
    assert selectors.bucket_on(open_task, D("2026-07-10")) == Bucket.DONE_LATE
    on_day = selectors.buckets_on(D("2026-07-05"))
    assert on_day[open_task.pk] == Bucket.OVERDUE


def test_counts_per_agency_put_each_task_in_one_bucket(open_task, org):
    services.complete_task(open_task, on=D("2026-06-01"))
    counts = selectors.state_counts(period=(D("2026-04-01"), D("2026-09-30")), today=D("2026-10-01"))
    assert counts[org.tax.pk] == {"done_on_time": 1}
    assert counts[org.health.pk] == {"overdue": 1}


def test_search_ignores_diacritics_and_case(open_task):
    assert open_task in selectors.tasks(TaskFilter(query="RA SOAT danh muc"))
    assert not selectors.tasks(TaskFilter(query="kết nối dữ liệu hóa đơn xyz")).exists()


def test_progress_or_completion_dated_before_the_task_was_assigned_is_refused(open_task):
    for write in (lambda: services.report_progress(open_task, text="Đã họp", on=D("2026-03-01")),
                  lambda: services.complete_task(open_task, on=D("2026-03-09"))):
        with pytest.raises(ServiceError) as error:
            write()
        assert (error.value.code, error.value.field) == ("before_assignment", "on")


def test_successions_cannot_be_applied_ahead_of_time(open_task, org):
    later = date.today() + timedelta(days=30)
    AgencySuccession.objects.create(predecessor=org.tax, successor=org.finance, effective_on=later)
    with pytest.raises(ServiceError) as error:
        services.apply_successions(later)
    assert error.value.code == "future_date" and leads(open_task) == ["Cục Thuế"]


def test_an_approved_extension_cannot_move_the_deadline_earlier(open_task):
    services.request_extension(open_task, due=D("2026-08-31"), reason="Chờ số liệu")
    with pytest.raises(ServiceError) as error:
        services.decide_extension(open_task, approve=True, due=D("2026-06-15"))
    assert (error.value.code, error.value.field) == ("extension_not_later", "due")
    open_task.refresh_from_db()
    assert (open_task.due_date, open_task.extensions) == (D("2026-06-30"), 0)


def test_a_backdated_report_or_completion_cannot_precede_the_last_reopening(open_task):
    services.complete_task(open_task, on=D("2026-06-20"))
    with pytest.raises(ServiceError) as error:
        services.reopen_task(open_task, reason="Kết quả chưa đạt", on=D("2026-06-19"))
    assert error.value.code == "before_last_event"
    services.reopen_task(open_task, reason="Kết quả chưa đạt")  # today
    reopened_on = open_task.events.get(kind="reopened").on
    for write in (lambda: services.report_progress(open_task, text="Đã bổ sung", on=D("2026-06-25")),
                  lambda: services.complete_task(open_task, on=D("2026-06-25"))):
        with pytest.raises(ServiceError) as error:
            write()
        assert (error.value.code, error.value.field) == ("before_reopening", "on")
    services.complete_task(open_task, on=reopened_on)
    # every past day can still be rebuilt
    assert services.task_snapshot(open_task, as_of=D("2026-06-22")).status == "done"


def test_the_same_number_from_the_same_issuer_in_another_year_is_another_directive(org):
    letter = ("BỘ TÀI CHÍNH\nSố: 05/CT-BTC\nHà Nội, ngày 2 tháng 2 năm {year}\n"
              "1. Cục Thuế chủ trì rà soát hồ sơ tồn đọng, hoàn thành trước ngày 30/6/{year}.\n")
    first = services.ingest_directive(extract_text(letter.format(year=2025)))
    second = services.ingest_directive(extract_text(letter.format(year=2026)))
    assert first.created and second.created and first.document != second.document
    again = services.ingest_directive(extract_text(letter.format(year=2026) + "2. Cục Thuế báo cáo kết quả.\n"))
    assert (again.created, again.document, again.duplicate_reason) == (False, second.document, "number_issuer")


def test_a_task_added_by_hand_can_recur(ingested, org):
    task = services.add_task(ingested.document, content="Báo cáo tình hình thu ngân sách", lead=[org.tax.pk],
                             due=D("2026-06-30"), recurrence="quarterly")
    assert task.recurrence == "quarterly"
    with pytest.raises(ServiceError) as error:
        services.add_task(ingested.document, content="Báo cáo", lead=[org.tax.pk], recurrence="hằng quý")
    assert error.value.field == "recurrence"


def test_assignment_rows_follow_their_tasks_state_and_deadline(open_task, org):
    """The copies on assignment rows serve agency lists; they must never disagree with the task."""
    from dondoc.tracking.models import TaskAgency

    def disagreeing():
        return [(r.task_id, r.agency.name) for r in TaskAgency.objects.select_related("task", "agency")
                if (r.task_status, r.task_due) != (r.task.status, r.task.due_date)]

    def overdue_of(agency):
        return list(selectors.tasks(TaskFilter(agency=agency, role="lead", buckets=("overdue",))))

    services.request_extension(open_task, due=D("2026-09-30"), reason="Chờ số liệu")
    services.decide_extension(open_task, approve=True)
    assert not disagreeing() and overdue_of(org.finance) == overdue_of(org.tax) == [open_task]
    reports = open_task.document.tasks.order_by("source_start").last()  # Cục Thuế's quarterly report
    moved = services.transfer_task(reports, to=[org.health.pk], reason="Đúng chức năng", due=D("2026-11-30"))
    assert not disagreeing() and moved in overdue_of(org.health)
    AgencySuccession.objects.create(predecessor=org.tax, successor=org.finance, effective_on=D("2026-10-01"))
    services.apply_successions(D("2026-10-01"))
    services.complete_task(open_task, on=D("2026-10-15"))
    assert not disagreeing() and overdue_of(org.finance) == []
    assert [t.pk for t in selectors.tasks(TaskFilter(agency=org.finance, buckets=("done_late",)))] == [open_task.pk]


# ------------------------------------------------------------------------------------------------------ own units


@pytest.fixture
def registry(db):
    services.sync_registry()


def test_a_provinces_sở_named_by_its_short_name_is_that_provinces_own(registry):
    doc = services.ingest_directive(extract_text(
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 41/UBND-VX\nLâm Đồng, ngày 4 tháng 3 năm 2026\n"
        "1. Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra an toàn thực phẩm, hoàn thành trước ngày 30/6/2026.\n"
        "2. Ủy ban nhân dân tỉnh giao Tỉnh ủy theo dõi.\n")).document
    first = doc.tasks.order_by("source_start").first()
    assert leads(first) == ["Sở Y tế tỉnh Lâm Đồng"]
    assert [a.agency.name for a in first.assignments.filter(role="support")] == ["Công an tỉnh Lâm Đồng"]
    own = Agency.objects.get(name="Sở Y tế tỉnh Lâm Đồng")
    assert own.parent.name == "Ủy ban nhân dân tỉnh Lâm Đồng"
    services.confirm_document(doc)
    assert first in selectors.tasks(TaskFilter(agency=own.parent))  # the province's figures include its Sở
    other = services.ingest_directive(extract_text(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 9/UBND-KT\nHà Nội, ngày 4 tháng 3 năm 2026\n"
        "Sở Y tế chủ trì kiểm tra các bếp ăn tập thể, hoàn thành trước ngày 30/6/2026.\n")).document
    assert leads(other.tasks.get()) == ["Sở Y tế thành phố Hà Nội"]


def test_a_merged_provinces_sở_passes_its_open_tasks_to_the_successor_provinces(registry):
    doc = services.ingest_directive(extract_text(
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\nSố: 15/UBND-VX\nĐắk Nông, ngày 10 tháng 3 năm 2025\n"
        "Sở Y tế chủ trì rà soát trạm y tế xã, hoàn thành trước ngày 31/12/2025.\n")).document
    services.confirm_document(doc)
    task = doc.tasks.get()
    assert leads(task) == ["Sở Y tế tỉnh Lâm Đồng"]  # Đắk Nông joined Lâm Đồng on 1/7/2025
    assert task.events.get(kind="succeeded").on == D("2025-07-01")
    assert services.task_snapshot(task, as_of=D("2025-06-30")).lead == (
        Agency.objects.get(name="Sở Y tế tỉnh Đắk Nông").pk,)


def test_a_ministrys_own_units_and_a_ministry_writing_to_every_provinces_sở(registry):
    doc = services.ingest_directive(extract_text(
        "BỘ TÀI CHÍNH\nSố: 77/BTC-VP\nHà Nội, ngày 4 tháng 3 năm 2026\n"
        "1. Văn phòng Bộ chủ trì tổng hợp kết quả, báo cáo trước ngày 30/6/2026.\n"
        "2. Sở Tài chính các tỉnh rà soát số liệu quyết toán trước ngày 30/6/2026.\n")).document
    first, second = doc.tasks.order_by("source_start")
    assert leads(first) == ["Văn phòng Bộ Tài chính"]
    assert not any(name.endswith("Bộ Tài chính") for name in leads(second))


def test_a_task_remembers_an_extension_request_until_it_is_decided(open_task):
    services.request_extension(open_task, due=D("2026-08-31"), reason="Chờ số liệu")
    open_task.refresh_from_db()
    assert open_task.pending_extension == D("2026-08-31")
    assert list(selectors.pending_extensions()) == [open_task]  # the office's queue
    services.decide_extension(open_task, approve=False, reason="Không đủ căn cứ")
    open_task.refresh_from_db()
    assert open_task.pending_extension is None and open_task.due_date == D("2026-06-30")
    assert not selectors.pending_extensions().exists()


def test_a_withdrawn_task_has_no_request_waiting(open_task):
    services.request_extension(open_task, due=D("2026-08-31"), reason="Chờ số liệu")
    services.withdraw_task(open_task, reason="Không còn phù hợp")
    open_task.refresh_from_db()
    assert open_task.pending_extension is None and not selectors.pending_extensions().exists()
