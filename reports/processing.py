"""The documents, reports and exports in the records of processing (``core.privacy``)."""

from django.utils.translation import gettext_lazy as _

from core.privacy import record

record(
    "reports.Document",
    purpose=_("the PDFs Zuwendo issues and keeps (decisions, statements, minutes, reports)"),
    people=_("as in the file they print: sponsors' staff, payees, committee members"),
    fields={"file": _("the PDF"), "generated_by": _("who had it generated")},
    recipients=_("the sponsor (its decisions), the decision body, the funder (its reports)"),
    deleted=_("an application's documents are deleted by {sweep}; the program's reports are kept"),
)
record(
    "reports.Report",
    purpose=_("the funder reports, scheduled and on demand"),
    people=_("office staff"),
    fields={"requested_by": _("who asked for it")},
    recipients=_("the office; the report goes to the funder's contacts"),
    deleted=_("kept with the program (figures only)"),
    technical={"failure": _("the error text of a failed build")},
)
record(
    "reports.Export",
    purpose=_("ZIP exports: a file's whole record, a person's own data (Art. 15)"),
    people=_("as in the exported file; the person who asked"),
    fields={
        "file": _("the ZIP"),
        "requested_by": _("who asked"),
        "token": _("the download link's secret"),
    },
    recipients=_("who asked for it (an office user, or the person themselves)"),
    deleted=_("after {export_hours} hours; a file's exports also by {sweep}"),
    technical={"failure": _("the error text of a failed build")},
)
