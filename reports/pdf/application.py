"""The application (Antrag): all its fields and the cost plan, as submitted."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from reports.pdf import parts
from reports.pdf.style import Letterhead, Styles, build, heading, long_text, para
from reports.sheets import ApplicationSheet


def render(sheet: ApplicationSheet) -> bytes:
    return build(*compose(sheet))


def compose(sheet: ApplicationSheet) -> tuple[list[Flowable], Letterhead]:
    """The document's flowables and letterhead: the PDF and its HTML page (``reports.html``)
    are made from these."""
    project = sheet.project
    story: list[Flowable] = [
        para(_("Application for a grant"), Styles.title),
        para(f"{project.reference} · {project.title}", Styles.subtitle),
        *parts.sponsor(project),
        *parts.particulars(project),
        heading(_("Summary")),
        *long_text(project.summary),
        *parts.cost_plan(project),
        *parts.financing_plan(project, sheet.min_own_share_percent),
    ]
    if project.conditions:
        story += [heading(_("Conditions (Auflagen)")), *long_text(project.conditions)]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Application %(reference)s") % {"reference": project.reference},
        reference=project.reference,
        issued_on=sheet.head.issued_on,
    )
    return story, letterhead
