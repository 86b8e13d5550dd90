"""Each document (issue #11) read back with pypdf: the expected figures in German format,
sane page counts, embedded fonts, umlauts and ß intact, long content broken across
pages without a line lost, and renderers that run no queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.text import Limit
from projects import services as project_services
from projects.models import Meeting
from reports import selectors, services
from reports.pdf import application as application_pdf
from reports.pdf import funder_report as funder_pdf
from reports.pdf import minutes as minutes_pdf
from tests.factories import bring_to, make_application, seat_committee
from tests.reports.pdfs import fonts, page_count, text

D = Decimal


def _document(application, kind, language="de"):
    document = services.application_document(
        application=application, kind=kind, actor=None, language=language
    )
    return services.read(document)


def _assert_fonts_embedded(pdf):
    used = fonts(pdf)
    assert used, "no fonts found"
    assert all(used.values()), used
    assert all("DejaVuSansCondensed" in name for name in used), used


def test_application_shows_its_fields_and_cost_plan_in_german(world):
    lines = [
        project_services.BudgetLineInput(
            world.category, "Honorar für Übungsleiterin", D("1234.56")
        ),
        project_services.BudgetLineInput(world.category, "Fahrtkosten Straßenbahn", D("65.44")),
    ]
    application = make_application(
        world,
        title="Größenwahn & Übermut: Straßentheater",
        field_of_action="Demokratieförderung",
        target_group="Jugendliche",
        own_funds=D("300.00"),
        lines=lines,
    )
    application = bring_to(world, application, "submitted")
    pdf = _document(application, "application")
    content = text(pdf)
    assert application.reference in content
    assert "Größenwahn & Übermut: Straßentheater" in content
    assert "Honorar für Übungsleiterin" in content and "1.234,56 €" in content
    assert "Gesamtkosten 1.300,00 €" in content
    assert "1.000,00 €" in content  # the grant requested
    assert "Jugendzentrum A e.V." in content
    assert "Antrag" in content and "Kostenplan" in content
    assert "Seite 1 von 1" in content
    assert page_count(pdf) == 1
    _assert_fonts_embedded(pdf)


def test_the_same_application_in_english_on_request(world, application_in):
    application = application_in("submitted")
    content = text(_document(application, "application", language="en"))
    assert "Application for a grant" in content
    assert "€400.00" in content
    assert "Page 1 of 1" in content


def test_a_long_application_breaks_across_pages_and_loses_no_text(world):
    lines = [
        project_services.BudgetLineInput(
            world.category, f"Posten Nr. {n:03d} Müßiggang", D("10.00")
        )
        for n in range(300)
    ]
    words = [f"Absatzwort{n:04d}" for n in range(620)]
    summary = "\n\n".join(" ".join(words[i : i + 20]) + " Überschuß." for i in range(0, 620, 20))
    assert 9_000 <= len(summary) <= Limit.SUMMARY  # as long as the limit allows
    application = make_application(world, lines=lines, summary=summary)
    pdf = _document(application, "application")
    content = text(pdf)
    pages = page_count(pdf)
    assert 5 <= pages <= 40
    assert f"Seite {pages} von {pages}" in content
    for n in range(300):
        assert f"Posten Nr. {n:03d} Müßiggang" in content
    for word in words:
        assert word in content
    assert "Gesamtkosten 3.000,00 €" in content


def test_the_grant_agreement_names_amount_period_conditions_and_deadlines(world, application_in):
    application = application_in("funded", end_date=date(world.call.funding_year, 6, 30))
    content = text(_document(application, "agreement"))
    assert "Zuwendungsbescheid" in content
    assert application.reference in content
    assert "400,00 €" in content
    assert "Fehlbedarfsfinanzierung" in content
    assert "30.06." in content
    assert "ANBest-P" in content
    assert "Verwendungsnachweis" in content or "Nachweis" in content


def test_the_statement_shows_plan_against_actual(world, application_in, api):
    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    application = application_in(
        "funded", start_date=date(today.year, 1, 1), end_date=date(today.year, 12, 31)
    )
    payment = api(world.sponsor_a).post(
        f"/api/applications/{application.pk}/payments/",
        {"amount": "400.00", "needed_by": timezone.localdate().isoformat()},
        format="json",
    )
    for step in ("approve", "mark_paid"):
        assert (
            api(world.office)
            .post(f"/api/payments/{payment.json()['id']}/transitions/{step}/", {}, format="json")
            .status_code
            == 200
        )
    receipt = api(world.sponsor_a).post(
        f"/api/applications/{application.pk}/expenditures/",
        {
            "date": today.isoformat(),
            "payee": "Trainerin Jördis Weiß",
            "purpose": "Workshop",
            "category": "honorare",
            "amount": "350.00",
            "receipt_number": "R-7",
        },
        format="json",
    )
    assert receipt.status_code == 201, receipt.json()
    content = text(_document(application, "statement"))
    assert "Trainerin Jördis Weiß" in content
    assert "350,00 €" in content  # actual
    assert "400,00 €" in content  # planned and paid out
    assert "50,00 €" in content  # to be repaid
    assert "Belegliste" in content


def test_agreement_and_statement_only_from_their_states(world, application_in):
    from core.errors import NotFound

    submitted = application_in("submitted")
    with pytest.raises(NotFound):
        _document(submitted, "agreement")
    approved = application_in("approved")
    assert text(_document(approved, "agreement"))
    with pytest.raises(NotFound):
        _document(approved, "statement")


@pytest.fixture
def signed_meeting(world, api):
    members = seat_committee(world)
    application = bring_to(
        world, make_application(world, title="Podcast „Junge Stimmen“"), "committee_review"
    )
    created = api(world.office).post(
        "/api/meetings/",
        {
            "body": world.program.default_body().pk,
            "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "place": "Rathaus Koblenz, Großer Saal",
            "agenda": [application.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    meeting = Meeting.objects.get(pk=created.json()["id"])
    api(world.office).put(
        f"/api/meetings/{meeting.pk}/attendance/",
        {"present": [m.pk for m in members[:4]]},
        format="json",
    )
    for member, choice in zip(
        members[:4], ["approve", "approve", "approve", "reject"], strict=True
    ):
        response = api(world.office).post(
            f"/api/meetings/{meeting.pk}/votes/",
            {"application": application.pk, "member": member.pk, "choice": choice},
            format="json",
        )
        assert response.status_code in (200, 201), response.json()
    world.application = application
    world.meeting = meeting
    return world


def test_the_dossier_lists_the_agenda_with_the_recommendation(signed_meeting, api):
    world = signed_meeting
    recorded = api(world.office).put(
        f"/api/applications/{world.application.pk}/recommendation/",
        {"choice": "approve_with_conditions", "amount": "350.00", "text": "Gutes Konzept."},
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    document = services.meeting_document(meeting=world.meeting, kind="dossier", actor=None)
    content = text(services.read(document))
    assert "Sitzungsvorlage" in content
    assert "Podcast „Junge Stimmen“" in content
    assert "350,00 €" in content and "Gutes Konzept." in content
    assert "Rathaus Koblenz, Großer Saal" in content


def test_the_minutes_record_attendance_votes_and_signatures(signed_meeting, api):
    world = signed_meeting
    for signer in (world.office, world.chair):
        response = api(signer).post(
            f"/api/meetings/{world.meeting.pk}/sign/",
            {"signature": "keeper" if signer == world.office else "chair"},
            format="json",
        )
        assert response.status_code == 200, response.json()
    world.meeting.refresh_from_db()
    document = services.meeting_document(meeting=world.meeting, kind="minutes", actor=None)
    content = text(services.read(document))
    assert "Niederschrift" in content
    assert "3 dafür, 1 dagegen, 0 Enthaltungen" in content
    assert "Rathaus Koblenz, Großer Saal" in content
    assert "elektronisch unterzeichnet" in content
    assert document.frozen


def test_renderers_run_no_queries(signed_meeting, django_assert_num_queries):
    world = signed_meeting
    with translation.override("de"):
        app_sheet = selectors.application_sheet(
            selectors.application_for_document(world.application.pk)
        )
        minutes_sheet = selectors.minutes_sheet(world.meeting)
        today = timezone.localdate()
        report_sheet = selectors.funder_report_sheet(
            world.program, today.replace(month=1, day=1), today
        )
        with django_assert_num_queries(0):
            application_pdf.render(app_sheet)
            minutes_pdf.render(minutes_sheet)
            funder_pdf.render(report_sheet)
