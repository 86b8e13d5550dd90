"""The funder's pages (PORTAL.md): the programs they follow, a program's figures for a
chosen period as tables and an accessible chart (an SVG with the table of its values
beside it), the kept reports to download, and a report for another period on request
with its progress. The figures are ``projects.figures``, as the API's and the funder
report's; the report is ``reports.services.report_request``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from grants.selectors import programs_followed_by
from portal.forms import PeriodForm, form_errors
from portal.views import portal_page
from projects.figures import program_figures
from reports import selectors as report_selectors
from reports import services as report_services
from reports.tasks import request_report

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 640, 180, 4


def _program(request: HttpRequest, pk: int):
    program = programs_followed_by(request.user).filter(pk=pk).first()
    if program is None or not request.user.has_perm("reports.view_report", program):
        raise Http404
    return program


def chart(points) -> dict:
    """Bars of the payouts per week or month, as coordinates for the SVG (its values
    stand in the table beside it)."""
    top = max((point.paid_out for point in points), default=0) or 1
    width = (CHART_WIDTH - BAR_GAP * max(len(points) - 1, 0)) / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        height = float(point.paid_out / top) * (CHART_HEIGHT - 20)
        bars.append(
            {
                "x": round(index * (width + BAR_GAP), 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(width, 1),
                "height": round(height, 1),
                "point": point,
            }
        )
    return {"bars": bars, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@portal_page
@require_http_methods(["GET", "POST"])
def program_page(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    default_start, default_end = report_services.last_complete_period(
        "quarterly", timezone.localdate()
    )
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = PeriodForm(data, initial={"period_start": default_start, "period_end": default_end})
    start, end = default_start, default_end
    status = 200
    if data is not None:
        if form.is_valid():
            start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
        else:
            status = 400
    if request.method == "POST" and form.is_valid():
        try:
            request_report(
                program=program,
                period_start=start,
                period_end=end,
                actor=request.user,
                language=get_language(),
            )
        except DomainError as error:
            form_errors(form, error)
            status = error.status_code
        else:
            messages.success(request, _("The report is requested; it appears below when ready."))
            query = urlencode(
                {
                    "period_start": start.strftime("%d.%m.%Y"),
                    "period_end": end.strftime("%d.%m.%Y"),
                }
            )
            return redirect(f"{request.path}?{query}")
    figures = program_figures(program, start, end)
    reports = list(
        report_selectors.reports_visible_to(request.user)
        .filter(program=program)
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "portal/program.html",
        {
            "program": program,
            "form": form,
            "figures": figures,
            "chart": chart(figures.payout_series),
            "reports": reports,
            "working": any(report.status in ("pending", "running") for report in reports),
            "may_request": request.user.has_perm("reports.request_report", program),
        },
        status=status,
    )
