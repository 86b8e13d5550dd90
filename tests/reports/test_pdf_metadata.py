"""PDF metadata (issue #20): the document's language, its issue day as creation and
modification date, its title shown by the viewer, and the same bytes for the same data."""

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from reports.pdf import style


def _pdf(language: str, issued_on: date | None = date(2026, 7, 14)) -> bytes:
    with translation.override(language):
        return style.build(
            [style.para("Inhalt")],
            style.Letterhead(program="PFD-KO", document="Antrag", issued_on=issued_on),
            title="Antrag PFD-KO-2026-0001",
        )


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_pdf_declares_its_language(language):
    reader = PdfReader(io.BytesIO(_pdf(language)))
    assert reader.trailer["/Root"]["/Lang"] == language


def test_creation_and_modification_are_the_issue_day():
    reader = PdfReader(io.BytesIO(_pdf("de")))
    info = reader.metadata
    for moment in (info.creation_date, info.modification_date):
        assert moment.date() == date(2026, 7, 14)
        assert moment.utcoffset().total_seconds() == 2 * 3600  # CEST, Europe/Berlin
    assert info.title == "Antrag PFD-KO-2026-0001"


def test_the_viewer_shows_the_title():
    reader = PdfReader(io.BytesIO(_pdf("de")))
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"].value is True


def test_same_data_and_day_give_the_same_bytes():
    assert _pdf("de") == _pdf("de")
    assert _pdf("de") != _pdf("de", issued_on=date(2026, 7, 15))
