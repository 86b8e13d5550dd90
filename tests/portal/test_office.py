"""The office's work queues (issue #24, first part): counts per queue in a constant
number of queries, each queue's files, payouts approved and paid from their queue;
nobody but the office sees them."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import PayoutRequest
from tests.factories import bring_to, make_application
from workflows import money


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _payout(world) -> PayoutRequest:
    """A funded project's payout of 100 €, requested by its sponsor."""
    application = bring_to(world, make_application(world), "funded")
    return money.payout_request(
        application=application,
        actor=world.sponsor_a,
        amount=Decimal("100.00"),
        needed_by=timezone.localdate() + timedelta(days=5),
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_dashboard_counts_each_queue_in_constant_queries(world):
    office = _client(world.office)
    bring_to(world, make_application(world, title="Eins"), "submitted")
    few = _queries(office, "/office/")
    for number in range(6):
        bring_to(world, make_application(world, title=f"Antrag {number}"), "submitted")
    bring_to(world, make_application(world, title="Gefördert"), "funded")
    assert _queries(office, "/office/") == few
    page = office.get("/office/").content.decode()
    assert '<strong class="portal-queues__count">7</strong>' in page
    listed = office.get("/office/queues/submitted/").content.decode()
    assert "Antrag 5" in listed and "Gefördert" not in listed


def test_payouts_are_approved_and_paid_from_their_queues(world):
    payout = _payout(world)
    office = _client(world.office)
    assert "100,00" in office.get("/office/queues/payouts_requested/").content.decode()
    assert (
        office.post("/office/queues/payouts_requested/", {"payout": payout.pk}).status_code == 302
    )
    payout.refresh_from_db()
    assert payout.state == "approved"
    assert office.post("/office/queues/payouts_approved/", {"payout": payout.pk}).status_code == 302
    payout.refresh_from_db()
    assert payout.state == "paid" and payout.paid_on == timezone.localdate()


@pytest.mark.parametrize("chosen", ["", "abc", "٣", "99999999999999999999", "1 OR 1=1"])
def test_a_bad_payout_id_is_a_404_and_changes_nothing(world, chosen):
    response = _client(world.office).post("/office/queues/payouts_requested/", {"payout": chosen})
    assert response.status_code == 404
    assert not PayoutRequest.objects.exclude(state="requested").exists()


def test_nobody_but_the_office_sees_the_queues(world):
    payout = _payout(world)
    for user in (world.sponsor_a, world.committee, world.funder):
        client = _client(user)
        assert client.get("/office/").status_code == 404
        assert client.get("/office/queues/submitted/").status_code == 404
        assert (
            client.post("/office/queues/payouts_requested/", {"payout": payout.pk}).status_code
            == 404
        )
    # Another program's office sees none of this program's files.
    other = _client(world.other_office)
    assert "100,00" not in other.get("/office/queues/payouts_requested/").content.decode()
    assert other.post("/office/queues/payouts_requested/", {"payout": payout.pk}).status_code == 404
    payout.refresh_from_db()
    assert payout.state == "requested"
    assert _client(world.office).get("/office/queues/nonsense/").status_code == 404


def test_the_application_list_exports_as_xlsx_and_csv_like_the_api(world, api):
    bring_to(world, make_application(world, title='=HYPERLINK("http://x")'), "submitted")
    bring_to(world, make_application(world, title="Sommerfest"), "funded")
    _payout(world)
    office = _client(world.office)
    response = office.get("/office/exports/applications.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    listed = api(world.office).get("/api/applications/", {"page_size": 100}).json()["results"]
    assert sorted(row[0] for row in rows[1:]) == sorted(a["reference"] for a in listed)
    by_reference = {a["reference"]: a for a in listed}
    for row in rows[1:]:
        assert Decimal(str(row[9])).quantize(Decimal("0.01")) == Decimal(
            by_reference[row[0]]["requested_amount"]
        )
    assert any(str(row[1]).startswith("'=HYPERLINK") for row in rows[1:])
    money_cell = sheet.cell(row=2, column=10)
    assert isinstance(money_cell.value, int | float) and "€" in money_cell.number_format
    assert isinstance(sheet.cell(row=2, column=6).value, datetime)  # a date cell
    text = office.get("/office/exports/applications.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ';"=HYPERLINK' not in text and ";=HYPERLINK" not in text
    payouts = load_workbook(io.BytesIO(office.get("/office/exports/payouts.xlsx").content)).active
    assert [row[4] for row in payouts.iter_rows(min_row=2, values_only=True)] == [100]
    assert office.get("/office/exports/receipts.csv").status_code == 200
    assert office.get("/office/exports/secrets.csv").status_code == 404
    assert office.get("/office/exports/applications.exe").status_code == 404
    assert _client(world.sponsor_a).get("/office/exports/applications.xlsx").status_code == 404


def _bulk(world, count: int, start: int) -> None:
    """``count`` application rows spread over the office's queues (bulk rows shaped like
    files in those states, as bench/portal.py makes them: no state change)."""
    from projects.models import Application

    states = [
        "submitted",
        "committee_review",
        "approved",
        "proof_submitted",
        "revision_requested",
        "repayment_due",
    ]
    year = world.call.funding_year
    Application.objects.bulk_create(
        Application(
            reference=f"BULK-{year}-{n:06d}",
            call=world.call,
            program=world.program,
            organization=world.org_a,
            created_by=world.sponsor_a,
            title=f"Projekt {n}",
            summary="Workshops.",
            start_date=datetime(year, 3, 1).date(),
            end_date=datetime(year, 9, 30).date(),
            total_costs=Decimal("1500.00"),
            requested_amount=Decimal("1400.00"),
            state=states[n % len(states)],
            submitted_at=timezone.now(),
        )
        for n in range(start, start + count)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/office/",
        "/office/queues/submitted/",
        "/office/queues/committee_review/",
        "/office/queues/proof_submitted/",
        "/office/queues/receipts_requested/",
        "/office/queues/payouts_requested/",
        "/office/queues/repayment_due/",
        "/office/queues/approved/",
    ],
)
def test_the_dashboard_and_queues_read_as_many_queries_for_10000_files_as_for_100(world, url):
    _payout(world)
    office = _client(world.office)
    _bulk(world, 100, 0)
    few = _queries(office, url)
    _bulk(world, 9900, 100)
    assert _queries(office, url) == few
    assert few <= 15, few


def test_the_offices_application_page_shows_the_whole_file(world):
    """PORTAL.md: votes and tally, payouts, receipts and statement on one screen, for the
    office; the sponsor's page shows none of the office's sections."""
    payout = _payout(world)
    url = f"/applications/{payout.application_id}/"
    page = _client(world.office).get(url).content.decode()
    assert 'id="office-payouts-heading"' in page and 'id="office-money-heading"' in page
    assert "100,00 €" in page
    sponsor = _client(world.sponsor_a).get(url).content.decode()
    assert 'id="office-money-heading"' not in sponsor
    assert 'id="office-payouts-heading"' not in sponsor


def test_a_queue_beyond_the_cap_says_more_than(world, settings):
    from projects import selectors

    _bulk(world, 36, 0)  # 6 of each of six queues
    original = selectors.QUEUE_COUNT_CAP
    selectors.QUEUE_COUNT_CAP = 5
    try:
        page = _client(world.office).get("/office/").content.decode()
    finally:
        selectors.QUEUE_COUNT_CAP = original
    assert "mehr als 5" in page
    exact = _client(world.office).get("/office/").content.decode()
    assert '<strong class="portal-queues__count">6</strong>' in exact


def test_the_review_queue_says_where_each_body_stands(review):
    """The office sees in the queue which decisions are ready to be recorded."""
    from django.utils.html import escape

    from projects.selectors import application_tally

    page = _client(review.office).get("/office/queues/committee_review/").content.decode()
    assert review.application.title in page
    assert escape(application_tally(review.application).reason_text) in page


def test_the_office_reads_its_own_next_step(world):
    """The sponsor waits for the decision; the office is told to check the submission."""
    application = bring_to(world, make_application(world, title="Prüffall"), "submitted")
    url = f"/applications/{application.pk}/"
    office = _client(world.office).get(url).content.decode()
    assert "Einreichung prüfen" in office and "Auf die Entscheidung warten" not in office
    sponsor = _client(world.sponsor_a).get(url).content.decode()
    assert "Auf die Entscheidung warten" in sponsor
