"""The document and report lists cost the same queries for few rows and for many
(STYLE.md, rule 8)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import Report
from tests.factories import client_for


def _queries(user, url):
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    return len(captured)


def _report(world, day):
    return Report.objects.create(
        program=world.program, period_start=date(2026, 1, day), period_end=date(2026, 1, 28)
    )


def test_the_report_list_costs_the_same_for_two_and_twelve(world):
    for day in (1, 2):
        services.report_render(_report(world, day).pk)
    few = _queries(world.funder, "/api/reports/")
    for day in range(3, 13):
        services.report_render(_report(world, day).pk)
    assert _queries(world.funder, "/api/reports/") == few


def test_the_document_list_costs_the_same_for_one_and_six_versions(world, application_in):
    application = application_in("approved")
    url = f"/api/applications/{application.pk}/documents/"
    services.application_document(application=application, kind="agreement", actor=None)
    few = _queries(world.sponsor_a, url)
    for _ in range(5):
        services.application_document(
            application=application, kind="agreement", actor=world.office, regenerate=True
        )
    assert _queries(world.sponsor_a, url) == few
