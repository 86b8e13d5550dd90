"""Reading the PDFs back (pypdf): their text, pages and fonts."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces made one space (a
    wrapped sentence reads as one)."""
    pages = [page.extract_text() or "" for page in reader(pdf).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use → whether the font file is embedded."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page["/Resources"].get("/Font", {})
        for font in resources.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return found


def page_count(pdf: bytes) -> int:
    return len(reader(pdf).pages)
