"""Documents and funder reports over HTTP (thin views): PDFs of applications, meetings
and calls, the program's figures, and the asynchronous funder reports."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header, parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api import RejectUnknownFieldsMixin
from core.errors import InvalidInput, NotFound, require
from core.money import MoneySerializerField
from core.urls import parse_id
from grants.models import Call, Program, User
from projects.figures import program_figures
from projects.selectors import meetings_visible_to
from reports import export, personal, rendering, services
from reports.mail import call_label, document_filename, meeting_label, report_filename
from reports.models import Document, Export, Report
from reports.selectors import (
    documents_of,
    exports_visible_to,
    latest_personal_export,
    reports_visible_to,
)
from reports.tasks import build_export_file, request_report
from workflows.api.committee import ApplicationChildMixin
from workflows.api.money import visible_batch

PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}


class PDFRenderer(BaseRenderer):
    """Lets a client that accepts only PDF reach a document (Swagger UI sends
    ``Accept: application/pdf``; DRF answered it 406). The views answer the file
    themselves; what goes through a renderer (an error) is JSON (``DocumentViewMixin``)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class JSONErrorsMixin:
    """What goes through a renderer (an error, a JSON answer) is JSON, whatever renderer
    the client's ``Accept`` chose; a file is answered as the file."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):  # not the file: an error body
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class DocumentViewMixin(JSONErrorsMixin):
    """A view that answers a PDF: ``Accept: application/pdf`` is accepted, and its errors
    are the contract's JSON whatever the client accepts."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, PDFRenderer]


LANGUAGE = OpenApiParameter(
    "lang",
    str,
    enum=["de", "en"],
    required=False,
    description="The document's language; default: the caller's language (German).",
)
KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    enum=[
        Document.Kind.APPLICATION.value,
        Document.Kind.AGREEMENT.value,
        Document.Kind.STATEMENT.value,
    ],
    description="application (any state), agreement (from the approval on), statement "
    "(from the funding on).",
)
VERSION = OpenApiParameter(
    "version",
    int,
    required=False,
    description="A kept version instead of the current document.",
)


def _language(request) -> str:
    asked = request.query_params.get("lang")
    if asked is not None and asked not in services.LANGUAGES:
        raise InvalidInput(errors={"lang": [_("Choose de or en.")]})
    return asked or getattr(request.user, "language", "de")


# A kept document may be cached by the reader's own browser, but must be asked for again
# (with If-None-Match) before it is shown: a new version may have been issued.
DOCUMENT_CACHE = "private, max-age=0, must-revalidate"


