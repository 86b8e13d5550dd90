"""The office's documents in the admin: the kept documents and the funder reports (read
only, each with a download link), and download actions on the pages of applications,
meetings and programs (added here: those pages live in the layers below)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.errors import PermissionDenied
from grants.models import Program
from projects.models import Application, Meeting
from reports import export, rendering, services
from reports.mail import document_filename, meeting_label
from reports.models import Document, Export, Report
from reports.selectors import documents_visible_to, exports_visible_to, reports_visible_to
from reports.tasks import build_export_file


def _pdf(document: Document, filename: str) -> HttpResponse:
    response = HttpResponse(services.read(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = document.language
    return response


def _one(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Choose exactly one to download its document."), messages.WARNING
        )
        return None
    return queryset.first()


def _application_action(kind: str, label):
    def download(modeladmin, request, queryset):
        application = _one(modeladmin, request, queryset)
        if application is None:
            return None
        if kind != Document.Kind.APPLICATION and not request.user.has_perm(
            "projects.view_money", application
        ):
            modeladmin.message_user(request, _("Not your document."), messages.ERROR)
            return None
        try:
            document = rendering.document(
                subject=application, kind=kind, actor=request.user, language="de"
            )
        except Exception as error:  # a domain error: no agreement yet, say
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        return _pdf(document, document_filename(document, application.reference))

    download.short_description = label
    download.__name__ = f"download_{kind}"
    return download


def _meeting_action(kind: str, label):
    def download(modeladmin, request, queryset):
        meeting = _one(modeladmin, request, queryset)
        if meeting is None:
            return None
        document = rendering.document(subject=meeting, kind=kind, actor=request.user, language="de")
        return _pdf(document, document_filename(document, meeting_label(meeting, "de")))

    download.short_description = label
    download.__name__ = f"download_{kind}"
    return download


def download_last_quarter_report(modeladmin, request, queryset):
    """The funder report of the quarter just ended, rendered now and kept."""
    program = _one(modeladmin, request, queryset)
    if program is None:
        return None
    start, end = services.last_complete_period("quarterly", timezone.localdate())
    try:
        asked = services.report_request(
            program=program, period_start=start, period_end=end, actor=request.user
        )
    except PermissionDenied:
        modeladmin.message_user(request, _("Not your program."), messages.ERROR)
        return None
    report = services.report_render(asked.pk)
    if report.status != Report.Status.DONE:
        modeladmin.message_user(request, report.failure, messages.ERROR)
        return None
    return _pdf(report.document, document_filename(report.document, program.code))


download_last_quarter_report.short_description = _("Download the funder report of last quarter")


def download_whole_file(modeladmin, request, queryset):
    """The whole file (Akte) as one ZIP, as ``GET /api/applications/{id}/export/``."""
    application = _one(modeladmin, request, queryset)
    if application is None:
        return None
    if not request.user.has_perm("reports.export_file", application):
        modeladmin.message_user(request, _("Not your file."), messages.ERROR)
        return None
    if not export.builds_inline(application):
        job = export.export_request(application=application, actor=request.user)
        if job.status == Export.Status.PENDING:
            transaction.on_commit(lambda: build_export_file.delay(job.pk))
        modeladmin.message_user(
            request,
            format_html(
                _(
                    "The file is large: its ZIP is being built. You will get an e-mail "
                    'when it is ready; it can then be downloaded <a href="{}">here</a>.'
                ),
                f"/api/exports/{job.pk}/file/",
            ),
            messages.INFO,
        )
        return None
    response = FileResponse(
        export.build_export(application, request.user), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"Akte-{application.reference or application.pk}.zip"
    )
    return response


download_whole_file.short_description = _("Download the whole file (ZIP)")

ACTIONS = {
    Application: [
        download_whole_file,
        _application_action(Document.Kind.APPLICATION, _("Download the application (PDF)")),
        _application_action(Document.Kind.AGREEMENT, _("Download the grant agreement (PDF)")),
        _application_action(Document.Kind.STATEMENT, _("Download the proof-of-use statement")),
    ],
    Meeting: [
        _meeting_action(Document.Kind.DOSSIER, _("Download the dossier (PDF)")),
        _meeting_action(Document.Kind.MINUTES, _("Download the minutes (PDF)")),
    ],
    Program: [download_last_quarter_report],
}


def add_download_actions(site: admin.AdminSite) -> None:
    """Called once the admin has loaded every app's pages (``ReportsConfig.ready``)."""
    for model, actions in ACTIONS.items():
        model_admin = site._registry.get(model)
        if model_admin is not None:
            model_admin.actions = [*(model_admin.actions or []), *actions]


class _OfficeReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    """For the office (and funders, their reports); the rows are scoped per program."""

    def has_module_permission(self, request):
        return request.user.has_perm("grants.use_office_admin")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("grants.use_office_admin")


@admin.register(Document)
class DocumentAdmin(_OfficeReadOnly):
    list_display = ["kind", "subject_id", "version", "language", "frozen", "generated_at", "link"]
    list_filter = ["kind", "frozen", "language", "program"]
    readonly_fields = [field.name for field in Document._meta.fields]

    def get_queryset(self, request):
        return documents_visible_to(request.user)

    @admin.display(description=_("file"))
    def link(self, document: Document):
        return format_html(
            '<a href="{}">PDF</a>', reverse("admin:reports_document_pdf", args=[document.pk])
        )

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<id:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="reports_document_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk: int):
        document = self.get_queryset(request).get(pk=pk)
        return _pdf(document, document_filename(document, ""))


@admin.register(Report)
class ReportAdmin(_OfficeReadOnly):
    list_display = ["program", "period_start", "period_end", "status", "scheduled", "created_at"]
    list_filter = ["status", "scheduled", "program"]
    readonly_fields = [field.name for field in Report._meta.fields]

    def get_queryset(self, request):
        return reports_visible_to(request.user)


@admin.register(Export)
class ExportAdmin(_OfficeReadOnly):
    """The whole-file ZIPs the user asked for (the task-built ones), with their link."""

    list_display = ["application", "status", "size", "created_at", "expires_at", "link"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Export._meta.fields if field.name != "token"]
    exclude = ["token"]

    def get_queryset(self, request):
        return exports_visible_to(request.user).select_related("application")

    @admin.display(description=_("file"))
    def link(self, job: Export):
        if job.status != Export.Status.DONE:
            return ""
        return format_html('<a href="{}">ZIP</a>', f"/api/exports/{job.pk}/file/")


# Every other app's admin module is loaded by now (``reports`` comes last).
add_download_actions(admin.site)
