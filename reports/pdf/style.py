"""The one look of Zuwendo's documents: a font family with every German (and most
European) glyph, one stylesheet, one A4 page template with the program in the header
and "Seite x von y" in the footer, and the building blocks the documents share.

Renderers hand ``build`` a list of flowables and get the PDF's bytes. Output is
invariant (no creation time, no random ids inside the file), so the same data gives the
same bytes and the same sha256: the document store keeps a new version only when the
content changed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from core.errors import DomainError
from core.formats import format_date
from core.money import format_eur

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "ZuwendoSans"
FONT_BOLD = "ZuwendoSans-Bold"
FONT_ITALIC = "ZuwendoSans-Oblique"
FONT_BOLD_ITALIC = "ZuwendoSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSansCondensed.ttf",
    FONT_BOLD: "DejaVuSansCondensed-Bold.ttf",
    FONT_ITALIC: "DejaVuSansCondensed-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSansCondensed-BoldOblique.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = A4
# DIN 5008 leaves 25 mm on the left (for filing) and at least 10 mm on the right.
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6672")
RULE = colors.HexColor("#aab4bf")
ACCENT = colors.HexColor("#1f4e79")
SHADE = colors.HexColor("#e8eef4")
WARN = colors.HexColor("#9c2b1f")


def register_fonts() -> None:
    """Register the family once per process (reportlab keeps a global registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


# Paragraphs resolve their fonts when they are created, so the family is registered as
# soon as any renderer is imported.
register_fonts()


def _style(name: str, **kwargs) -> ParagraphStyle:
    defaults = {"fontName": FONT, "fontSize": 9.5, "leading": 12.5, "textColor": INK}
    return ParagraphStyle(name, **{**defaults, **kwargs})


class Styles:
    title = _style("title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=2 * mm)
    subtitle = _style("subtitle", fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=5 * mm)
    h1 = _style(
        "h1", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
    )
    h2 = _style(
        "h2", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=3 * mm, spaceAfter=1.5 * mm
    )
    body = _style("body", spaceAfter=2 * mm)
    small = _style("small", fontSize=8, leading=10, textColor=MUTED)
    cell = _style("cell", fontSize=8.5, leading=10.5)
    cell_bold = _style("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5)
    cell_right = _style("cell_right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
    cell_right_bold = _style(
        "cell_right_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
    )
    label = _style("label", fontSize=8.5, leading=10.5, textColor=MUTED)
    note = _style("note", fontSize=8, leading=10, textColor=MUTED, alignment=TA_LEFT)
    warn = _style("warn", fontName=FONT_BOLD, textColor=WARN)


def escape(text: object) -> str:
    """Text for a Paragraph: its mini-markup characters escaped, line breaks kept."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle = Styles.body) -> Paragraph:
    return Paragraph(escape(text), style)


# reportlab lays a paragraph out again from its start each time it splits it across a
# page: one of n characters costs about n² (800,000 characters took 60 s). Pieces of at
# most this many characters keep the whole text linear in its length.
PIECE = 1_500


_SENTENCE_ENDS = (". ", "! ", "? ", ": ", "; ")


def pieces(block: str, size: int = PIECE) -> list[str]:
    """``block`` cut into pieces of at most ``size`` characters: after a line break or the
    end of a sentence where there is one in the piece's second half (the cut then reads
    like a line break), else at a space, else (a word that long) where it must."""
    result: list[str] = []
    while len(block) > size:
        window = block[:size]
        cut = max(window.rfind("\n"), *(window.rfind(end) + 1 for end in _SENTENCE_ENDS))
        if cut < size // 2:
            cut = window.rfind(" ")
        if cut < size // 2:
            cut = size
        result.append(block[:cut])
        block = block[cut:].lstrip(" \n")
    if block:
        result.append(block)
    return result


def long_text(text: str, style: ParagraphStyle = Styles.body) -> list[Flowable]:
    """A long text (a summary, a narrative) as one paragraph per block, so that it breaks
    across pages between paragraphs and inside them, never losing a line; a long block
    goes in pieces (``PIECE``), so that the time to lay it out grows with its length,
    not with its square."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    flowables: list[Flowable] = []
    for block in blocks:
        chunks = pieces(block)
        for index, chunk in enumerate(chunks):
            # The pieces of one block read as one paragraph: space only after the last.
            piece_style = style if index == len(chunks) - 1 else _joined(style)
            flowables.append(para(chunk, piece_style))
    return flowables or [para("–", style)]


def _joined(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-joined", parent=style, spaceAfter=0)


def money(value: Decimal | None) -> str:
    return "–" if value is None else format_eur(value)


def day(value: date | None) -> str:
    return format_date(value)


def heading(text: str) -> Paragraph:
    return para(text, Styles.h1)


def subheading(text: str) -> Paragraph:
    return para(text, Styles.h2)


def facts(rows: Iterable[tuple[str, object]], label_width: float = 48 * mm) -> Table:
    """A block of labelled values (Antragsteller: …, Zeitraum: …)."""
    data = [[para(label, Styles.label), para(value, Styles.cell)] for label, value in rows]
    # A value may be taller than a page (an address or a comment of many lines, within
    # its limit): the row then splits across pages instead of failing the layout.
    table = Table(
        data,
        colWidths=[label_width, CONTENT_WIDTH - label_width],
        hAlign="LEFT",
        splitInRow=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # a share of the content width; the shares of a table add up to 1
    numeric: bool = False


class PlainRows(Flowable):
    """A long list of rows (the funder report's 5,000 projects): the look of ``table``
    (shaded header repeated on every page, a rule under each row, figures right-aligned,
    a bold totals row) drawn straight onto the canvas. A cell's text may hold line
    breaks (``wrap_to``): a row is as high as its longest cell. Splitting at a page
    break walks only the rows of that page, where reportlab's ``Table`` lays the
    remaining rows out again at every page break."""

    FONT_SIZE = 8
    LEADING = FONT_SIZE * 1.2
    PAD_X, PAD_TOP, PAD_BOTTOM = 3, 2, 2.5

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        totals: Sequence[str] | None = None,
        heights: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        self.columns, self.rows, self.totals = columns, rows, totals
        self.widths = [CONTENT_WIDTH * column.width for column in columns]
        pads = self.PAD_TOP + self.PAD_BOTTOM
        self.line_height = self.LEADING + pads
        self.heights = (
            heights
            if heights is not None
            else [self.LEADING * max(cell.count("\n") + 1 for cell in row) + pads for row in rows]
        )
        self.header = [
            para(c.title, Styles.cell_right_bold if c.numeric else Styles.cell_bold)
            for c in columns
        ]
        header_heights = [
            cell.wrap(width - 2 * self.PAD_X, PAGE_HEIGHT)[1]
            for cell, width in zip(self.header, self.widths, strict=True)
        ]
        self.header_height = max(header_heights) + pads

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        totals = self.line_height if self.totals is not None else 0
        self.height = self.header_height + sum(self.heights) + totals
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self.header_height
        fits = 0
        for height in self.heights:
            if height > room:
                break
            room -= height
            fits += 1
        if fits >= len(self.rows):  # only the totals row is left over: keep it with a row
            fits = len(self.rows) - 1
        if fits < 1:
            return []
        return [
            PlainRows(self.columns, self.rows[:fits], heights=self.heights[:fits]),
            PlainRows(self.columns, self.rows[fits:], self.totals, heights=self.heights[fits:]),
        ]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.saveState()
        canvas.setFillColor(SHADE)
        canvas.rect(0, top - self.header_height, self.width, self.header_height, 0, 1)
        x = 0.0
        for cell, width in zip(self.header, self.widths, strict=True):
            _w, h = cell.wrap(width - 2 * self.PAD_X, PAGE_HEIGHT)
            cell.drawOn(canvas, x + self.PAD_X, top - self.PAD_TOP - h)
            x += width
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.6)
        y = top - self.header_height
        canvas.line(0, y, self.width, y)
        canvas.setFillColor(INK)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.25)
        for row, height in zip(self.rows, self.heights, strict=True):
            self._draw_row(row, y, FONT)
            y -= height
            canvas.line(0, y, self.width, y)
        if self.totals is not None:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            canvas.line(0, y, self.width, y)
            self._draw_row(self.totals, y, FONT_BOLD)
        canvas.restoreState()

    def _draw_row(self, row: Sequence[str], top: float, font: str) -> None:
        canvas = self.canv
        canvas.setFont(font, self.FONT_SIZE)
        first = top - self.PAD_TOP - self.FONT_SIZE
        x = 0.0
        for value, column, width in zip(row, self.columns, self.widths, strict=True):
            text = "" if value is None else str(value)
            for number, line in enumerate(text.split("\n")):
                baseline = first - number * self.LEADING
                if column.numeric:
                    canvas.drawRightString(x + width - self.PAD_X, baseline, line)
                else:
                    canvas.drawString(x + self.PAD_X, baseline, line)
            x += width


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    totals: Sequence[object] | None = None,
    plain: bool = False,
) -> Flowable:
    """A data table: a shaded header repeated on every page, right-aligned figures, a
    bold totals row. ``plain`` puts strings in the cells instead of paragraphs
    (``PlainRows``): lines broken by the caller, linear in the rows for thousands of
    them (the funder report's list)."""
    if plain:
        text = [["" if v is None else str(v) for v in row] for row in rows]
        total = None if totals is None else ["" if v is None else str(v) for v in totals]
        return PlainRows(columns, text, total)
    widths = [CONTENT_WIDTH * column.width for column in columns]

    def cell(value: object, column: Column, bold: bool = False) -> object:
        if column.numeric:
            return para(value, Styles.cell_right_bold if bold else Styles.cell_right)
        return para(value, Styles.cell_bold if bold else Styles.cell)

    header = [
        para(c.title, Styles.cell_right_bold if c.numeric else Styles.cell_bold) for c in columns
    ]
    data: list[list[object]] = [header]
    data += [[cell(v, c) for v, c in zip(row, columns, strict=True)] for row in rows]
    if totals is not None:
        data.append([cell(v, c, bold=True) for v, c in zip(totals, columns, strict=True)])
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if totals is not None:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
    # Rows of paragraphs may split across pages (as in ``facts``).
    result = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    result.setStyle(TableStyle(commands))
    return result


def signature_block(signers: Sequence[tuple[str, str]]) -> KeepTogether:
    """Lines to sign on (or the recorded signature: who and when), side by side."""
    cells = []
    for caption, signed in signers:
        cells.append(
            [
                para(signed or " ", Styles.cell),
                HRFlowable(width="90%", thickness=0.6, color=INK, spaceBefore=1, spaceAfter=2),
                para(caption, Styles.small),
            ]
        )
    width = CONTENT_WIDTH / max(len(cells), 1)
    block = Table([cells], colWidths=[width] * len(cells), hAlign="LEFT")
    block.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    )
    return KeepTogether([Spacer(1, 14 * mm), block])


@dataclass(frozen=True)
class Letter:
    """The first page as a DIN 5008 letter (form B): the sender line and the recipient's
    address in the window field (20 mm from the left, 45 mm from the top, 85 × 45 mm),
    the information block beside it (125 mm from the left, 50 mm from the top), the fold
    marks (105 and 210 mm) and the hole mark (148.5 mm); the text starts below."""

    sender_line: str  # "Stadt Koblenz · Koordinierungsstelle · Postfach 1, 56068 Koblenz"
    recipient: tuple[str, ...]  # name, representative, street, postcode and town
    info: tuple[tuple[str, str], ...]  # ("Aktenzeichen", "PFD-KO-2026-0001"), ("Datum", …)


# DIN 5008 form B, in mm from the page's top-left corner.
WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH = 20, 45, 85
SENDER_HEIGHT = 17.7  # the return-address zone above the address (5 lines)
INFO_LEFT, INFO_TOP, INFO_WIDTH = 125, 50, 75
LETTER_TEXT_TOP = 103.46  # where the text starts on the first page
FOLD_MARKS, HOLE_MARK = (105, 210), 148.5


@dataclass(frozen=True)
class Letterhead:
    """What every page shows: the program in the header, the document and its file
    number, and the footer; with ``letter``, the first page is a DIN 5008 letter."""

    program: str
    document: str
    reference: str = ""
    issued_on: date | None = None
    letter: Letter | None = None


def _cut(text: str, font: str, size: float, room: float) -> str:
    """``text`` shortened with "…" to fit ``room`` points."""
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def issue_stamp(day: date) -> TimeStamp:
    """reportlab's time stamp for midnight of ``day`` in Europe/Berlin, with its offset."""
    moment = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("Europe/Berlin"))
    stamp = TimeStamp(invariant=True)
    offset = int(moment.utcoffset().total_seconds()) // 60
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh, stamp.dmm = divmod(offset, 60)
    stamp.tzname = moment.tzname()
    return stamp