def _matches(request, etag: str) -> bool:
    """RFC 9110 13.1.2: ``If-None-Match`` compares weakly (``W/"x"`` matches ``"x"``),
    takes a list, and ``*`` matches any current document."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = parse_etags(header)
    if "*" in tags:
        return True
    return etag in {tag.removeprefix("W/") for tag in tags}


def pdf_response(request, document: Document, filename: str) -> HttpResponse:
    """The kept file with what a client caches it by (ETag, 304 Not Modified), the
    language its body is in, and a file name that survives non-ASCII (RFC 6266
    ``filename*``)."""
    etag = f'"{document.sha256}"'
    if _matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(services.read(document), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["ETag"] = etag
    response["Cache-Control"] = DOCUMENT_CACHE
    response["Content-Language"] = document.language
    response["X-Document-Version"] = str(document.version)
    return response


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "version",
            "language",
            "period_start",
            "period_end",
            "sha256",
            "size",
            "pages",
            "frozen",
            "generated_at",
        ]
        read_only_fields = fields


def _require_kind_permission(request, application, kind: str) -> None:
    """The application is for everyone who sees it; the agreement and the statement are
    the sponsor's and the office's (money)."""
    if kind in (Document.Kind.AGREEMENT, Document.Kind.STATEMENT):
        require(request.user, "projects.view_money", application)


class ApplicationDocumentView(DocumentViewMixin, ApplicationChildMixin, APIView):
    """``GET``: the application (``/pdf/`` or kind ``application``), the grant agreement
    (from the approval on; issued once, then served as issued) or the proof-of-use
    statement (from the funding on), as PDF. ``POST`` (the office, kind ``agreement``):
    issue a new version of the agreement; the old one stays (``?version=``)."""

    parent_permissions = {"POST": "reports.regenerate_document"}

    @extend_schema(parameters=[KIND, LANGUAGE, VERSION], responses=PDF)
    def get(self, request, pk: int, kind: str = Document.Kind.APPLICATION):
        application = self.get_parent()
        _require_kind_permission(request, application, kind)
        language = _language(request)
        asked = request.query_params.get("version")
        if asked is not None:
            version = parse_id(asked)
            if version is None:
                raise InvalidInput(errors={"version": [_("A version number.")]})
            document = (
                documents_of(application)
                .filter(kind=kind, language=language, version=version)
                .first()
            )
            if document is None:
                raise NotFound(_("There is no such version."))
        else:
            document = rendering.document(
                subject=application, kind=kind, actor=request.user, language=language
            )
        return pdf_response(request, document, document_filename(document, application.reference))

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "kind", str, OpenApiParameter.PATH, enum=[Document.Kind.AGREEMENT.value]
            ),
            LANGUAGE,
        ],
        responses={201: DocumentSerializer},
    )
    def post(self, request, pk: int, kind: str = Document.Kind.APPLICATION):
        application = self.get_parent()
        if kind != Document.Kind.AGREEMENT:
            raise InvalidInput(
                errors={
                    "kind": [
                        _(
                            "Only the grant agreement is issued in versions; the other "
                            "documents are rendered anew on every request."
                        )
                    ]
                }
            )
        document = services.application_document(
            application=application,
            kind=kind,
            actor=request.user,
            language=_language(request),
            regenerate=True,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ApplicationDocumentListView(ApplicationChildMixin, APIView):
    """The documents kept for an application, newest first, with the kinds available
    now (``available``)."""

    @extend_schema(
        operation_id="applications_documents_list",
        responses=inline_serializer(
            "ApplicationDocuments",
            {
                "available": serializers.ListField(child=serializers.CharField()),
                "documents": DocumentSerializer(many=True),
            },
        ),
    )
    def get(self, request, pk: int):
        application = self.get_parent()
        kinds = [Document.Kind.APPLICATION]
        if request.user.has_perm("projects.view_money", application):
            kinds += [Document.Kind.AGREEMENT, Document.Kind.STATEMENT]
        documents = (
            documents_of(application)
            .filter(kind__in=kinds)
            .order_by("kind", "language", "-version")
        )
        available = [k for k in services.available_kinds(application) if k in kinds]
        return Response(
            {"available": available, "documents": DocumentSerializer(documents, many=True).data}
        )


class ApplicationPdfView(ApplicationDocumentView):
    """``GET``: the application as PDF (kind ``application``). Only GET: nothing is
    issued here, so the schema offers no POST that could only fail."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(parameters=[LANGUAGE, VERSION], responses=PDF)
    def get(self, request, pk: int):
        return super().get(request, pk, Document.Kind.APPLICATION)


class MeetingDocumentView(DocumentViewMixin, APIView):
    """The dossier of a meeting's agenda or its minutes (frozen once signed), for the
    office and the body's members."""

    kind = Document.Kind.DOSSIER

    @extend_schema(parameters=[LANGUAGE], responses=PDF)
    def get(self, request, pk: int):
        meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
        document = rendering.document(
            subject=meeting, kind=self.kind, actor=request.user, language=_language(request)
        )
        label = meeting_label(meeting, document.language)
        return pdf_response(request, document, document_filename(document, label))


class MeetingMinutesView(MeetingDocumentView):
    kind = Document.Kind.MINUTES


class CallDossierView(DocumentViewMixin, APIView):
    """The dossier of every application of a call under its body's review, for the
    office and the members of the call's body."""

    @extend_schema(parameters=[LANGUAGE], responses=PDF)
    def get(self, request, pk: int):
        call = get_object_or_404(Call.objects.select_related("program", "body"), pk=pk)
        require(request.user, "reports.view_call_dossier", call)
        document = rendering.document(
            subject=call,
            kind=Document.Kind.DOSSIER,
            actor=request.user,
            language=_language(request),
        )
        label = call_label(call)
        return pdf_response(request, document, document_filename(document, label))


class XMLRenderer(PDFRenderer):
    media_type = "application/xml"
    format = "xml"


class PaymentOrderView(DocumentViewMixin, APIView):
    """The payment order (Auszahlungsanordnung) of a payout batch as PDF, for the
    treasury: made once, then served as made (the office)."""

    kind = Document.Kind.PAYMENT_ORDER

    @extend_schema(responses=PDF)
    def get(self, request, pk: int):
        batch = visible_batch(request, pk)
        document = services.batch_document(batch=batch, kind=self.kind, actor=request.user)
        return pdf_response(request, document, f"Auszahlungsanordnung-{batch.reference}.pdf")


