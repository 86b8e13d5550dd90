"""The funder report for a program and period: key figures, budget use per call (fund),
amounts by state, payouts over time, the breakdown by field of action and target group,
and the list of funded projects. Organisation names are the only names in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from core.formats import format_date, format_datetime, format_number, format_percent
from projects.figures import FundedProject, KeyFigures
from reports.pdf import charts
from reports.pdf.style import (
    CONTENT_WIDTH,
    FONT,
    Column,
    Letterhead,
    Styles,
    build,
    day,
    heading,
    money,
    para,
    table,
)
from reports.sheets import FunderReportSheet

ZERO = Decimal("0.00")
NOT_GIVEN = "–"
# The funded projects' list: plain cells (no paragraph per cell), wrapped to the column.
PROJECT_COLUMNS = (
    (0.19, False),  # file number: "PFD-KO-2026-0042" fits whole
    (0.29, False),  # title
    (0.22, False),  # organisation
    (0.14, True),  # approved
    (0.16, True),  # paid out
)
LIST_FONT_SIZE = 8
# A section's heading starts a new page unless its first lines fit under it.
SECTION_ROOM = 45 * mm


@lru_cache(maxsize=4096)
def _width(character: str) -> float:
    return stringWidth(character, FONT, LIST_FONT_SIZE)


def wrap_to(text: str, share: float) -> str:
    """``text`` broken into lines (joined by line breaks) that fit a column of ``share``
    of the content width: at spaces, a word longer than the column by its characters.
    Nothing is cut. One pass over cached character widths: thousands of rows, no font
    lookups per cell."""
    room = CONTENT_WIDTH * share - 7
    space = _width(" ")
    lines: list[str] = []
    line, used = "", 0.0
    for word in text.split():
        width = sum(_width(character) for character in word)
        if line and used + space + width <= room:
            line, used = f"{line} {word}", used + space + width
            continue
        if line:
            lines.append(line)
        line, used = "", 0.0
        while width > room:  # a word wider than the column: broken by its characters
            part, part_width = "", 0.0
            for character in word:
                if part and part_width + _width(character) > room:
                    break
                part, part_width = part + character, part_width + _width(character)
            lines.append(part)
            word, width = word[len(part) :], width - part_width
        line, used = word, width
    if line:
        lines.append(line)
    return "\n".join(lines)


def _counts(key: KeyFigures) -> list[tuple[str, str, str]]:
    return [
        (_("Applications received"), format_number(key.received), money(key.requested_amount)),
        (_("Approved"), format_number(key.approved), money(key.approved_amount)),
        (_("Rejected"), format_number(key.rejected), ""),
        (_("Withdrawn"), format_number(key.withdrawn), ""),
    ]


def _amounts(key: KeyFigures) -> list[tuple[str, str]]:
    return [
        (_("Paid out"), money(key.paid_out)),
        (_("Proven (accepted proofs of use)"), money(key.proven)),
        (_("Reclaimed (repayments demanded)"), money(key.reclaimed)),
        (_("Repaid"), money(key.repaid)),
    ]


def _key_figures(sheet: FunderReportSheet) -> list[Flowable]:
    """The period's figures beside those up to its end (what the tables below count)."""
    key, total = sheet.figures.key, sheet.key_to_date or sheet.figures.key
    until = _("up to %(date)s") % {"date": format_date(sheet.figures.period_end)}
    counts = [
        (label, number, amount, number_to_date, amount_to_date)
        for (label, number, amount), (_label, number_to_date, amount_to_date) in zip(
            _counts(key), _counts(total), strict=True
        )
    ]
    amounts = [
        (label, amount, amount_to_date)
        for (label, amount), (_label, amount_to_date) in zip(
            _amounts(key), _amounts(total), strict=True
        )
    ]
    return [
        CondPageBreak(SECTION_ROOM),
        heading(_("Key figures")),
        table(
            [
                Column(_("Applications"), 0.3),
                Column(_("In the period"), 0.14, numeric=True),
                Column(_("Grant total"), 0.19, numeric=True),
                Column(until, 0.17, numeric=True),
                Column(_("Grant total"), 0.2, numeric=True),
            ],
            counts,
        ),
        Spacer(1, 3 * mm),
        table(
            [
                Column(_("Money"), 0.44),
                Column(_("In the period"), 0.28, numeric=True),
                Column(until, 0.28, numeric=True),
            ],
            amounts,
        ),
    ]


def _calls(sheet: FunderReportSheet) -> list[Flowable]:
    calls = sheet.figures.calls
    return [
        CondPageBreak(SECTION_ROOM),
        heading(_("Budget use per call (fund)")),
        para(
            _("Approved and paid out up to %(date)s, against each call's budget.")
            % {"date": format_date(sheet.figures.period_end)},
            Styles.note,
        ),
        table(
            [
                Column(_("Call (fund)"), 0.30),
                Column(_("Budget"), 0.16, numeric=True),
                Column(_("Approved"), 0.16, numeric=True),
                Column(_("Used"), 0.12, numeric=True),
                Column(_("Paid out"), 0.16, numeric=True),
                Column(_("Projects"), 0.1, numeric=True),
            ],
            [
                (
                    c.title,
                    money(c.budget),
                    money(c.approved_amount),
                    format_percent(c.used_percent),
                    money(c.paid_out),
                    format_number(c.applications),
                )
                for c in calls
            ],
            totals=[
                _("Total"),
                money(sum((c.budget for c in calls), ZERO)),
                money(sum((c.approved_amount for c in calls), ZERO)),
                "",
                money(sum((c.paid_out for c in calls), ZERO)),
                format_number(sum(c.applications for c in calls)),
            ],
        ),
        Spacer(1, 3 * mm),
        charts.horizontal_bars(
            [c.title for c in calls],
            [
                [c.budget for c in calls],
                [c.approved_amount for c in calls],
                [c.paid_out for c in calls],
            ],
            [_("Budget"), _("Approved"), _("Paid out")],
            empty_text=_("No call yet."),
        ),
    ]


