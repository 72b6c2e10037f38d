"""Tasks: the filtered list, one task with its timeline, review (correct, confirm, discard, split, merge) and
follow-up events (progress, extension, transfer, withdrawal, completion, reopening)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from dondoc.tracking import policy, selectors, services
from dondoc.tracking.models import Event, Task

from .. import access, lookup, present, uploads
from ..errors import ApiError
from ..fields import Empty
from ..serializers import (
    CompleteIn,
    DiscardIn,
    EventOut,
    EventResult,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    MergeIn,
    ProgressIn,
    ReopenIn,
    SplitIn,
    TaskCorrectionIn,
    TaskDetail,
    TaskItem,
    TaskList,
    TaskQuery,
    TransferIn,
    TransferResult,
    WithdrawIn,
)
from .base import ApiViewSet, errors

EVENT_ERRORS = errors(400, 401, 403, 404, 409)


def _body(serializer_class, request):
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="Tasks (Danh sách nhiệm vụ)",
        description="Only the tasks the user may see (anonymous users: public ones). Drafts appear only when "
                    "`state` asks for them.",
        parameters=[TaskQuery], responses={200: TaskItem(many=True), **errors(400)},
    ),
    retrieve=extend_schema(summary="A task with its timeline (Chi tiết nhiệm vụ)",
                           responses={200: TaskDetail, **errors(404)}),
    partial_update=extend_schema(
        summary="Correct a draft task (Sửa khi rà soát)", request=TaskCorrectionIn,
        responses={200: TaskDetail, **errors(400, 401, 403, 404, 409)},
    ),
)
class TaskViewSet(ApiViewSet):
    queryset = Task.objects.none()  # for the schema; requests go through policy.visible_tasks
    lookup_value_converter = "int"
    permission_classes = [access.ReadAnyoneWriteSignedIn]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    # ------------------------------------------------------------------------------------------------ reads

    def list(self, request):
        query = TaskQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        v = query.validated_data
        states, as_of = v.get("state", ()), v.get("as_of")
        f = selectors.with_scope(lookup.task_filter(v, request.user))
        today = timezone.localdate()

        def visible():
            qs = policy.visible_tasks(request.user, selectors.tasks(f, today=today, sort=v["sort"]))
            # only the columns a list item shows (TaskItem): the document's number, not its text, citations or
            # dates; not the search key (each datetime read costs a parse in Python, each long text its decoding)
            return qs.select_related("document").only(*TaskItem.COLUMNS)

        if as_of is None:  # the listing builds the queryset only if its compiled queries do not serve
            page = self.paginate_queryset(present.TaskListing(visible, f, request.user, sort=v["sort"], today=today))
            return self.get_paginated_response(TaskItem(present.decorate(page), many=True).data)
        qs = visible()
        ids = list(qs.values_list("pk", flat=True))
        buckets = selectors.buckets_on(as_of, ids)
        ids = [i for i in ids if i in buckets and (not states or buckets[i] in states)]
        page_ids = self.paginate_queryset(ids)
        by_id = qs.in_bulk(page_ids)
        page = present.decorate([by_id[i] for i in page_ids], buckets)
        return self.get_paginated_response(TaskItem(page, many=True).data)

    def retrieve(self, request, pk=None):
        task = access.visible_task(request.user, int(pk))
        return Response(TaskDetail(present.task_detail(task, request.user)).data)

    @extend_schema(summary="A task's events (Diễn biến)", responses={200: EventOut(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        task = access.visible_task(request.user, int(pk))
        page = self.paginate_queryset(present.events_of([task.pk], request.user))
        return self.get_paginated_response(EventOut(page, many=True).data)

    # ------------------------------------------------------------------------------------------------ review

    def _review(self, request, pk) -> Task:
        task = access.visible_task(request.user, int(pk))
        access.require(request.user, "review", task)
        return task

    def _answer(self, task_pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(TaskDetail(present.task_detail(present.fetch_task(task_pk), self.request.user)).data,
                        status=code)

    def partial_update(self, request, pk=None):
        task = self._review(request, pk)
        services.correct_task(task, actor=request.user, **_body(TaskCorrectionIn, request))
        return self._answer(task.pk)

    @extend_schema(summary="Confirm a draft task (Xác nhận nhiệm vụ)", request=Empty,
                   responses={200: TaskDetail, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        task = self._review(request, pk)
        _body(Empty, request)
        services.confirm_task(task, actor=request.user)
        return self._answer(task.pk)

    @extend_schema(summary="Discard a draft task: not a task (Loại khi rà soát)", request=DiscardIn,
                   responses={200: TaskDetail, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        task = self._review(request, pk)
        services.discard_task(task, actor=request.user, **_body(DiscardIn, request))
        return self._answer(task.pk)

    @extend_schema(summary="Split a draft task into several (Tách nhiệm vụ)", request=SplitIn,
                   responses={201: TaskList, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        task = self._review(request, pk)
        parts = _body(SplitIn, request)["parts"]
        created = services.split_task(task, parts, actor=request.user)
        tasks = present.decorate(list(present.task_queryset().select_related("document")
                                      .filter(pk__in=[t.pk for t in created]).order_by("pk")))
        return Response(TaskList({"tasks": tasks}).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Merge draft tasks of one document (Gộp nhiệm vụ)", request=MergeIn,
                   responses={201: TaskDetail, **EVENT_ERRORS})
    @action(detail=False, methods=["post"])
    def merge(self, request):
        access.require(request.user, "review")
        ids = list(dict.fromkeys(_body(MergeIn, request)["tasks"]))
        found = policy.visible_tasks(request.user, Task.objects.filter(pk__in=ids)).in_bulk()
        if missing := [i for i in ids if i not in found]:
            names = ", ".join(f"#{i}" for i in missing)
            raise ApiError("unknown_task", f"Không tìm thấy nhiệm vụ {names}.", f"Task(s) not found: {names}.",
                           field="tasks")
        tasks = [found[i] for i in ids]
        for task in tasks:
            access.require(request.user, "review", task)
        merged = services.merge_tasks(tasks, actor=request.user)
        return self._answer(merged.pk, status.HTTP_201_CREATED)

    # ------------------------------------------------------------------------------------------------ follow-up

    def _act(self, request, pk, action_name: str) -> Task:
        task = access.visible_task(request.user, int(pk))
        access.require(request.user, action_name, task)
        return task

    def _event_answer(self, event: Event, **extra) -> Response:
        body = {"event": present.with_event(event, self.request.user), "task": present.fetch_task(event.task_id),
                **extra}
        serializer = TransferResult if "new_task" in extra else EventResult
        return Response(serializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report progress (Báo cáo tiến độ)",
        description="JSON, or multipart/form-data with evidence `files` (each at most MAX_UPLOAD_BYTES).",
        request={"application/json": ProgressIn, "multipart/form-data": ProgressIn},
        responses={201: EventResult, **errors(400, 401, 403, 404, 409, 413)},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser], accepts_uploads=True)
    def progress(self, request, pk=None):
        task = self._act(request, pk, "report")
        v = _body(ProgressIn, request)
        for upload in v["files"]:
            uploads.check_file_size(upload, "files")
        files = [(uploads.safe_name(f.name), uploads.read_upload(f)) for f in v["files"]]
        event = services.report_progress(task, text=v["text"], percent=v["percent"], on=v["on"],
                                         actor=request.user, files=files)
        return self._event_answer(event)

    @extend_schema(summary="Request an extension (Đề nghị gia hạn)", request=ExtensionRequestIn,
                   responses={201: EventResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"], url_path="extension-request")
    def extension_request(self, request, pk=None):
        task = self._act(request, pk, "request_extension")
        event = services.request_extension(task, actor=request.user, **_body(ExtensionRequestIn, request))
        return self._event_answer(event)

    @extend_schema(summary="Decide on an extension request (Quyết định gia hạn)", request=ExtensionDecisionIn,
                   responses={201: EventResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        task = self._act(request, pk, "decide_extension")
        event = services.decide_extension(task, actor=request.user, **_body(ExtensionDecisionIn, request))
        return self._event_answer(event)

    @extend_schema(summary="Transfer to another agency (Chuyển giao)",
                   description="The task closes as transferred; a new open task, linked to it, goes to the "
                               "receiving agency (`new_task`).",
                   request=TransferIn, responses={201: TransferResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        task = self._act(request, pk, "transfer")
        new_task = services.transfer_task(task, actor=request.user, **_body(TransferIn, request))
        event = Event.objects.filter(task=task, kind=Event.Kind.TRANSFERRED).latest("seq")
        return self._event_answer(event, new_task=present.fetch_task(new_task.pk))

    @extend_schema(summary="Withdraw: no longer to be done (Không tiếp tục thực hiện)", request=WithdrawIn,
                   responses={201: EventResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        task = self._act(request, pk, "withdraw")
        return self._event_answer(services.withdraw_task(task, actor=request.user, **_body(WithdrawIn, request)))

    @extend_schema(summary="Report completion (Hoàn thành)", request=CompleteIn,
                   responses={201: EventResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self._act(request, pk, "complete")
        return self._event_answer(services.complete_task(task, actor=request.user, **_body(CompleteIn, request)))

    @extend_schema(summary="Reopen a finished or withdrawn task (Mở lại)", request=ReopenIn,
                   responses={201: EventResult, **EVENT_ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        task = self._act(request, pk, "reopen")
        return self._event_answer(services.reopen_task(task, actor=request.user, **_body(ReopenIn, request)))
