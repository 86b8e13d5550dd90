"""The funder report (issue #11): its figures are the selector's, computed here by hand
over known data; the report is rendered asynchronously, served only to the office and
the program's funders, fails visibly, and goes to the funder contacts once a period."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import jsonschema
import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from projects.figures import program_figures
from reports import services, tasks
from reports.models import Report
from reports.services import last_complete_period
from tests.factories import ProgramFactory, grant_role
from tests.reports.pdfs import text
from workflows import services as flow
from workflows.models import Delivery

D = Decimal
FIELD = "Demokratieförderung"


@pytest.fixture
def year(world, application_in, api):
    """This year's round: three approved (400 € each; one paid 250 €), one rejected,
    one withdrawn after submission, one still submitted."""
    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    window = {"start_date": date(today.year, 1, 1), "end_date": date(today.year, 12, 31)}
    world.funded = [
        application_in(
            "funded", title=f"Projekt {n}", field_of_action="Demokratieförderung", **window
        )
        for n in range(2)
    ]
    world.approved = application_in(
        "approved", title="Projekt Jugend", target_group="Jugendliche", **window
    )
    world.rejected = application_in("rejected", **window)
    submitted = application_in("submitted", **window)
    world.withdrawn = flow.application_transition(
        application=submitted, actor=world.sponsor_a, name="withdraw", payload={}
    )
    world.pending = application_in("submitted", **window)
    payment = api(world.sponsor_a).post(
        f"/api/applications/{world.funded[0].pk}/payments/",
        {"amount": "250.00", "needed_by": timezone.localdate().isoformat()},
        format="json",
    )
    for step in ("approve", "mark_paid"):
        response = api(world.office).post(
            f"/api/payments/{payment.json()['id']}/transitions/{step}/", {}, format="json"
        )
        assert response.status_code == 200, response.json()
    world.period = (date(today.year, 1, 1), today)
    return world


def test_the_figures_match_the_data(year):
    figures = program_figures(year.program, *year.period)
    key = figures.key
    assert (key.received, key.approved, key.rejected, key.withdrawn) == (6, 3, 1, 1)
    assert key.requested_amount == D("2400.00")
    assert key.approved_amount == D("1200.00")
    assert key.paid_out == D("250.00")
    assert [(c.approved_amount, c.paid_out, c.applications) for c in figures.calls] == [
        (D("1200.00"), D("250.00"), 3)
    ]
    assert {p.reference for p in figures.funded} == {
        a.reference for a in [*year.funded, year.approved]
    }
    by_field = {b.label: (b.projects, b.approved_amount) for b in figures.by_field_of_action}
    assert by_field == {"Demokratieförderung": (2, D("800.00")), "": (1, D("400.00"))}
    assert sum(p.paid_out for p in figures.payout_series) == D("250.00")


def test_the_report_prints_the_selectors_figures(year, api):
    figures = api(year.office).get(
        f"/api/programs/{year.program.pk}/figures/",
        {"period_start": year.period[0].isoformat(), "period_end": year.period[1].isoformat()},
    )
    assert figures.status_code == 200, figures.json()
    data = figures.json()
    report = Report.objects.create(
        program=year.program, period_start=year.period[0], period_end=year.period[1]
    )
    report = services.report_render(report.pk)
    assert report.status == Report.Status.DONE, report.failure
    content = text(services.read(report.document))
    for field in ("requested_amount", "approved_amount", "paid_out"):
        german = f"{D(data[field]):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        assert f"{german} €" in content, field
    assert f"Eingegangene Anträge {data['received']} 2.400,00 €" in content
    assert f"Bewilligt {data['approved']} 1.200,00 €" in content
    for project in data["funded"]:
        assert project["reference"] in content
    assert "Demokratieförderung" in content
    assert "Bericht an den Zuwendungsgeber" in content


def test_the_figures_answer_as_their_schema_describes_them(year, api):
    """The OpenAPI schema names every key of the figures and their types (it was once a
    bare object), and the answer has exactly those keys, each of the declared type."""
    schema = api(year.office).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/programs/{id}/figures/"]["get"]
    described = operation["responses"]["200"]["content"]["application/json"]["schema"]
    data = (
        api(year.office)
        .get(
            f"/api/programs/{year.program.pk}/figures/",
            {"period_start": year.period[0].isoformat(), "period_end": year.period[1].isoformat()},
        )
        .json()
    )
    jsonschema.validate(data, {**described, "components": schema["components"]})

    def properties(reference):
        # A described field refers to its component through allOf.
        reference = reference.get("allOf", [reference])[0]
        return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]

    figures = properties(described)
    assert set(data) == set(figures["properties"]) == set(figures["required"])
    assert figures["properties"]["approved_amount"]["format"] == "decimal"
    assert data["requested_amount"] == "2400.00" and data["received"] == 6
    for key in ("calls", "by_state", "funded"):
        assert data[key], key
        row = properties(figures["properties"][key]["items"])
        assert set(data[key][0]) == set(row["properties"]), key
    series = properties(figures["properties"]["payouts"])
    assert set(data["payouts"]) == set(series["properties"]) == {"unit", "points"}


def test_a_report_is_asked_for_rendered_and_downloaded(
    year, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(year.funder).post(
            "/api/reports/",
            {
                "kind": "funder_period",
                "program": year.program.pk,
                "period_start": year.period[0].isoformat(),
                "period_end": year.period[1].isoformat(),
            },
            format="json",
        )
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "pending"
    report_id = response.json()["id"]
    shown = api(year.funder).get(f"/api/reports/{report_id}/").json()
    assert shown["status"] == "done"
    download = api(year.funder).get(f"/api/reports/{report_id}/file/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert api(year.office).get(f"/api/reports/{report_id}/file/").status_code == 200


def test_reports_are_for_the_office_and_the_programs_funders_only(year, api):
    report = services.report_render(
        Report.objects.create(
            program=year.program, period_start=year.period[0], period_end=year.period[1]
        ).pk
    )
    other_funder = grant_role(ProgramFactory(), "funder")
    for outsider in (other_funder, year.sponsor_a, year.committee, year.other_office):
        for path in (f"/api/reports/{report.pk}/", f"/api/reports/{report.pk}/file/"):
            assert api(outsider).get(path).status_code == 404, (outsider, path)
        assert api(outsider).get("/api/reports/").json()["count"] == 0
    asked = api(year.sponsor_a).post(
        "/api/reports/",
        {
            "kind": "funder_period",
            "program": year.program.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
        },
        format="json",
    )
    assert asked.status_code == 403
    figures = api(other_funder).get(
        f"/api/programs/{year.program.pk}/figures/",
        {"period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    assert figures.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"period_start": "2026-04-01", "period_end": "2026-03-31"},
        {"period_start": "2026-01-01"},
        {"period_start": "2026-01-01", "period_end": "kein Datum"},
        {"period_start": "2016-01-01", "period_end": "2026-03-31"},
        {"period_start": "2026-01-01", "period_end": "2026-03-31", "format": "xlsx"},
    ],
)
def test_bad_report_requests_are_refused_and_nothing_saved(year, api, body):
    response = api(year.office).post(
        "/api/reports/",
        {"kind": "funder_period", "program": year.program.pk, **body},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert not Report.objects.exists()


def test_a_failed_render_is_marked_with_its_reason_and_sends_nothing(year, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    year.program.funder_contacts = ["bafza@example.org"]
    year.program.save()
    report = Report.objects.create(
        program=year.program, period_start=year.period[0], period_end=year.period[1]
    )

    def broken(sheet):
        raise ValueError("kaputte Eingabe")

    failed = services.report_render(report.pk, render=broken)
    assert failed.status == Report.Status.FAILED
    assert "kaputte Eingabe" in failed.failure
    assert failed.document is None
    from reports.mail import send_funder_report

    assert send_funder_report(failed) == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("frequency", "today", "period"),
    [
        ("monthly", date(2026, 11, 1), (date(2026, 10, 1), date(2026, 10, 31))),
        ("monthly", date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        ("quarterly", date(2026, 10, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        ("quarterly", date(2026, 2, 20), (date(2025, 10, 1), date(2025, 12, 31))),
        ("yearly", date(2026, 1, 1), (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_the_period_just_ended(frequency, today, period):
    assert last_complete_period(frequency, today) == period


def test_the_schedule_sends_each_period_once(year, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    year.program.report_frequency = "monthly"
    year.program.funder_contacts = ["bafza@example.org", "Referat@Example.org"]
    year.program.save()
    first_of_next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    morning = timezone.make_aware(datetime.combine(first_of_next_month, time(7)))
    with time_machine.travel(morning, tick=False):
        assert tasks.send_scheduled_reports() == 2
        assert tasks.send_scheduled_reports() == 0
        # Generated again for the same period (say, by hand): still sent once.
        report = Report.objects.get(scheduled=True, program=year.program)
        services.report_render(report.pk)
        assert tasks.send_scheduled_reports() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["bafza@example.org", "referat@example.org"]
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name.startswith("PFD-KO-")
    assert "Bericht an den Zuwendungsgeber" in text(content)
    assert Delivery.objects.filter(occasion="funder-report", state="sent").count() == 2
    assert Report.objects.filter(scheduled=True, program=year.program).count() == 1


def test_the_report_reads_a_fixed_number_of_queries(world, application_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import selectors

    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    window = {"start_date": date(today.year, 1, 1), "end_date": date(today.year, 12, 31)}
    counts = []
    for more in (2, 10):
        for n in range(more):
            application_in(
                "funded", title=f"Projekt {more}-{n}", field_of_action=f"Feld {n}", **window
            )
        with CaptureQueriesContext(connection) as queries:
            sheet = selectors.funder_report_sheet(world.program, date(today.year, 1, 1), today)
        counts.append(len(queries))
    assert len(sheet.figures.funded) == 12
    assert counts[0] == counts[1], counts


def test_the_report_keeps_names_whole_and_its_counts_agree(year):
    """#24 polish: a long organisation name wraps instead of being cut; a period named by
    its days shows them once; the key figures up to the period's end agree with the
    funded projects' list; a period without payouts says so instead of drawing an axis
    of zeros; the list starts on the page of its heading."""
    from projects.models import Application, PayoutRequest
    from tests.reports.pdfs import reader

    organization = year.funded[0].organization
    organization.name = (
        "Verein zur Förderung der demokratischen Kultur im Stadtteil Koblenz-Lützel "
        "und in der Umgebung e.V."
    )
    organization.save()
    today = timezone.localdate()
    decided = timezone.now() - timedelta(days=60)
    Application.objects.filter(program=year.program).update(
        submitted_at=decided, decided_at=decided
    )
    PayoutRequest.objects.update(paid_on=today - timedelta(days=59))
    start = today - timedelta(days=30)
    report = Report.objects.create(program=year.program, period_start=start, period_end=today)
    report = services.report_render(report.pk)
    assert report.status == Report.Status.DONE, report.failure
    pdf = services.read(report.document)
    content = text(pdf)
    assert organization.name in content and "…" not in content
    days = f"{start:%d.%m.%Y} – {today:%d.%m.%Y}"
    assert days in content and f"{days} ({days})" not in content
    # Nothing approved in the period, three approved up to its end: the list's three.
    assert "Bewilligt 0 0,00 € 3 1.200,00 €" in content
    assert "(3 Projekte)" in content
    assert "Keine Auszahlungen in diesem Zeitraum." in content
    pages = [page.extract_text() for page in reader(pdf).pages]
    (page,) = [p for p in pages if "\nGeförderte Projekte\n" in p]
    assert year.funded[0].reference in page