class SepaFileView(JSONErrorsMixin, APIView):
    """The SEPA credit transfer file (pain.001.001.03, validated against its XSD) of a
    payout batch, for the bank or the treasury: made once, then served as made."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, XMLRenderer]

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        batch = visible_batch(request, pk)
        document = services.batch_document(batch=batch, kind=Document.Kind.SEPA, actor=request.user)
        response = pdf_response(request, document, f"SEPA-{batch.reference}.xml")
        if response.status_code == 200:
            response["Content-Type"] = "application/xml"
        return response


# -- figures and funder reports ---------------------------------------------------------------
class PeriodInput(RejectUnknownFieldsMixin, serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError(
                {"period_end": _("The period must not end before it starts.")}
            )
        if (attrs["period_end"] - attrs["period_start"]).days > services.MAX_REPORT_DAYS:
            raise serializers.ValidationError(
                {"period_end": _("A report covers at most five years.")}
            )
        return attrs


class Amount(MoneySerializerField):
    """A sum over many applications: two places, with no cap on its digits."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=None, read_only=True, **kwargs)


class CallUseSerializer(serializers.Serializer):
    call = serializers.IntegerField(source="call_id")
    title = serializers.CharField()
    budget = Amount()
    approved_amount = Amount(help_text="Approved up to the period's end.")
    paid_out = Amount(help_text="Paid out up to the period's end.")
    projects = serializers.IntegerField(source="applications")
    used_percent = serializers.DecimalField(
        max_digits=None, decimal_places=1, help_text="Approved against the budget, in %."
    )


class BreakdownSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="As the sponsors wrote it; empty if none.")
    projects = serializers.IntegerField()
    approved_amount = Amount()


class StateAmountsSerializer(serializers.Serializer):
    state = serializers.CharField()
    applications = serializers.IntegerField()
    requested_amount = Amount()
    approved_amount = Amount()


class FundedProjectSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField()
    title = serializers.CharField()
    organization = serializers.CharField()
    approved_amount = Amount()
    paid_out = Amount()


class SeriesPointSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day of the week or month.")
    paid_out = Amount()


class PayoutSeriesSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=["week", "month"], source="series_unit")
    points = SeriesPointSerializer(many=True, source="payout_series")


class ProgramFiguresSerializer(serializers.Serializer):
    """``projects.figures.ProgramFigures`` over HTTP, read-only: the key figures of the
    period, then the tables the funder report prints (what each counts: the module's
    docstring)."""

    program = serializers.IntegerField(source="program_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    received = serializers.IntegerField(
        source="key.received", help_text="Applications submitted in the period."
    )
    approved = serializers.IntegerField(
        source="key.approved", help_text="Decided in the period with a grant."
    )
    rejected = serializers.IntegerField(source="key.rejected")
    withdrawn = serializers.IntegerField(
        source="key.withdrawn", help_text="Withdrawn after submission."
    )
    requested_amount = Amount(
        source="key.requested_amount", help_text="The grant the received applications ask."
    )
    approved_amount = Amount(source="key.approved_amount")
    paid_out = Amount(source="key.paid_out", help_text="Payouts paid in the period.")
    proven = Amount(source="key.proven", help_text="The eligible grant of proofs of use accepted.")
    reclaimed = Amount(source="key.reclaimed", help_text="Repayments demanded.")
    repaid = Amount(source="key.repaid", help_text="Repayments received.")
    calls = CallUseSerializer(many=True, help_text="Budget use per call.")
    by_field_of_action = BreakdownSerializer(many=True)
    by_target_group = BreakdownSerializer(many=True)
    by_state = StateAmountsSerializer(
        many=True, help_text="Every application submitted up to the period's end."
    )
    funded = FundedProjectSerializer(many=True, help_text="The funded projects.")
    payouts = PayoutSeriesSerializer(
        source="*", help_text="Payouts over time: weekly up to 92 days, else monthly."
    )


