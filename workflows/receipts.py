"""The receipts list from a spreadsheet (CSV or XLSX): each line read and checked as
``workflows.money.expenditure_create`` checks one typed in, and saved only when every
line is right (one transaction: a wrong line saves nothing, and says which it is).

Columns by their heading, in German or English, in any order (``Datum``, ``Empfänger``,
``Zweck``, ``Kategorie``, ``Betrag``, ``USt``, ``Belegnummer``); amounts typed the
German way (``1.234,56``) or as numbers of the spreadsheet; dates ``14.12.2026``, ISO, or
date cells. A category is named by its code or its name."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import InvalidInput, require
from core.formats import parse_amount, parse_date
from grants.models import User
from projects.models import Application, Expenditure
from workflows.money import _check_expenditure, _snapshot, locked_while_funded

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 2000

HEADINGS = {
    "date": ("datum", "belegdatum", "zahlungsdatum", "date"),
    "payee": ("empfänger", "zahlungsempfänger", "empfaenger", "payee"),
    "purpose": ("zweck", "verwendungszweck", "gegenstand", "purpose"),
    "category": ("kategorie", "kostenkategorie", "kostenart", "category"),
    "amount": ("betrag", "betrag netto", "nettobetrag", "netto", "amount", "net amount"),
    "vat": ("ust", "umsatzsteuer", "mwst", "vorsteuer", "vat"),
    "receipt_number": ("belegnummer", "beleg-nr.", "beleg", "receipt number", "receipt"),
}
REQUIRED = ("date", "payee", "purpose", "category", "amount")


@dataclass
class ReceiptLine:
    """One line of the file: its number as the spreadsheet shows it, what it says, and
    what is wrong with it."""

    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)


class Unreadable(InvalidInput):
    pass


def _refuse(message: str) -> Unreadable:
    return Unreadable(errors={"file": [message]})


def _table(content: bytes, name: str) -> list[list[Any]]:
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file may have at most 2 MB."))
    if name.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _xlsx(content)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise _refuse(_("The file is no readable CSV: %(error)s") % {"error": error}) from None


def _xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # A small file that unpacks to gigabytes (a zip bomb) is refused unread.
            if sum(info.file_size for info in archive.infolist()) > 50 * MAX_BYTES:
                raise _refuse(_("The spreadsheet is too large."))
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Unreadable:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise _refuse(_("The file is no readable XLSX spreadsheet.")) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(list(row))
        if len(rows) > MAX_LINES + 1:
            break
    book.close()
    return rows


def _columns(heading: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(heading):
        text = str(cell or "").strip().lower().rstrip(":")
        for name, words in HEADINGS.items():
            if text in words and name not in found:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise _refuse(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(HEADINGS[name][0].title() for name in missing)}
        )
    return found


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _amount(cell: Any) -> Decimal | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        return Decimal(str(cell)).quantize(Decimal("0.01"))
    return parse_amount(_text(cell)) if len(_text(cell)) <= 24 else None


def _day(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    return parse_date(_text(cell)) if len(_text(cell)) <= 20 else None


def receipts_read(application: Application, content: bytes, name: str) -> list[ReceiptLine]:
    """Every line of the file with what it says and what the program's rules say of it;
    nothing is saved."""
    rows = _table(content, name)
    while rows and not any(_text(cell) for cell in rows[-1]):
        rows.pop()
    if len(rows) < 2:
        raise _refuse(_("The file has no lines under its headings."))
    if len(rows) > MAX_LINES + 1:
        raise _refuse(_("At most %(count)s lines at a time.") % {"count": MAX_LINES})
    columns = _columns(rows[0])
    categories = {}
    for category in application.program.categories.all():
        categories[category.code.lower()] = category
        categories[category.name.strip().lower()] = category
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(_text(cell) for cell in row):
            continue
        cells = {
            name: (row[index] if index < len(row) else None) for name, index in columns.items()
        }
        lines.append(_line(application, number, cells, categories))
    return lines


def _line(application, number: int, cells: dict[str, Any], categories) -> ReceiptLine:
    errors: list[str] = []
    values: dict[str, Any] = {
        "payee": _text(cells.get("payee")),
        "purpose": _text(cells.get("purpose")),
        "receipt_number": _text(cells.get("receipt_number")),
    }
    values["date"] = _day(cells.get("date"))
    if values["date"] is None:
        errors.append(
            _("Date: “%(text)s” is no date (DD.MM.YYYY).") % {"text": _text(cells.get("date"))[:40]}
        )
    for key, label in (("amount", _("Amount")), ("vat", _("VAT"))):
        raw = cells.get(key)
        if key == "vat" and not _text(raw):
            values[key] = Decimal("0.00")
            continue
        amount = _amount(raw)
        if amount is None or amount < 0:
            errors.append(
                _("%(column)s: “%(text)s” is no amount in euros (such as 1.234,56).")
                % {"column": label, "text": _text(raw)[:40]}
            )
        values[key] = amount
    category = categories.get(_text(cells.get("category")).lower())
    if category is None:
        errors.append(
            _("Category: “%(text)s” is no cost category of the program.")
            % {"text": _text(cells.get("category"))[:60]}
        )
    values["category"] = category
    if not errors:
        candidate = Expenditure(application=application, **values)
        try:
            candidate.full_clean(exclude=["application", "created_by", "reviewed_by"])
        except DjangoValidationError as refused:
            for field_name, messages in refused.message_dict.items():
                label = (
                    Expenditure._meta.get_field(field_name).verbose_name
                    if field_name in values
                    else ""
                )
                errors.extend(
                    f"{str(label).capitalize()}: {message}" if label else message
                    for message in messages
                )
        try:
            _check_expenditure(application, values)
        except InvalidInput as refused:
            errors.extend(
                str(message) for messages in (refused.errors or {}).values() for message in messages
            )
    return ReceiptLine(line=number, values=values, errors=errors)


def receipts_import(
    *, application: Application, actor: User, content: bytes, name: str
) -> list[Expenditure]:
    """All lines of the file into the receipts list, or none: a wrong line refuses the
    whole file, naming each wrong line (``lines.<n>``). Audited as one import."""
    with transaction.atomic():
        locked = locked_while_funded(application)
        require(actor, "projects.take_sponsor_step", locked)
        lines = receipts_read(locked, content, name)
        wrong = {f"lines.{line.line}": line.errors for line in lines if line.errors}
        if wrong:
            raise InvalidInput(errors=wrong)
        created = [
            Expenditure.objects.create(application=locked, created_by=actor, **line.values)
            for line in lines
        ]
        audit.record(
            event="expenditure.import",
            trail=locked,
            actor=actor,
            data={
                "file": name[:200],
                "count": len(created),
                "lines": [_snapshot(e) for e in created],
            },
        )
    return created
