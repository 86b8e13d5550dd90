"""The office's lists as spreadsheets (PORTAL.md): the application list, the receipts
lists and the payouts of the applications it sees, as XLSX (amounts as numbers with a
German number format, dates as dates) and CSV (``;``, UTF-8 with a BOM), formula
injection neutralised in both (``reports.export.safe_cell``). One query per list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Application, Expenditure, PayoutRequest
from projects.states import ApplicationState, PayoutState
from reports.export import table_csv, table_xlsx

KINDS = ("applications", "receipts", "payouts")


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[object]]
    date_columns: tuple[int, ...]
    money_columns: tuple[int, ...]

    def xlsx(self) -> bytes:
        return table_xlsx(
            self.header,
            self.rows,
            title=self.title,
            date_columns=self.date_columns,
            money_columns=self.money_columns,
        )

    def csv(self) -> bytes:
        return table_csv(self.header, self.rows)


def _day(moment):
    return timezone.localdate(moment) if moment else None


def applications_table(applications: QuerySet[Application]) -> Table:
    rows = [
        [
            a.reference,
            a.title,
            a.organization.name,
            a.call.title,
            str(ApplicationState(a.state).label),
            _day(a.submitted_at),
            a.start_date,
            a.end_date,
            a.total_costs,
            a.requested_amount,
            a.approved_amount,
        ]
        for a in applications.select_related("organization", "call").order_by("reference", "pk")
    ]
    header = [
        _("File number"),
        _("Title"),
        _("Organisation"),
        _("Call"),
        _("State"),
        _("Submitted"),
        _("Start"),
        _("End"),
        _("Total costs"),
        _("Requested grant"),
        _("Approved grant"),
    ]
    return Table(_("Applications"), header, rows, (5, 6, 7), (8, 9, 10))


def receipts_table(applications: QuerySet[Application]) -> Table:
    rows = [
        [
            line.application.reference,
            line.application.title,
            line.date,
            line.receipt_number,
            line.payee,
            line.purpose,
            line.category.name,
            line.amount,
            line.vat,
            line.eligible(line.application.organization.deducts_input_tax),
        ]
        for line in Expenditure.objects.filter(application__in=applications)
        .select_related("application", "application__organization", "category")
        .order_by("application__reference", "date", "pk")
    ]
    header = [
        _("File number"),
        _("Title"),
        _("Date"),
        _("Receipt number"),
        _("Payee"),
        _("Purpose"),
        _("Cost category"),
        _("Net"),
        _("VAT"),
        _("Recognised"),
    ]
    return Table(_("Receipts"), header, rows, (2,), (7, 8, 9))


def payouts_table(applications: QuerySet[Application]) -> Table:
    rows = [
        [
            p.application.reference,
            p.application.title,
            p.application.organization.name,
            _day(p.requested_at),
            p.amount,
            str(PayoutState(p.state).label),
            p.paid_on,
            p.window_ends_on,
        ]
        for p in PayoutRequest.objects.filter(application__in=applications)
        .select_related("application", "application__organization")
        .order_by("application__reference", "requested_at", "pk")
    ]
    header = [
        _("File number"),
        _("Title"),
        _("Organisation"),
        _("Requested on"),
        _("Amount"),
        _("State"),
        _("Paid on"),
        _("Spend by"),
    ]
    return Table(_("Payouts"), header, rows, (3, 6, 7), (4,))


TABLES = {
    "applications": applications_table,
    "receipts": receipts_table,
    "payouts": payouts_table,
}
