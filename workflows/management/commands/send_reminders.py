"""``manage.py send_reminders [--dry-run] [--today YYYY-MM-DD]``: the daily reminder
sweep, for the embedded default (no beat) and for cron; the beat schedule runs the same
sweep at 07:00 Europe/Berlin. Safe to run as often as you like."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.progress import day_option, progress_bar
from workflows.reminders import sweep

PROGRESS_FROM = 50  # reminders; fewer finish before a bar would help


class Command(BaseCommand):
    help = "Send the reminders due today (or --today); --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--today", help="The day to sweep for, YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        result = sweep(
            today=today,
            dry_run=options["dry_run"],
            progress=progress_bar(self.stderr, PROGRESS_FROM),
        )
        header = ("rule", "reference", "due", "to", "")
        rows = [header, *result.lines]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write(
                "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.sent} sent, {len(result.lines) - result.sent} listed but not sent "
                f"(already sent or dry run), {result.skipped} opted out."
            )
        )
