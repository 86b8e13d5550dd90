"""``manage.py privacy_register [-o FILE] [--language de] [--from-database] [--check]``:
the records of processing and the technical and organisational measures
(``reports.register``), as Markdown, in English (default) or German. ``--check``
answers non-zero when FILE differs from what it would write; every run refuses while a
table with personal fields is not documented."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.privacy import stale, undocumented
from reports.register import PAGES, database_periods, demo_periods, privacy_register


class Command(BaseCommand):
    help = "Write the DSGVO register (docs/privacy.md) from the models and the settings."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="the file to write (default: stdout)")
        parser.add_argument(
            "--language", choices=sorted(PAGES), default="en", help="the page's language"
        )
        parser.add_argument(
            "--from-database",
            action="store_true",
            help="the retention years of the database's programs, not the demo's",
        )
        parser.add_argument(
            "--check", action="store_true", help="only check that --output is up to date"
        )

    def handle(
        self, *args, output=None, language="en", from_database=False, check=False, **options
    ):
        missing = undocumented()
        if missing:
            listed = "; ".join(f"{label}: {', '.join(fields)}" for label, fields in missing.items())
            raise CommandError(
                f"Tables with personal fields not in the register: {listed}. Declare them "
                "in the app's processing.py (core.privacy.record or not_personal)."
            )
        if wrong := stale():
            listed = "; ".join(f"{label}: {', '.join(fields)}" for label, fields in wrong.items())
            raise CommandError(f"The register names what does not exist: {listed}.")
        periods = database_periods() if from_database else demo_periods()
        text = privacy_register(periods, language)
        if check:
            if not output:
                raise CommandError("--check needs --output, the file to compare.")
            path = Path(output)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{output} is not up to date: run manage.py privacy_register -o {output}."
                )
            self.stdout.write(f"{output} is up to date.")
            return
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(text, ending="")
