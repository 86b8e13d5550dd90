"""The retention sweep's eraser of what ``reports`` keeps of a file (DOMAIN.md, "Data
protection"): its kept documents and its whole-file exports. Registered with
``workflows.retention`` when the app is ready."""

from __future__ import annotations

from projects.models import Application
from reports.models import Export
from reports.selectors import documents_of
from workflows.retention import register_eraser


def erase_documents(application: Application) -> tuple[list[str], int]:
    """The retention sweep's eraser (``workflows.retention``): the file's kept documents
    and its whole-file exports, their rows now, their bytes after commit."""
    documents = documents_of(application)
    exports = Export.objects.filter(application=application)
    stored = [*documents.values_list("file", flat=True), *exports.values_list("file", flat=True)]
    count = documents.delete()[0] + exports.delete()[0]
    names = [name for name in stored if name]
    return names, count


register_eraser("documents", erase_documents)
