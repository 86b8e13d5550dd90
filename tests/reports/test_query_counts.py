"""The document and report lists cost the same queries for few rows and for many
(STYLE.md, rule 8)."""

from datetime import date

from reports import services
from reports.models import Report
from tests.factories import query_count


def _report(world, day):
    return Report.objects.create(
        program=world.program, period_start=date(2026, 1, day), period_end=date(2026, 1, 28)
    )


def test_the_report_list_costs_the_same_for_two_and_twelve(world):
    for day in (1, 2):
        services.report_render(_report(world, day).pk)
    few = query_count(world.funder, "/api/reports/")
    for day in range(3, 13):
        services.report_render(_report(world, day).pk)
    assert query_count(world.funder, "/api/reports/") == few


def test_the_document_list_costs_the_same_for_one_and_six_versions(world, application_in):
    application = application_in("approved")
    url = f"/api/applications/{application.pk}/documents/"
    services.application_document(application=application, kind="agreement", actor=None)
    few = query_count(world.sponsor_a, url)
    for _ in range(5):
        services.application_document(
            application=application, kind="agreement", actor=world.office, regenerate=True
        )
    assert query_count(world.sponsor_a, url) == few