class ProgramFiguresView(APIView):
    """The program's figures for a period (``?period_start=&period_end=``): the very
    selector the funder report prints (``projects.figures``). For the office and the
    program's funders."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period_start", date, required=True),
            OpenApiParameter("period_end", date, required=True),
        ],
        responses=ProgramFiguresSerializer,
    )
    def get(self, request, pk: int):
        program = get_object_or_404(Program, pk=pk)
        require(request.user, "reports.view_report", program)
        period = PeriodInput(data=request.query_params.dict())
        period.is_valid(raise_exception=True)
        figures = program_figures(
            program, period.validated_data["period_start"], period.validated_data["period_end"]
        )
        return Response(ProgramFiguresSerializer(figures).data)


class ReportSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "program",
            "period_start",
            "period_end",
            "language",
            "status",
            "failure",
            "scheduled",
            "created_at",
            "started_at",
            "finished_at",
            "file",
        ]
        read_only_fields = fields

    def get_file(self, report: Report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return f"/api/reports/{report.pk}/file/"


class ReportInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    language = serializers.ChoiceField(choices=User.Language.choices, required=False, default=None)


class ReportViewSet(
    JSONErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Funder reports: ``POST`` asks for one (202, rendered by the ``reports`` queue),
    ``GET`` shows its status (pending, running, done, failed with the reason), ``/file/``
    serves the PDF. The office and the program's funders only; others see none (404)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        reports = reports_visible_to(self.request.user)
        program = parse_id(self.request.query_params.get("program"))
        if program is not None:
            reports = reports.filter(program_id=program)
        return reports.order_by("-created_at", "-pk")

    @extend_schema(
        request=ReportInput,
        responses={
            202: inline_serializer(
                "ReportAccepted",
                {"id": serializers.IntegerField(), "status": serializers.CharField()},
            )
        },
    )
    def create(self, request):
        body = ReportInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = request_report(
            program=data["program"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            actor=request.user,
            language=data["language"] or getattr(request.user, "language", "de"),
        )
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=PDF)
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, PDFRenderer],
    )
    def file(self, request, pk=None):
        report = self.get_object()
        if report.status != Report.Status.DONE or report.document is None:
            raise NotFound(
                _("The report is “%(status)s”: there is no file yet.")
                % {"status": report.get_status_display()}
            )
        return pdf_response(request, report.document, report_filename(report))


ZIP = {(200, "application/zip"): OpenApiTypes.BINARY}


def zip_response(handle, application) -> FileResponse:
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"Akte-{application.reference or application.pk}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ExportSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "kind",
            "application",
            "status",
            "failure",
            "size",
            "sha256",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "file",
        ]
        read_only_fields = fields

    def get_file(self, job: Export) -> str | None:
        if job.status != Export.Status.DONE:
            return None
        return f"/api/exports/{job.pk}/file/"


class ApplicationExportView(ApplicationChildMixin, APIView):
    """The whole file (Akte) as one ZIP: kept documents, clean attachments, the receipts
    list as CSV and XLSX, the audit trail as CSV, an index PDF with every file's
    sha256. The office and administrators. Up to ``EXPORT_INLINE_BYTES`` of files it is
    built and streamed at once (200); a larger file is built by a task: 202 with the
    export to poll at ``/api/exports/{id}/`` (and an e-mail when it is ready)."""

    parent_permissions = {"GET": "reports.export_file"}

    @extend_schema(responses={**ZIP, 202: ExportSerializer})
    def get(self, request, pk: int):
        application = self.get_parent()
        if export.builds_inline(application):
            return zip_response(export.build_export(application, request.user), application)
        job = export.export_request(application=application, actor=request.user)
        if job.status == Export.Status.PENDING:
            transaction.on_commit(lambda: build_export_file.delay(job.pk))
        response = Response(ExportSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = f"/api/exports/{job.pk}/"
        return response


class ExportViewSet(
    JSONErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The whole-file ZIPs built by a task: their status (pending, running, done,
    failed with the reason, expired) and, while kept, ``/file/``. Each only to the one
    who asked for it, and only while they may still export that file (404 otherwise)."""

    serializer_class = ExportSerializer

    def get_queryset(self):
        return exports_visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(responses=ZIP)
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        job = self.get_object()
        if job.kind == Export.Kind.PERSONAL_DATA:
            if job.status != Export.Status.DONE or not job.file:
                raise NotFound(
                    _("The export is “%(status)s”: there is no file.")
                    % {"status": job.get_status_display()}
                )
            return personal_zip_response(job)
        if not request.user.has_perm("reports.export_file", job.application):
            raise NotFound()
        if job.status != Export.Status.DONE or not job.file:
            raise NotFound(
                _("The export is “%(status)s”: there is no file.")
                % {"status": job.get_status_display()}
            )
        return zip_response(job.file.open("rb"), job.application)


def personal_zip_response(job: Export) -> FileResponse:
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"Zuwendo-meine-Daten-{job.created_at:%Y-%m-%d}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class PersonalExportView(JSONErrorsMixin, APIView):
    """DSGVO Art. 15: what Zuwendo holds about the caller, as one ZIP (``daten.json`` and
    the files they uploaded). ``POST`` asks for it (202; built by a task, an e-mail when
    ready); ``GET`` answers the latest request's ``status`` and, once done, its ``file``
    link (``/api/exports/{id}/file/``) until ``expires_at`` (``EXPORT_KEEP_HOURS``)."""

    @extend_schema(
        summary="Ask for one's own data (DSGVO Art. 15)",
        request=None,
        responses={202: ExportSerializer},
    )
    def post(self, request):
        job = personal.personal_export_request(user=request.user)
        if job.status == Export.Status.PENDING:
            transaction.on_commit(lambda: build_export_file.delay(job.pk))
        response = Response(ExportSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = f"/api/exports/{job.pk}/"
        return response

    @extend_schema(summary="The latest export of one's own data", responses=ExportSerializer)
    def get(self, request):
        job = latest_personal_export(request.user)
        if job is None:
            raise NotFound(_("You have not asked for your data yet: POST to this address."))
        return Response(ExportSerializer(job).data)
