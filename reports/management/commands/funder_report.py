"""``manage.py funder_report --program PFD-KO --period 2026-Q3 -o report.pdf``: the funder
report for one program and period, rendered now (with a progress bar), kept like every
generated document, and written to a file. Nothing is e-mailed."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from core.urls import parse_id
from grants.models import Program
from reports import services
from reports.models import Report
from reports.pdf import funder_report


def parse_period(text: str) -> tuple[date, date]:
    """``2026`` (year), ``2026-Q3`` (quarter), ``2026-10`` (month) or
    ``2026-07-01..2026-08-15``."""
    text = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})", text):
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(match[1]), int(match[2])
        end_month = 3 * quarter
        return (
            date(year, end_month - 2, 1),
            date(year, end_month, calendar.monthrange(year, end_month)[1]),
        )
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        try:
            return date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            pass
    raise CommandError(f"--period {text!r}: use 2026, 2026-Q3, 2026-10 or 2026-07-01..2026-08-15.")


class Command(BaseCommand):
    help = "Render the funder report of a program for a period into a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="The program's id or code.")
        parser.add_argument("--period", required=True, help="2026, 2026-Q3, 2026-10 or a..b")
        parser.add_argument("-o", "--output", help="The file to write (default: by name).")
        parser.add_argument("--language", choices=["de", "en"], default="de")

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")

    def handle(self, *args, **options):
        key = options["program"]
        program = (
            Program.objects.filter(pk=parse_id(key)).first()
            or Program.objects.filter(code=key.upper()).first()
        )
        if program is None:
            raise CommandError(f"No program {key!r} (give its id or code).")
        start, end = parse_period(options["period"])
        try:
            report = services.report_create(
                program=program, period_start=start, period_end=end, language=options["language"]
            )
        except InvalidInput as refused:
            problems = "; ".join(m for messages in refused.errors.values() for m in messages)
            raise CommandError(f"--period {options['period']}: {problems}") from None
        report = services.report_render(
            report.pk, render=lambda sheet: funder_report.render(sheet, progress=self._progress)
        )
        self.stderr.write("")
        if report.status != Report.Status.DONE:
            raise CommandError(f"The report failed: {report.failure}")
        output = Path(options["output"] or f"{program.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
        output.write_bytes(services.read(report.document))
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {report.document.pages} pages, {report.document.size:,} bytes, "
                f"sha256 {report.document.sha256[:16]}…"
            )
        )
