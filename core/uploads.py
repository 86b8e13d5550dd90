"""What an uploaded file is, by its bytes (DOMAIN.md, "Attachments"): libmagic
(``python-magic`` over Debian's ``libmagic1``, decision 019) names the type; an Office
file must be the archive it claims (and no zip bomb), an image must open (and not be a
pixel bomb). The client's file name and content type are never believed."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import magic
from django.utils.translation import gettext as _
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
# The types DOMAIN.md allows: PDF, JPEG, PNG, the Office formats, plain text.
ALLOWED = (PDF, JPEG, PNG, TEXT, DOCX, XLSX, PPTX, ODT, ODS, ODP)
OOXML_PART = {DOCX: "word/", XLSX: "xl/", PPTX: "ppt/"}
# An archive may not inflate beyond this many times its size, nor beyond this total.
MAX_RATIO = 100
MAX_INFLATED = 500 * 1024 * 1024
MAX_PIXELS = 80_000_000  # an A4 page at 1,200 dpi is 140 million: scans are far below


class Refused(Exception):
    """The content is not an allowed type (415 ``unsupported_type``); ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str


EXTENSIONS = {
    PDF: "pdf",
    JPEG: "jpg",
    PNG: "png",
    TEXT: "txt",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
}


def detect(path: str, allowed: tuple[str, ...] = ALLOWED) -> Detected:
    """The type of the file at ``path`` if it is allowed and is what it seems."""
    found = magic.from_file(path, mime=True)
    if found in ("application/zip", "application/octet-stream") or found.startswith(
        "application/vnd."
    ):
        found = _office_type(path) or found
    if found not in allowed:
        raise Refused(
            _(
                "Files of this kind (%(type)s) are not accepted: PDF, JPEG, PNG, Office "
                "files or text."
            )
            % {"type": found}
        )
    if found in OOXML_PART or found in (ODT, ODS, ODP):
        _check_archive(path, found)
    if found in (JPEG, PNG):
        _check_image(path)
    if found == PDF:
        _check_pdf(path)
    return Detected(found, EXTENSIONS[found])


_MARKUP = re.compile(rb"<\s*(html|script|svg|body|!doctype|iframe)", re.IGNORECASE)


def _check_pdf(path: str) -> None:
    """A PDF starts with its header and is not also a web page (a polyglot that a
    browser would run as HTML)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.startswith(b"%PDF-") or _MARKUP.search(head):
        raise Refused(_("The file is not a plain PDF (it is also something else): refused."))


def _office_type(path: str) -> str | None:
    """An Office archive's own declaration: OOXML's ``[Content_Types].xml`` and main part,
    ODF's ``mimetype`` entry."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS, ODP) else None
            if "[Content_Types].xml" in names:
                for kind, folder in OOXML_PART.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _check_archive(path: str, kind: str) -> None:
    """The archive opens, holds the parts its type needs, and does not inflate beyond
    reason (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            inflated = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
    except (zipfile.BadZipFile, OSError):
        raise Refused(_("The Office file is damaged or not what it claims to be.")) from None
    if _office_type(path) != kind:
        raise Refused(_("The Office file is damaged or not what it claims to be."))
    if inflated > MAX_INFLATED or inflated / packed > MAX_RATIO:
        raise Refused(_("The archive inflates far beyond its size (a zip bomb?): refused."))


def _check_image(path: str) -> None:
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Refused(_("The image has more pixels than any scan needs: refused."))
            image.verify()
    except Refused:
        raise
    except Exception:  # Pillow raises many kinds for a broken or hostile image
        raise Refused(_("The image does not open: it is damaged or not an image.")) from None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(name: str, extension: str, limit: int = 200) -> str:
    """The client's file name as it may be shown and offered again: its last path part
    only, no control or bidi characters, NFC, at most ``limit`` characters with the
    detected extension kept (``../../Satzung.pdf`` → ``Satzung.pdf``)."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _UNSAFE.sub("", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[: limit - len(extension) - 1].strip(" .") or _("Attachment")
    return f"{stem}.{extension}"
