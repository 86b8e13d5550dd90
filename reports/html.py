"""A document as an accessible HTML fragment, made from the very flowables its PDF is
laid out from (``compose`` of each renderer in ``reports.pdf``): the same sheet, the same
words and figures (BGG § 10: a decision readable without the PDF).

Headings become ``h1``–``h3`` by their style, data tables ``table`` with a header row of
``th scope="col"``, the labelled blocks (``facts``) tables whose labels are ``th
scope="row"``, figures right-aligned by class; spacing, rules and page breaks drop out.
The text comes escaped (``reports.pdf.style.escape``), its one mark-up a line break."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reportlab.platypus import Flowable, Paragraph, Table

from reports.pdf.style import Letterhead, PlainRows
from reports.pdf.style import day as format_day

HEADINGS = {"title": "h1", "h1": "h2", "h2": "h3"}
_TAG = re.compile(r"<(?!br/?>)[^>]*>")
_HEADER_STYLES = {"cell_bold", "cell_right_bold"}
NUMBER = ' class="doc-number"'


def _text(paragraph: Paragraph) -> str:
    """The paragraph's escaped text with its line breaks; any other mark-up dropped."""
    return _TAG.sub("", paragraph.text).replace("<br/>", "<br>")


def _style(paragraph: Paragraph) -> str:
    return paragraph.style.name.removesuffix("-joined")


def _cell(value: object) -> tuple[str, bool]:
    """A cell's HTML and whether it holds a figure (right-aligned)."""
    if isinstance(value, Paragraph):
        return _text(value), "right" in _style(value)
    if isinstance(value, Flowable):
        return "".join(_flowables([value])), False
    if isinstance(value, list | tuple):
        return "".join(_flowables(value)), False
    return escape("" if value is None else str(value)), False


def _row(cells: Iterable[object], tag: str, scope: str = "") -> str:
    parts = []
    for value in cells:
        html, numeric = _cell(value)
        attributes = (f' scope="{scope}"' if scope else "") + (NUMBER if numeric else "")
        parts.append(f"<{tag}{attributes}>{html}</{tag}>")
    return "<tr>" + "".join(parts) + "</tr>"


def _table(table: Table) -> str:
    rows = table._cellvalues
    if not rows:
        return ""
    first = rows[0]
    labelled = all(
        isinstance(row[0], Paragraph) and _style(row[0]) == "label" for row in rows if row
    )
    if labelled and len(first) == 2:
        body = "".join(
            f'<tr><th scope="row">{_cell(label)[0]}</th><td>{_cell(value)[0]}</td></tr>'
            for label, value in rows
        )
        return f'<table class="doc-facts">{body}</table>'
    header = table.repeatRows and all(
        isinstance(cell, Paragraph) and _style(cell) in _HEADER_STYLES for cell in first
    )
    if not header:
        cells = "".join(f"<div>{_cell(value)[0]}</div>" for row in rows for value in row)
        return f'<div class="doc-block">{cells}</div>'
    head = _row(first, "th", "col")
    body = "".join(_row(row, "td") for row in rows[1:])
    return f'<table class="doc-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _scrolling(table: str, label: str) -> str:
    """A wide table scrolls on a phone inside a region a keyboard reaches (WCAG 2.1.1)."""
    return f'<div class="doc-scroll" tabindex="0" role="region" aria-label="{label}">{table}</div>'


def _plain(rows: PlainRows) -> str:
    head = "".join(
        f'<th scope="col"{NUMBER if c.numeric else ""}>{escape(c.title)}</th>' for c in rows.columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=doc-number' if c.numeric else ''}>{escape(v.replace(chr(10), ' '))}</td>"
            for v, c in zip(row, rows.columns, strict=True)
        )
        + "</tr>"
        for row in [*rows.rows, *([rows.totals] if rows.totals else [])]
    )
    return f'<table class="doc-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _flowables(story: Iterable[Flowable], label: str = "", shift: int = 0) -> list[str]:
    html: list[str] = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            style = _style(flowable)
            tag = HEADINGS.get(style, "p")
            if tag != "p" and shift:
                tag = f"h{min(int(tag[1]) + shift, 6)}"
            if tag != "p":
                label = _TAG.sub("", flowable.text).replace("<br/>", " ")
            css = f' class="doc-{style}"' if tag == "p" and style != "body" else ""
            html.append(f"<{tag}{css}>{_text(flowable)}</{tag}>")
        elif isinstance(flowable, PlainRows):
            html.append(_scrolling(_plain(flowable), label))
        elif isinstance(flowable, Table):
            table = _table(flowable)
            html.append(_scrolling(table, label) if "doc-table" in table[:30] else table)
        elif hasattr(flowable, "_content"):  # KeepTogether and its kin
            html.extend(_flowables(flowable._content, label, shift))
        # Spacers, rules, page breaks and charts (their figures stand in the tables
        # beside them) have no text.
    return html


def document_html(story: list[Flowable], letterhead: Letterhead, shift: int = 0) -> SafeString:
    """The document's body as HTML (the page around it is the portal's); ``shift``
    moves its headings down (a document inside a page with headings of its own)."""
    facts = [("Zuwendo", letterhead.program)]
    if letterhead.reference:
        facts.append(("", letterhead.reference))
    if letterhead.issued_on:
        facts.append(("", format_day(letterhead.issued_on)))
    head = " · ".join(escape(value) for _label, value in facts if value)
    letter = ""
    if letterhead.letter is not None:
        address = "<br>".join(escape(line) for line in letterhead.letter.recipient if line)
        info = "".join(
            f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>'
            for k, v in letterhead.letter.info
        )
        letter = (
            f'<p class="doc-sender">{escape(letterhead.letter.sender_line)}</p>'
            f'<address class="doc-recipient">{address}</address>'
            f'<table class="doc-facts">{info}</table>'
        )
    body = "".join(_flowables(story, shift=shift))
    return mark_safe(  # noqa: S308 (every text went through escape() above or in the sheet)
        f'<p class="doc-head">{head}</p>{letter}{body}'
    )
