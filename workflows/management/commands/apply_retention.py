"""``manage.py apply_retention [--dry-run] [--today YYYY-MM-DD]``: the daily retention
sweep (``workflows.retention``), for the embedded default (no beat) and for cron; the
beat schedule runs the same sweep at 02:30 Europe/Berlin. Safe to run as often as you
like, and after a crash: it completes what a killed run left."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.progress import day_option, progress_bar
from workflows.retention import sweep

PROGRESS_FROM = 20  # files


class Command(BaseCommand):
    help = (
        "Delete the files past their retention period (or as of --today) with their "
        "personal data; --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")
        parser.add_argument("--today", help="The day to apply the periods of, YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        result = sweep(
            today=today,
            dry_run=options["dry_run"],
            progress=progress_bar(self.stderr, PROGRESS_FROM),
        )
        for reference in result.applications:
            self.stdout.write(reference)
        if options["dry_run"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Dry run: {len(result.applications)} file(s) and {result.accounts} "
                    "account(s) would be erased; nothing was changed."
                )
            )
            return
        purged = ", ".join(f"{count} {name}" for name, count in result.signin_records.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.applications)} file(s) erased, {result.accounts} account(s) "
                f"erased, {result.files_retried} earlier file deletion(s) completed, "
                f"{result.invitations} old invitation address(es) erased; sign-in records "
                f"purged: {purged}."
            )
        )
