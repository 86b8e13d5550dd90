"""The funder's pages (issue #24, first part): the programs they follow on the start
page, a program's figures for a chosen period with an accessible chart, the kept
reports, a report for another period on request; nobody else reads them."""

import re
from datetime import date

from django.test import Client

from reports.models import Report
from tests.factories import bring_to, make_application


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_funder_reads_the_figures_and_requests_a_report(
    world, django_capture_on_commit_callbacks
):
    bring_to(world, make_application(world, title="Sommerfest"), "approved")
    funder = _client(world.funder)
    start = funder.get("/").content.decode()
    assert f"/programs/{world.program.pk}/" in start
    today = date.today()
    period = {"period_start": f"01.01.{today.year}", "period_end": today.strftime("%d.%m.%Y")}
    page = funder.get(f"/programs/{world.program.pk}/", period)
    assert page.status_code == 200
    html = page.content.decode()
    assert world.call.title in html
    assert "<svg" not in html or 'role="img"' in html
    # The chart's numbers are SVG's, not German: no decimal comma in a coordinate.
    assert not re.search(r'<rect [^>]*="[0-9]+,[0-9]', html)
    with django_capture_on_commit_callbacks(execute=True):
        requested = funder.post(f"/programs/{world.program.pk}/", period)
    assert requested.status_code == 302
    report = Report.objects.get(program=world.program)
    assert (report.period_start, report.period_end) == (date(today.year, 1, 1), today)
    report.refresh_from_db()
    assert report.status == "done"
    listed = funder.get(requested["Location"]).content.decode()
    assert f"/api/reports/{report.pk}/file/" in listed


def test_a_bad_period_is_named_and_requests_nothing(world):
    funder = _client(world.funder)
    for period in (
        {"period_start": "31.02.2026", "period_end": "01.03.2026"},
        {"period_start": "01.03.2026", "period_end": "01.01.2026"},
        {"period_start": "x" * 500, "period_end": ""},
    ):
        response = funder.post(f"/programs/{world.program.pk}/", period)
        assert response.status_code == 400
        assert "_error" in response.content.decode()
    assert not Report.objects.exists()


def test_nobody_else_reads_a_programs_figures(world):
    url = f"/programs/{world.program.pk}/"
    for user in (world.sponsor_a, world.committee):
        assert _client(user).get(url).status_code == 404
        assert (
            _client(user)
            .post(url, {"period_start": "01.01.2026", "period_end": "31.01.2026"})
            .status_code
            == 404
        )
    assert not Report.objects.exists()
    assert _client(world.office).get(url).status_code == 200
    assert _client(world.funder).get("/programs/999999/").status_code == 404