def _states(sheet: FunderReportSheet) -> list[Flowable]:
    rows = sheet.figures.by_state
    labels = [sheet.state_labels.get(r.state, r.state) for r in rows]
    return [
        CondPageBreak(SECTION_ROOM),
        heading(_("Amounts by state")),
        para(
            _("Every application submitted up to %(date)s, by its state today.")
            % {"date": format_date(sheet.figures.period_end)},
            Styles.note,
        ),
        table(
            [
                Column(_("State"), 0.4),
                Column(_("Applications"), 0.2, numeric=True),
                Column(_("Requested"), 0.2, numeric=True),
                Column(_("Approved"), 0.2, numeric=True),
            ],
            [
                (
                    label,
                    format_number(r.applications),
                    money(r.requested_amount),
                    money(r.approved_amount),
                )
                for label, r in zip(labels, rows, strict=True)
            ],
        ),
        Spacer(1, 3 * mm),
        charts.horizontal_bars(
            labels,
            [[r.requested_amount for r in rows], [r.approved_amount for r in rows]],
            [_("Requested"), _("Approved")],
            empty_text=_("No application yet."),
        ),
    ]


def _series(sheet: FunderReportSheet) -> list[Flowable]:
    points = sheet.figures.payout_series
    weekly = sheet.figures.series_unit == "week"
    labels = [
        _("wk of %(date)s") % {"date": format_date(p.start)[:6]}
        if weekly
        else format_date(p.start)[3:]
        for p in points
    ]
    return [
        CondPageBreak(SECTION_ROOM),
        heading(_("Payouts over time")),
        charts.vertical_bars(
            labels,
            [p.paid_out for p in points],
            _("Paid out per week") if weekly else _("Paid out per month"),
            empty_text=_("No payouts in this period."),
        ),
    ]


def _breakdowns(sheet: FunderReportSheet) -> list[Flowable]:
    story: list[Flowable] = []
    for title, rows in (
        (_("Funded projects by field of action"), sheet.figures.by_field_of_action),
        (_("Funded projects by target group"), sheet.figures.by_target_group),
    ):
        story += [
            CondPageBreak(SECTION_ROOM),
            heading(title),
            table(
                [
                    Column(_("Field"), 0.55),
                    Column(_("Projects"), 0.15, numeric=True),
                    Column(_("Approved"), 0.3, numeric=True),
                ],
                [
                    (r.label or NOT_GIVEN, format_number(r.projects), money(r.approved_amount))
                    for r in rows
                ],
                totals=[
                    _("Total"),
                    format_number(sum(r.projects for r in rows)),
                    money(sum((r.approved_amount for r in rows), ZERO)),
                ],
            ),
        ]
    return story


def funded_rows(funded: Iterable[FundedProject]) -> list[tuple[str, ...]]:
    """The cells of the funded projects' list, names wrapped to their columns (also the
    rows of the plain baseline table in bench/reports.py)."""
    shares = [share for share, _numeric in PROJECT_COLUMNS]
    return [
        (
            wrap_to(p.reference, shares[0]),
            wrap_to(p.title, shares[1]),
            wrap_to(p.organization, shares[2]),
            money(p.approved_amount),
            money(p.paid_out),
        )
        for p in funded
    ]


def _funded(sheet: FunderReportSheet) -> list[Flowable]:
    funded = sheet.figures.funded
    titles = (_("File number"), _("Project"), _("Organisation"), _("Approved"), _("Paid out"))
    columns = [
        Column(title, share, numeric)
        for title, (share, numeric) in zip(titles, PROJECT_COLUMNS, strict=True)
    ]
    rows = funded_rows(funded)
    return [
        CondPageBreak(SECTION_ROOM),
        heading(_("Funded projects")),
        para(
            _("Approved up to %(end)s and running in or after the period (%(count)s projects).")
            % {"end": day(sheet.figures.period_end), "count": format_number(len(funded))},
            Styles.note,
        ),
        table(
            columns,
            rows,
            totals=[
                _("Total"),
                "",
                "",
                money(sum((p.approved_amount for p in funded), ZERO)),
                money(sum((p.paid_out for p in funded), ZERO)),
            ],
            plain=True,
        ),
    ]


def _period(sheet: FunderReportSheet) -> str:
    """The period once: "3. Quartal 2026 (01.07.2026 – 30.09.2026)", or only the days
    when they are its name."""
    days = f"{format_date(sheet.figures.period_start)} – {format_date(sheet.figures.period_end)}"
    return days if sheet.period_label == days else f"{sheet.period_label} ({days})"


def render(sheet: FunderReportSheet, progress: Callable[[int, int], None] | None = None) -> bytes:
    story: list[Flowable] = [
        para(_("Report to the funder"), Styles.title),
        para(f"{sheet.head.program} · {_period(sheet)}", Styles.subtitle),
        para(
            _("Funder: %(funder)s. As of %(when)s.")
            % {"funder": sheet.head.funder, "when": format_datetime(sheet.generated_at)},
            Styles.note,
        ),
        *_key_figures(sheet),
        *_calls(sheet),
        *_states(sheet),
        *_series(sheet),
        *_breakdowns(sheet),
        *_funded(sheet),
    ]
    letterhead = Letterhead(
        program=sheet.head.program,
        document=_("Funder report %(period)s") % {"period": sheet.period_label},
        issued_on=sheet.head.issued_on,
    )
    return build(story, letterhead, progress=progress)
