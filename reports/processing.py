"""The documents, reports and exports in the records of processing (``core.privacy``)."""

from core.privacy import record

record(
    "reports.Document",
    purpose="the PDFs Zuwendo issues and keeps (decisions, statements, minutes, reports)",
    people="as in the file they print: sponsors' staff, payees, committee members",
    fields={"file": "the PDF", "generated_by": "who had it generated"},
    recipients="the sponsor (its decisions), the decision body, the funder (its reports)",
    deleted="an application's documents are deleted by {sweep}; the program's reports are kept",
)
record(
    "reports.Report",
    purpose="the funder reports, scheduled and on demand",
    people="office staff",
    fields={"requested_by": "who asked for it"},
    recipients="the office; the report goes to the funder's contacts",
    deleted="kept with the program (figures only)",
    technical={"failure": "the error text of a failed build"},
)
record(
    "reports.Export",
    purpose="ZIP exports: a file's whole record, a person's own data (Art. 15)",
    people="as in the exported file; the person who asked",
    fields={
        "file": "the ZIP",
        "requested_by": "who asked",
        "token": "the download link's secret",
    },
    recipients="who asked for it (an office user, or the person themselves)",
    deleted="after {export_hours} hours; a file's exports also by {sweep}",
    technical={"failure": "the error text of a failed build"},
)