class _NumberedCanvas(pdf_canvas.Canvas):
    """Draws "Seite x von y" once the number of pages is known (the canvas keeps every
    page's state until ``save``)."""

    def __init__(self, *args, letterhead: Letterhead, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._letterhead = letterhead
        self._pages: list[dict] = []
        if letterhead.issued_on is not None:
            # The file's creation and modification dates are the day it was issued, not
            # reportlab's fixed 2000-01-01 of its invariant mode: still the same bytes
            # for the same data and day.
            self._doc._timeStamp = issue_stamp(letterhead.issued_on)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _letter(self, letter: Letter) -> None:
        """The window field, the information block and the marks of page 1."""

        def y(from_top_mm: float) -> float:
            return PAGE_HEIGHT - from_top_mm * mm

        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        for mark in FOLD_MARKS:
            self.line(3 * mm, y(mark), 8 * mm, y(mark))
        self.line(3 * mm, y(HOLE_MARK), 10 * mm, y(HOLE_MARK))
        left = WINDOW_LEFT * mm + 5 * mm  # the address sits 5 mm inside the window
        width = WINDOW_WIDTH * mm - 10 * mm
        self.setFillColor(MUTED)
        size = 6.5  # DIN 5008's sender line: one line, small; shrunk before it is cut
        room = WINDOW_WIDTH * mm - 6 * mm
        while size > 5.5 and stringWidth(letter.sender_line, FONT, size) > room:
            size -= 0.25
        self.setFont(FONT, size)
        sender = _cut(letter.sender_line, FONT, size, room)
        base = y(WINDOW_TOP + SENDER_HEIGHT - 3)
        self.drawString(left, base, sender)
        self.setLineWidth(0.3)
        self.line(left, base - 1, left + stringWidth(sender, FONT, size), base - 1)
        self.setFillColor(INK)
        self.setFont(FONT, 9.5)
        line_y = y(WINDOW_TOP + SENDER_HEIGHT + 4)
        for text in letter.recipient[:9]:
            self.drawString(left, line_y, _cut(text, FONT, 9.5, width))
            line_y -= 4.2 * mm
        info_y = y(INFO_TOP)
        label_width = 28 * mm
        for label, value in letter.info:
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawString(INFO_LEFT * mm, info_y, label)
            self.setFillColor(INK)
            self.setFont(FONT, 8.5)
            room = (INFO_WIDTH - 10) * mm - label_width
            self.drawString(INFO_LEFT * mm + label_width, info_y, _cut(value, FONT, 8.5, room))
            info_y -= 4.2 * mm

    def _decorate(self, total: int) -> None:
        head = self._letterhead
        if head.letter is not None and self._pageNumber == 1:
            self.saveState()
            self._letter(head.letter)
            self.restoreState()
        top = PAGE_HEIGHT - 14 * mm
        self.saveState()
        document_width = stringWidth(head.document, FONT, 8.5)
        self.setFillColor(ACCENT)
        self.setFont(FONT_BOLD, 9)
        room = CONTENT_WIDTH - document_width - 6 * mm
        self.drawString(MARGIN_LEFT, top, _cut(head.program, FONT_BOLD, 9, room))
        self.setFillColor(MUTED)
        self.setFont(FONT, 8.5)
        self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top, head.document)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.line(MARGIN_LEFT, top - 3 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 3 * mm)
        bottom = 12 * mm
        self.line(MARGIN_LEFT, bottom + 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, bottom + 4 * mm)
        self.setFont(FONT, 7.5)
        left = " · ".join(
            part
            for part in (
                head.reference,
                _("issued %(date)s") % {"date": format_date(head.issued_on)}
                if head.issued_on
                else "",
                "Zuwendo",
            )
            if part
        )
        self.drawString(MARGIN_LEFT, bottom, left)
        self.drawRightString(
            PAGE_WIDTH - MARGIN_RIGHT,
            bottom,
            _("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total},
        )
        self.restoreState()


class RenderTimeout(DomainError):
    """A document took longer than ``DOCUMENT_RENDER_SECONDS`` to lay out: given up,
    nothing kept (503; the limits of ``core.text`` make it the sign of a fault, not of
    a long text)."""

    status_code = 503
    code = "render_timeout"
    default_detail = gettext_lazy(
        "The document took too long to produce and was given up; the operators have been told."
    )


class _BoundedDocTemplate(BaseDocTemplate):
    """reportlab's document, giving up once its deadline has passed: checked before each
    flowable is laid out (each is small: ``long_text`` pieces, table rows), so a render
    never runs much past ``DOCUMENT_RENDER_SECONDS``."""

    def __init__(self, *args, deadline: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def handle_flowable(self, flowables) -> None:
        if time.monotonic() > self._deadline:
            raise RenderTimeout()
        super().handle_flowable(flowables)


def build(
    story: list[Flowable],
    letterhead: Letterhead,
    *,
    title: str = "",
    progress: Callable[[int, int], None] | None = None,
    seconds: float | None = None,
) -> bytes:
    """The PDF's bytes: A4, one frame, the letterhead on every page. ``progress(done,
    total)`` hears how far the layout got (a command's progress bar). A layout that takes
    longer than ``seconds`` (default ``DOCUMENT_RENDER_SECONDS``) raises
    ``RenderTimeout``."""
    register_fonts()
    buffer = io.BytesIO()
    limit = settings.DOCUMENT_RENDER_SECONDS if seconds is None else seconds
    document = _BoundedDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title or letterhead.document,
        author=letterhead.program,
        creator="Zuwendo",
        producer="Zuwendo (reportlab)",
        subject=letterhead.reference,
        # The language the document is written in (PDF/UA, screen readers), and its
        # title, not its file name, in the viewer's title bar.
        lang=translation.get_language() or "de",
        displayDocTitle=True,
        invariant=1,
        # Not reportlab's default Helvetica: every font in the file is embedded.
        initialFontName=FONT,
        deadline=time.monotonic() + limit,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    templates = [PageTemplate(id="page", frames=[frame])]
    if letterhead.letter is not None:
        first = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            PAGE_HEIGHT - LETTER_TEXT_TOP * mm - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="letter",
        )
        templates.insert(0, PageTemplate(id="letter", frames=[first]))
        story = [NextPageTemplate("page"), *story]
    document.addPageTemplates(templates)
    if progress is not None:
        total = {"size": 1}

        def report(kind: str, value: int) -> None:
            if kind == "SIZE_EST":
                total["size"] = max(value, 1)
            elif kind == "PROGRESS":
                progress(min(value, total["size"]), total["size"])

        document.setProgressCallBack(report)

    def canvasmaker(*args, **kwargs):
        return _NumberedCanvas(*args, letterhead=letterhead, **kwargs)

    document.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def rule() -> HRFlowable:
    return HRFlowable(
        width="100%", thickness=0.5, color=RULE, spaceBefore=2 * mm, spaceAfter=2 * mm
    )
