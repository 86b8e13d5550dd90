"""docs/privacy.md, the DSGVO register: generated from the tables' declarations, complete
(a table with personal fields fails until it is declared), and up to date."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models
from django.test.utils import isolate_apps, override_settings

from core import privacy
from grants.models import Program
from reports.register import PAGES, Periods, database_periods, demo_periods, privacy_register

DOCS = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def test_every_table_with_personal_fields_is_declared():
    assert privacy.undocumented() == {}
    assert privacy.stale() == {}


@pytest.mark.parametrize("language", sorted(PAGES))
def test_docs_privacy_is_the_generated_register(language):
    page = Path(settings.BASE_DIR) / PAGES[language]
    assert page.read_text(encoding="utf-8") == privacy_register(demo_periods(), language), (
        f"{PAGES[language]} is out of date: run `make privacy`"
    )


def test_the_german_register_is_german():
    text = privacy_register(language="de")
    assert "## Verzeichnis von Verarbeitungstätigkeiten (Art. 30)" in text
    assert "| Tabelle | Was | Zweck | Betroffene |" in text
    assert "Verwendungsnachweis + 5 Jahre" in text
    assert "nach 30 Tagen durch den täglichen Lauf" in text
    assert "{" not in text and "the retention sweep" not in text


@isolate_apps("projects")
def test_a_new_model_with_personal_fields_fails_until_declared():
    class Participant(models.Model):  # noqa: DJ008
        email = models.EmailField()
        full_name = models.CharField(max_length=100)
        remarks = models.TextField()
        count = models.PositiveIntegerField()

        class Meta:
            app_label = "projects"

    assert privacy.personal_fields(Participant) == ["email", "full_name", "remarks"]
    assert privacy.undocumented([Participant]) == {
        "projects.Participant": ["email", "full_name", "remarks"]
    }
    try:
        privacy.record(
            "projects.Participant",
            purpose="who took part",
            people="participants",
            fields={"email": "address", "full_name": "name"},
            recipients="the office",
            deleted="by the sweep",
        )
        # A field left out still fails, named.
        assert privacy.undocumented([Participant]) == {"projects.Participant": ["remarks"]}
        privacy.record(
            "projects.Participant",
            purpose="who took part",
            people="participants",
            fields={"email": "address", "full_name": "name"},
            recipients="the office",
            deleted="by the sweep",
            technical={"remarks": "the office's own notes on the count"},
        )
        assert privacy.undocumented([Participant]) == {}
    finally:
        privacy.RECORDS.pop("projects.Participant", None)


@isolate_apps("projects")
def test_a_link_to_an_account_is_personal_and_a_count_is_not():
    class Tally(models.Model):  # noqa: DJ008
        voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        program = models.ForeignKey(Program, on_delete=models.CASCADE)
        yes = models.PositiveIntegerField()
        ip = models.GenericIPAddressField()
        scan = models.FileField()
        extra = models.JSONField()

        class Meta:
            app_label = "projects"

    assert privacy.personal_fields(Tally) == ["voter", "ip", "scan", "extra"]


def test_a_declaration_of_a_field_that_is_gone_is_stale():
    privacy.record(
        "projects.Vote",
        purpose="votes",
        people="members",
        fields={"member": "who", "ballot_paper": "no such field"},
        recipients="office",
        deleted="never",
        technical={"comment": "x", "recorded_by": "y"},
    )
    try:
        assert privacy.stale() == {"projects.Vote": ["ballot_paper"]}
    finally:
        # Put the real declaration back.
        import importlib

        from projects import processing

        importlib.reload(processing)
    assert privacy.stale() == {}
    assert privacy.undocumented() == {}


def test_the_command_checks_the_file(tmp_path):
    target = tmp_path / "privacy.md"
    call_command("privacy_register", output=str(target), stdout=StringIO())
    assert target.read_text(encoding="utf-8") == privacy_register()
    out = StringIO()
    call_command("privacy_register", output=str(target), check=True, stdout=out)
    assert "up to date" in out.getvalue()
    target.write_text(target.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not up to date"):
        call_command("privacy_register", output=str(target), check=True, stdout=StringIO())


def test_the_command_refuses_while_a_table_is_undocumented():
    privacy.RECORDS.pop("workflows.Delivery")
    try:
        with pytest.raises(CommandError, match=r"workflows\.Delivery: key, recipient, address"):
            call_command("privacy_register", stdout=StringIO())
    finally:
        import importlib

        from workflows import processing

        importlib.reload(processing)
    assert privacy.undocumented() == {}


def test_the_periods_come_from_the_settings_and_the_programs():
    with override_settings(SIGNIN_RECORDS_DAYS=14, EXPORT_KEEP_HOURS=24):
        text = privacy_register(Periods({"A": 5, "B": 10}))
    assert "5 years (A), 10 years (B)" in text
    assert "after 14 days, by the daily sweep" in text
    assert "after 24 hours" in text
    # The committed page has the demo's five years and the default settings.
    assert "proof of use + 5 years" in DOCS.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_an_office_generates_its_register_from_its_programs(tmp_path):
    from tests.factories import ProgramFactory

    ProgramFactory(code="LONG", retention_years=10)
    ProgramFactory(code="SHORT", retention_years=6)
    assert database_periods().retention_years == {"LONG": 10, "SHORT": 6}
    target = tmp_path / "register.md"
    call_command("privacy_register", output=str(target), from_database=True, stdout=StringIO())
    assert "proof of use + 10 years (LONG), 6 years (SHORT)" in target.read_text(encoding="utf-8")


def test_every_table_row_names_its_deletion():
    text = privacy_register()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(privacy.RECORDS)
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert len(cells) == 7, row
        assert all(cells), row
        assert "{" not in cells[6], row
