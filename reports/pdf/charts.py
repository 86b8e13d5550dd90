"""Charts drawn with reportlab's graphics, in the documents' font and colours, axes in the
reader's number format."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from core.formats import format_number
from reports.pdf.style import ACCENT, CONTENT_WIDTH, FONT, INK, MUTED

GRID = colors.HexColor("#dde3ea")
PALETTE = (ACCENT, colors.HexColor("#6b9bc8"), colors.HexColor("#c98b2b"), MUTED)


def _drawing(height: float) -> Drawing:
    drawing = Drawing(CONTENT_WIDTH, height)
    drawing.initialFontName = FONT  # not Helvetica: every font in the file is embedded
    return drawing


def _axis_amount(value: float) -> str:
    return f"{format_number(Decimal(str(value)))} €"


def _amount_axis(axis) -> None:
    """Amounts from zero, in the reader's format, with a light grid."""
    axis.valueMin = 0
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7
    axis.labelTextFormat = _axis_amount
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRID


def _shorten(text: str, length: int = 28) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _legend(drawing: Drawing, names: Sequence[str], x: float, y: float) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = FONT
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.dxTextSpace = 4
    legend.colorNamePairs = list(zip(PALETTE, names, strict=False))
    drawing.add(legend)


def _empty(drawing: Drawing, text: str) -> Drawing:
    drawing.add(String(10, drawing.height / 2, text, fontName=FONT, fontSize=8, fillColor=MUTED))
    return drawing


def horizontal_bars(
    categories: Sequence[str],
    series: Sequence[Sequence[Decimal]],
    names: Sequence[str],
    *,
    empty_text: str,
) -> Drawing:
    """One group of bars per category (a call, a state), one bar per series."""
    rows = max(len(categories), 1)
    height = 40 + rows * (10 + 8 * len(series))
    drawing = _drawing(height)
    if not categories:
        return _empty(drawing, empty_text)
    chart = HorizontalBarChart()
    chart.x, chart.y = 130, 28
    chart.width, chart.height = CONTENT_WIDTH - 150, height - 40
    chart.data = [[float(value) for value in values] for values in series]
    chart.categoryAxis.categoryNames = [_shorten(name) for name in categories]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.reverseDirection = 1
    _amount_axis(chart.valueAxis)
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index, color in enumerate(PALETTE[: len(series)]):
        chart.bars[index].fillColor = color
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    _legend(drawing, names, 130, 8)
    return drawing


def vertical_bars(
    labels: Sequence[str], values: Sequence[Decimal], name: str, *, empty_text: str
) -> Drawing:
    """A time series as columns (payouts per week or month)."""
    if not labels or not any(values):  # nothing to draw: a line of text, no axis of zeros
        return _empty(_drawing(24), empty_text)
    drawing = _drawing(150)
    chart = VerticalBarChart()
    chart.x, chart.y = 55, 30
    chart.width, chart.height = CONTENT_WIDTH - 70, 105
    chart.data = [[float(value) for value in values]]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 45 if len(labels) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    _amount_axis(chart.valueAxis)
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    drawing.add(String(55, 140, name, fontName=FONT, fontSize=7, fillColor=MUTED))
    return drawing
