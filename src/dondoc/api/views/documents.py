"""Documents: upload (a file, or the text) → a draft document with draft tasks; list, read, confirm, add a task."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from dondoc.tracking import policy, services
from dondoc.tracking.models import Document, Task

from .. import access, present, uploads
from ..errors import ApiError, too_large
from ..fields import Empty
from ..serializers import (
    AddTaskIn,
    DocumentDetail,
    DocumentFileIn,
    DocumentItem,
    DocumentQuery,
    DocumentTextIn,
    TaskDetail,
)
from .base import ApiViewSet, errors


@extend_schema_view(
    list=extend_schema(summary="Documents (Danh sách văn bản)", parameters=[DocumentQuery],
                       responses={200: DocumentItem(many=True), **errors(400, 401)}),
    retrieve=extend_schema(summary="A document with its tasks (Văn bản và nhiệm vụ)",
                           responses={200: DocumentDetail, **errors(401, 404)}),
)
class DocumentViewSet(ApiViewSet):
    queryset = Document.objects.none()  # for the schema; requests go through policy.visible_documents
    lookup_value_converter = "int"
    parser_classes = [JSONParser, MultiPartParser]
    accepts_uploads = True

    def list(self, request):
        query = DocumentQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = policy.visible_documents(request.user, Document.objects.select_related("issuer"))
        if q := query.validated_data.get("q"):
            qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
        if state := query.validated_data.get("status"):
            qs = qs.filter(status=state)
        page = self.paginate_queryset(qs.order_by("-issued_date", "-id"))
        return self.get_paginated_response(DocumentItem(page, many=True).data)

    def retrieve(self, request, pk=None):
        document = access.visible_document(request.user, int(pk))
        return Response(DocumentDetail(present.document_detail(document, request.user)).data)

    @extend_schema(
        summary="Upload a directive (Tải văn bản lên)",
        description="multipart/form-data with `file` (.txt .md .html .htm .docx .pdf .doc, at most "
                    "MAX_UPLOAD_BYTES), or JSON with `text`. The document and its draft tasks are returned; a "
                    "document already stored (same number and issuer, or same text) is refused with 409 and the "
                    "`existing` document's id.",
        request={"multipart/form-data": DocumentFileIn, "application/json": DocumentTextIn},
        responses={201: DocumentDetail, **errors(400, 401, 403, 409, 413)},
    )
    def create(self, request):
        access.require(request.user, "ingest")
        if request.content_type.startswith("multipart/"):
            body = DocumentFileIn(data=request.data)
            body.is_valid(raise_exception=True)
            upload = body.validated_data["file"]
            name = uploads.safe_name(upload.name)
            uploads.check_document_type(name)
            uploads.check_file_size(upload)
            content = uploads.read_upload(upload)
            directive = uploads.extract_upload(name, content)
            result = services.ingest_directive(directive, file_bytes=content, file_name=name,
                                               content_type=upload.content_type or "", actor=request.user)
        else:
            body = DocumentTextIn(data=request.data)
            body.is_valid(raise_exception=True)
            text = body.validated_data["text"]
            if len(text.encode()) > uploads.limit():
                error = too_large(uploads.limit())
                error.field = "text"
                raise error
            result = services.ingest_directive(uploads.extract_text(text), actor=request.user)
        if not result.created:
            existing = result.document
            raise ApiError(
                "duplicate_document",
                f"Văn bản đã có trong hệ thống (#{existing.pk} {existing.number}).".replace(" )", ")"),
                f"The document is already stored (#{existing.pk} {existing.number}).".replace(" )", ")"),
                status=409, extra={"existing": existing.pk, "reason": result.duplicate_reason},
            )
        document = Document.objects.select_related("issuer").get(pk=result.document.pk)
        return Response(DocumentDetail(present.document_detail(document, request.user)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Confirm a document and all its draft tasks (Xác nhận văn bản)", request=Empty,
                   responses={200: DocumentDetail, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def confirm(self, request, pk=None):
        document = access.visible_document(request.user, int(pk))
        access.require(request.user, "review")
        for task in document.tasks.filter(status=Task.Status.DRAFT):
            access.require(request.user, "review", task)
        Empty(data=request.data).is_valid(raise_exception=True)
        services.confirm_document(document, actor=request.user)
        document.refresh_from_db()
        return Response(DocumentDetail(present.document_detail(document, request.user)).data)

    @extend_schema(summary="Add a task the extractor missed (Thêm nhiệm vụ)",
                   description="The reviewer selects its passage (source_start, source_end: character offsets in "
                               "the document's text). The new task is a draft.",
                   request=AddTaskIn, responses={201: TaskDetail, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def tasks(self, request, pk=None):
        document = access.visible_document(request.user, int(pk))
        access.require(request.user, "review")
        body = AddTaskIn(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.add_task(document, actor=request.user, **body.validated_data)
        return Response(TaskDetail(present.task_detail(present.fetch_task(task.pk), request.user)).data,
                        status=status.HTTP_201_CREATED)

