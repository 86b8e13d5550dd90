"""The minutes (Niederschrift, § 93 VwVfG) of a meeting: place and time, who was
present, per agenda item the conflicts of interest, the votes and the outcome, and the
signatures of the chair and the keeper of the minutes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from core.formats import format_datetime
from reports.pdf.style import (
    Column,
    Letterhead,
    Styles,
    build,
    facts,
    heading,
    long_text,
    money,
    para,
    signature_block,
    subheading,
    table,
)
from reports.sheets import MinutesSheet


def render(sheet: MinutesSheet) -> bytes:
    return build(*compose(sheet))


def compose(sheet: MinutesSheet) -> tuple[list[Flowable], Letterhead]:
    """The document's flowables and letterhead: the PDF and its HTML page (``reports.html``)
    are made from these."""
    present = [a for a in sheet.attendees if a.present]
    story: list[Flowable] = [
        para(_("Minutes (Niederschrift)"), Styles.title),
        para(
            _("Meeting of the %(body)s on %(when)s")
            % {"body": sheet.body, "when": format_datetime(sheet.starts_at)},
            Styles.subtitle,
        ),
    ]
    if not sheet.signed:
        story.append(
            para(
                _("Draft: the minutes are not signed by the chair and the keeper yet."), Styles.warn
            )
        )
    story += [
        facts(
            [
                (_("Body"), sheet.body),
                (_("Date and time"), format_datetime(sheet.starts_at)),
                (_("Place"), sheet.place),
                (_("Chair"), sheet.chair or "–"),
                (_("Keeper of the minutes"), sheet.keeper or "–"),
                (
                    _("Present"),
                    _("%(present)s of %(members)s members")
                    % {"present": len(present), "members": len(sheet.attendees)},
                ),
            ]
        ),
        heading(_("Attendance")),
        table(
            [Column(_("Name"), 0.4), Column(_("Role"), 0.4), Column(_("Present"), 0.2)],
            [(a.name, a.role, _("yes") if a.present else _("no")) for a in sheet.attendees],
        ),
        heading(_("Agenda and outcomes")),
    ]
    for item in sheet.items:
        votes = item.votes
        rows = [
            (_("Sponsor"), item.organization),
            (_("Grant requested"), money(item.requested_amount)),
            (
                _("Conflicts of interest (§ 20 VwVfG)"),
                ", ".join(item.conflicted) + (_(" (took no part)") if item.conflicted else "")
                if item.conflicted
                else _("none declared"),
            ),
        ]
        if item.outcome:
            rows += [
                (
                    _("Votes"),
                    _("%(approve)s for, %(reject)s against, %(abstain)s abstentions")
                    % {
                        "approve": votes.get("approve", 0),
                        "reject": votes.get("reject", 0),
                        "abstain": votes.get("abstain", 0),
                    },
                ),
                (
                    _("Quorum"),
                    (_("reached") if item.quorum_reached else _("not reached"))
                    + " "
                    + _("(%(required)s of %(eligible)s eligible seats required)")
                    % {"required": item.quorum_required, "eligible": item.eligible},
                ),
                (_("Outcome"), f"{item.outcome}. {item.reason}"),
            ]
        if item.decision:
            rows.append((_("Decision"), item.decision))
        story += [
            subheading(f"{item.position}. {item.reference} · {item.title}"),
            facts(rows),
        ]
    if not sheet.items:
        story.append(para(_("The agenda is empty."), Styles.note))
    if sheet.notes:
        story += [heading(_("Notes")), *long_text(sheet.notes)]
    story.append(
        signature_block(
            [
                (
                    _("Chair"),
                    _("signed electronically by %(name)s, %(when)s")
                    % {"name": sheet.chair, "when": format_datetime(sheet.chair_signed_at)}
                    if sheet.chair_signed_at
                    else "",
                ),
                (
                    _("Keeper of the minutes"),
                    _("signed electronically by %(name)s, %(when)s")
                    % {"name": sheet.keeper, "when": format_datetime(sheet.keeper_signed_at)}
                    if sheet.keeper_signed_at
                    else "",
                ),
            ]
        )
    )
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Minutes: %(body)s") % {"body": sheet.body},
        issued_on=sheet.head.issued_on,
    )
    return story, letterhead
