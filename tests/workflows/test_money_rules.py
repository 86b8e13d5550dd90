"""#21: the money rules as the funder's auditor reads them, through the API and the
statement PDF: the issue's worked cases computed by hand from DOMAIN.md's text, the
receipt review and check note, early start, VAT, the sponsor's certification and the
approval below the request."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.audit import trail_of
from grants.models import BaseRate
from projects.models import Application, Expenditure
from tests.factories import default_lines
from tests.workflows.test_money import _paid, _pdf_text, _proof, _receipt, _transition

BERLIN = ZoneInfo("Europe/Berlin")
D = Decimal
YEAR = 2026  # the cases are dated in 2026


@pytest.fixture
def project(world, application_in):
    """An approved and accepted project of 2026 (decided on 2 January) whose plan each
    test chooses: ``project(financing, costs, own=…)``."""

    def build(financing="deficit", costs="10000.00", **fields):
        world.call.funding_year = YEAR
        world.call.save()
        world.program.financing_type = financing
        world.program.max_grant = D("20000.00")
        world.program.fast_track_ceiling = D("20000.00")
        world.program.save()
        world.application = application_in(
            "funded",
            start_date=date(YEAR, 1, 2),
            end_date=date(YEAR, 12, 31),
            lines=default_lines(world, costs),
            **fields,
        )
        Application.objects.filter(pk=world.application.pk).update(
            decided_at=datetime.combine(date(YEAR, 1, 2), time(9), tzinfo=BERLIN)
        )
        world.application.refresh_from_db()
        return world

    return build


def _statement(api, world, **actual):
    response = _proof(api, world, **actual)
    assert response.status_code == 200, response.json()
    return response.json()["statement"]


# -- the eligible grant by financing type ------------------------------------------------


def test_share_financing_80_percent_with_unplanned_third_party_funds(project, api):
    """8,000 of 10,000 (80 %), 1,000 third-party funds that were not planned: additional
    funds 1,000; grant min(8,000, 80 % × (10,000 − 1,000)) = 7,200; paid 8,000 → 800
    back (ANBest-P 2.1, pro rata)."""
    world = project("share", own_funds=D("2000.00"))
    assert world.application.approved_amount == D("8000.00")
    _paid(api, world, "8000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "10000.00", day=date(YEAR, 3, 20))
    figures = _statement(api, world, actual_third_party_funds="1000.00")
    assert (figures["eligible_grant"], figures["reclaim"]) == ("7200.00", "800.00")
    text = _pdf_text(api, world)
    assert "7.200,00" in text and "800,00" in text


def test_full_financing_every_fund_reduces_the_grant(project, api):
    """Full financing 5,000; 300 third-party funds and 200 income join: grant
    min(5,000, 5,000 − 0 − 300 − 200) = 4,500; paid 5,000 → 500 back."""
    world = project("full", costs="5000.00")
    _paid(api, world, "5000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "5000.00", day=date(YEAR, 3, 20))
    figures = _statement(api, world, actual_third_party_funds="300.00", actual_income="200.00")
    assert (figures["eligible_grant"], figures["reclaim"]) == ("4500.00", "500.00")
    assert "4.500,00" in _pdf_text(api, world)


def test_deficit_planned_own_funds_are_binding(project, api):
    """Costs fall 10,000 → 9,000 and the sponsor reports own funds 1,000 → 0: grant
    min(9,000, 9,000 − max(1,000, 0)) = 8,000; paid 9,000 → 1,000 back."""
    world = project("deficit", own_funds=D("1000.00"))
    assert world.application.approved_amount == D("9000.00")
    _paid(api, world, "9000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "9000.00", day=date(YEAR, 3, 20))
    figures = _statement(api, world, actual_own_funds="0.00")
    assert (figures["eligible_grant"], figures["reclaim"]) == ("8000.00", "1000.00")
    text = _pdf_text(api, world)
    assert "8.000,00" in text and "1.000,00" in text


def test_fixed_amount_with_additional_funds_keeps_the_amount(project, api):
    """A fixed amount of 4,000 on costs of 5,000; 500 third-party funds join and the
    costs come to 4,800: the grant stays 4,000 (never more than the costs); nothing back."""
    world = project("fixed", costs="5000.00", own_funds=D("1000.00"))
    _paid(api, world, "4000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "4800.00", day=date(YEAR, 3, 20))
    figures = _statement(api, world, actual_third_party_funds="500.00")
    assert (figures["eligible_grant"], figures["reclaim"]) == ("4000.00", "0.00")


# -- interest (§ 49a VwVfG) ---------------------------------------------------------------


def _second_half_of_2026(rate="1.27"):
    """The base rate of 1 July 2026 as the admin enters it when published: the issue's
    figure assumes it unchanged at 1.27 %."""
    BaseRate.objects.update_or_create(valid_from=date(2026, 7, 1), defaults={"rate_percent": rate})


def test_full_revocation_of_two_payouts_each_from_its_own_day(project, api, time_machine):
    """1,000 paid 2 February 2026 + 4,000 paid 1 June 2026, all revoked for the past,
    repaid 1 December 2026: 1,000 × 6.27 % × 302/365 + 4,000 × 6.27 % × 183/365 =
    51.8778 + 125.7436 = 177.62 € (from 2 February for all of it: 259.39 €)."""
    _second_half_of_2026()
    world = project("full", costs="5000.00")
    _paid(api, world, "1000.00", paid_on=date(2026, 2, 2))
    _paid(api, world, "4000.00", paid_on=date(2026, 6, 1))
    time_machine.move_to(datetime(2026, 12, 1, 10, tzinfo=BERLIN), tick=False)
    revoked = _transition(
        api, world.office, world, "revoke", comment="Zweck verfehlt.", hearing_on="2026-11-20"
    )
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["interest_from"] is None  # each payout's own day
    repaid = _transition(
        api,
        world.office,
        world,
        "confirm_repayment",
        repaid_amount="5177.62",
        repaid_on="2026-12-01",
    )
    assert repaid.status_code == 200, repaid.json()
    assert repaid.json()["interest_amount"] == "177.62"
    entry = [e for e in trail_of(world.application) if e.event.endswith("confirm_repayment")]
    assert entry[-1].data["interest"] == "177.62"
    text = _pdf_text(api, world)
    assert "177,62 €" in text and "5.177,62 €" in text


def test_a_reduction_after_the_proof_bears_interest_from_its_submission(project, api, time_machine):
    """Deficit, own funds 1,000 of 10,000, 9,000 paid on 2 March 2026, costs 9,000:
    grant 9,000 − 1,000 = 8,000 → 1,000 back. The proof of use
    was submitted on 1 October 2026 (the default effective date); repaid 1 December:
    1,000 × 6.27 % × 61/365 = 10.4786 → 10.48 €."""
    _second_half_of_2026()
    world = project("deficit", own_funds=D("1000.00"))
    _paid(api, world, "9000.00", paid_on=date(2026, 3, 2))
    _receipt(api, world, "9000.00", day=date(2026, 3, 20))
    _proof(api, world)
    Application.objects.filter(pk=world.application.pk).update(end_date=date(2026, 9, 30))
    time_machine.move_to(datetime(2026, 10, 1, 10, tzinfo=BERLIN), tick=False)
    assert _transition(api, world.sponsor_a, world, "submit_proof_of_use").status_code == 200
    accepted = _transition(api, world.office, world, "accept_proof")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["reclaim_amount"] == "1000.00"
    assert accepted.json()["interest_from"] == "2026-10-01"
    time_machine.move_to(datetime(2026, 12, 1, 10, tzinfo=BERLIN), tick=False)
    repaid = _transition(
        api,
        world.office,
        world,
        "confirm_repayment",
        repaid_amount="1010.48",
        repaid_on="2026-12-01",
    )
    assert repaid.json()["interest_amount"] == "10.48"


def test_an_earlier_effective_date_needs_a_reason_and_not_a_later_one(project, api, time_machine):
    world = project("deficit", own_funds=D("1000.00"))
    _paid(api, world, "9000.00", paid_on=date(2026, 3, 2))
    _receipt(api, world, "8000.00", day=date(2026, 3, 20))
    _proof(api, world)
    Application.objects.filter(pk=world.application.pk).update(end_date=date(2026, 9, 30))
    time_machine.move_to(datetime(2026, 10, 1, 10, tzinfo=BERLIN), tick=False)
    assert _transition(api, world.sponsor_a, world, "submit_proof_of_use").status_code == 200
    earlier = _transition(api, world.office, world, "accept_proof", effective_from="2026-06-30")
    assert earlier.status_code == 400
    assert "effective_reason" in earlier.json()["errors"]
    later = _transition(api, world.office, world, "accept_proof", effective_from="2026-10-02")
    assert later.status_code == 400
    assert "effective_from" in later.json()["errors"]
    world.application.refresh_from_db()
    assert world.application.state == "proof_submitted"
    given = _transition(
        api,
        world.office,
        world,
        "accept_proof",
        effective_from="2026-06-30",
        effective_reason="Projektende vorgezogen, Restmittel seit 30.06. nicht benötigt.",
    )
    assert given.status_code == 200, given.json()
    assert given.json()["interest_from"] == "2026-06-30"


def test_unused_funds_bear_interest_from_their_payout(project, api, time_machine):
    """§ 49a Abs. 4, ANBest-P 8.5: 800 € paid 2 March 2026 (window of 42 days, to 13
    April) were used on 1 June 2026: from 2 March to 31 May, 91 days at 6.27 %:
    800 × 6.27 % × 91/365 = 12.5055 → 12.51 € (from the window's end: 48 days, 6.60 €)."""
    world = project("deficit", costs="800.00")
    _paid(api, world, "800.00", paid_on=date(2026, 3, 2))
    _receipt(api, world, "800.00", day=date(2026, 6, 1))
    figures = _statement(api, world)
    assert figures["interest_estimate"] == "12.51"
    assert "12,51 €" in _pdf_text(api, world)


def test_the_grant_is_used_after_the_other_funds_under_deficit_financing(project, api):
    """Deficit: own funds 1,000 of 10,000; 9,000 paid on 2 March. A receipt of 1,000 on
    10 March is paid by the own funds: 9,000 of the payout are still uncovered."""
    world = project("deficit", own_funds=D("1000.00"))
    payout = _paid(api, world, "9000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "1000.00", day=date(YEAR, 3, 10))
    payments = api(world.sponsor_a).get(f"/api/applications/{world.application.pk}/payments/")
    assert [p["uncovered_amount"] for p in payments.json()] == ["9000.00"]
    _receipt(api, world, "500.00", day=date(YEAR, 3, 11))
    payments = api(world.sponsor_a).get(f"/api/applications/{world.application.pk}/payments/")
    assert [(p["id"], p["uncovered_amount"]) for p in payments.json()] == [
        (payout["id"], "8500.00")
    ]


def test_each_receipt_is_paid_pro_rata_under_share_financing(project, api):
    """Share 80 %: a receipt of 1,000 uses 800 of the grant, 200 of the own funds."""
    world = project("share", own_funds=D("2000.00"))
    _paid(api, world, "8000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "1000.00", day=date(YEAR, 3, 10))
    payments = api(world.sponsor_a).get(f"/api/applications/{world.application.pk}/payments/")
    assert [p["uncovered_amount"] for p in payments.json()] == ["7200.00"]


def test_a_payout_of_2023_is_repaid_with_the_rates_of_2023(project, api, time_machine):
    """400 € paid 1 June 2023, revoked, repaid 1 October 2023: 30 days at 6.62 % and
    92 days at 8.12 %: 400 × (30 × 0.0662 + 92 × 0.0812) ÷ 365 = 10.3632 → 10.36 €."""
    world = project("deficit", costs="400.00")
    _paid(api, world, "400.00", paid_on=date(YEAR, 3, 2))
    world.application.payouts.update(paid_on=date(2023, 6, 1), window_ends_on=date(2023, 7, 13))
    revoked = _transition(
        api,
        world.office,
        world,
        "revoke",
        comment="Zweck verfehlt.",
        hearing_on=timezone.localdate().isoformat(),
    )
    assert revoked.status_code == 200, revoked.json()
    repaid = _transition(
        api,
        world.office,
        world,
        "confirm_repayment",
        repaid_amount="410.36",
        repaid_on="2023-10-01",
    )
    assert repaid.status_code == 200, repaid.json()
    assert repaid.json()["interest_amount"] == "10.36"


# -- early start (VV Nr. 1.3 zu § 44 BHO) --------------------------------------------------


def test_receipts_before_the_decision_are_refused_without_an_early_start(project, api):
    """Decided on 2 January 2026: a receipt of nine months earlier is not eligible."""
    world = project("deficit", costs="400.00")
    Application.objects.filter(pk=world.application.pk).update(start_date=date(2025, 4, 1))
    refused = _receipt(api, world, "100.00", day=date(2025, 4, 2))
    assert refused.status_code == 400
    assert "vorzeitig" in refused.json()["errors"]["date"][0].lower() or "2026" in str(
        refused.json()["errors"]["date"]
    )
    assert not Expenditure.objects.exists()


def test_an_early_start_is_asked_for_granted_and_admits_earlier_receipts(world, api):
    from tests.factories import make_application

    world.call.funding_year = YEAR
    world.call.save()
    draft = make_application(
        world,
        start_date=date(YEAR, 3, 1),
        end_date=date(YEAR, 6, 30),
        early_start_from=date(YEAR, 2, 1),
        early_start_reason="Die Honorarkraft ist nur im Februar frei.",
    )
    url = f"/api/applications/{draft.pk}/"
    assert api(world.sponsor_a).get(url).json()["early_start_from"] == f"{YEAR}-02-01"
    early = f"/api/applications/{draft.pk}/early-start/"
    # A draft is the sponsor's: the office does not see it yet.
    assert api(world.office).post(early, {"granted": True}, format="json").status_code == 404
    _submit = api(world.sponsor_a).post(f"{url}transitions/submit/", {}, format="json")
    assert _submit.status_code == 200, _submit.json()
    assert api(world.sponsor_a).post(early, {"granted": True}, format="json").status_code == 403
    too_early = api(world.office).post(
        early, {"granted": True, "granted_from": f"{YEAR}-01-15"}, format="json"
    )
    assert too_early.status_code == 400
    granted = api(world.office).post(
        early, {"granted": True, "comment": "Kein Präjudiz für die Förderung."}, format="json"
    )
    assert granted.status_code == 200, granted.json()
    assert granted.json()["early_start_decision"] == "granted"
    assert granted.json()["early_start_granted_from"] == f"{YEAR}-02-01"
    assert [e.event for e in trail_of(draft)][-1] == "application.early_start"


def test_an_early_start_needs_a_reason_and_lies_before_the_start(world, api):
    from tests.factories import make_application

    draft = make_application(world)
    url = f"/api/applications/{draft.pk}/"
    no_reason = api(world.sponsor_a).patch(
        url, {"early_start_from": f"{world.call.funding_year}-01-15"}, format="json"
    )
    assert no_reason.status_code == 400
    assert "early_start_reason" in no_reason.json()["errors"]
    after_start = api(world.sponsor_a).patch(
        url,
        {"early_start_from": f"{world.call.funding_year}-12-01", "early_start_reason": "x"},
        format="json",
    )
    assert after_start.status_code == 400
    assert "early_start_from" in after_start.json()["errors"]
    draft.refresh_from_db()
    assert draft.early_start_from is None


# -- receipt review and check note (VV Nr. 11 zu § 44 BHO) --------------------------------


def _submitted_proof(project, api, lines=("600.00", "400.00")):
    world = project("deficit", costs="1000.00")
    _paid(api, world, "1000.00", paid_on=date(YEAR, 3, 2))
    ids = [
        _receipt(api, world, amount, day=date(YEAR, 3, 10 + i)).json()["id"]
        for i, amount in enumerate(lines)
    ]
    _proof(api, world)
    submitted = _transition(api, world.sponsor_a, world, "submit_proof_of_use")
    assert submitted.status_code == 200, submitted.json()
    return world, ids


def _finding(api, world, line_id, **body):
    return api(world.office).post(f"/api/expenditures/{line_id}/finding/", body, format="json")


def test_a_refused_and_a_reduced_line_change_the_grant_and_the_reclaim(
    project, api, mailoutbox, django_capture_on_commit_callbacks
):
    """1,000 paid; receipts 600 and 400. The office asks for both receipts, reduces the
    first to 500 (a discount not passed on) and refuses the second (outside the purpose):
    eligible costs 500, grant 500, 500 back. The statement PDF shows findings and note."""
    world, (first, second) = _submitted_proof(project, api)
    url = f"/api/applications/{world.application.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        requested = api(world.office).post(
            f"{url}receipts-request/", {"lines": [first, second]}, format="json"
        )
    assert requested.status_code == 200, requested.json()
    assert all(line["receipt_requested"] for line in requested.json())
    mail = [m for m in mailoutbox if "Belege" in m.subject or "receipts" in m.subject]
    assert len(mail) == 1 and mail[0].to == [world.sponsor_a.email]
    assert "Trainerin K." in mail[0].body and "600,00 €" in mail[0].body
    reduced = _finding(api, world, first, finding="reduced", amount="500.00", reason="Skonto")
    assert reduced.status_code == 200, reduced.json()
    assert reduced.json()["eligible_amount"] == "500.00"
    refused = _finding(api, world, second, finding="refused", reason="Nicht zweckgebunden.")
    assert refused.json()["eligible_amount"] == "0.00"
    statement = api(world.office).get(f"{url}proof-of-use/").json()["statement"]
    assert (statement["eligible_costs"], statement["reclaim"]) == ("500.00", "500.00")
    without_note = _transition_plain(api, world, "accept_proof")
    assert without_note.status_code == 400
    assert without_note.json()["code"] == "condition_failed"
    assert "check_note" in without_note.json()["errors"]
    note = api(world.office).put(
        f"{url}check-note/",
        {"extent": "sample", "result": "Zwei Belege geprüft; 500 € zuwendungsfähig."},
        format="json",
    )
    assert note.status_code == 200, note.json()
    assert sorted(note.json()["lines"]) == sorted([first, second])
    text = _pdf_text(api, world)
    assert "Prüfvermerk" in text and "Skonto" in text and "Stichprobe" in text
    accepted = _transition_plain(api, world, "accept_proof")
    assert accepted.json()["reclaim_amount"] == "500.00"


def _transition_plain(api, world, name, **body):
    """A transition without the test helper's check note."""
    return api(world.office).post(
        f"/api/applications/{world.application.pk}/transitions/{name}/", body, format="json"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"finding": "reduced", "reason": "x"},  # no amount
        {"finding": "reduced", "amount": "600.00", "reason": "x"},  # not below the claim
        {"finding": "reduced", "amount": "-1.00", "reason": "x"},
        {"finding": "reduced", "amount": "100.00"},  # no reason
        {"finding": "refused"},  # no reason
        {"finding": "accepted", "amount": "1.00"},  # an amount without a reduction
        {"finding": "maybe"},
        {"finding": "accepted", "extra": 1},
    ],
)
def test_bad_findings_are_refused_and_nothing_is_saved(project, api, body):
    world, (first, _second) = _submitted_proof(project, api)
    response = _finding(api, world, first, **body)
    assert response.status_code == 400, response.json()
    assert Expenditure.objects.get(pk=first).finding == ""


def test_the_review_belongs_to_the_office_while_the_proof_is_checked(project, api):
    world, (first, _second) = _submitted_proof(project, api)
    url = f"/api/applications/{world.application.pk}/"
    assert _finding(api, world, first, finding="accepted").status_code == 200
    sponsor = api(world.sponsor_a)
    assert (
        sponsor.post(f"/api/expenditures/{first}/finding/", {"finding": "accepted"}).status_code
        == 403
    )
    assert sponsor.put(f"{url}check-note/", {"extent": "full", "result": "x"}).status_code == 403
    assert sponsor.post(f"{url}receipts-request/", {}, format="json").status_code == 403
    assert api(world.committee).get(f"{url}check-note/").status_code == 403
    assert api(world.sponsor_b).get(f"{url}check-note/").status_code == 404
    assert api(world.other_office).post(f"{url}receipts-request/", {}).status_code == 404
    assert api(world.sponsor_a).get(f"{url}check-note/").json()["checked_at"] is None


def test_no_review_before_the_proof_is_submitted(project, api):
    world = project("deficit", costs="1000.00")
    line = _receipt(api, world, "100.00", day=date(YEAR, 3, 10)).json()["id"]
    url = f"/api/applications/{world.application.pk}/"
    assert _finding(api, world, line, finding="accepted").status_code == 409
    assert api(world.office).post(f"{url}receipts-request/", {}, format="json").status_code == 409
    note = api(world.office).put(
        f"{url}check-note/", {"extent": "full", "result": "x"}, format="json"
    )
    assert note.status_code == 409


def test_a_sample_check_needs_requested_receipts(project, api):
    world, _ids = _submitted_proof(project, api)
    url = f"/api/applications/{world.application.pk}/check-note/"
    response = api(world.office).put(url, {"extent": "sample", "result": "x"}, format="json")
    assert response.status_code == 400
    assert "extent" in response.json()["errors"]
    assert api(world.office).get(url).json()["checked_at"] is None
    unknown = api(world.office).post(
        f"/api/applications/{world.application.pk}/receipts-request/",
        {"lines": [999999]},
        format="json",
    )
    assert unknown.status_code == 400
    assert not Expenditure.objects.filter(receipt_requested=True).exists()


# -- VAT and the sponsor's certification ------------------------------------------------


def test_vat_counts_unless_the_sponsor_deducts_input_tax(project, api):
    """A receipt of 100 net + 19 VAT: 119 count for a sponsor who cannot deduct input
    tax; 100 for one who can (ANBest-P 1.2)."""
    world = project("deficit", costs="1000.00")
    _paid(api, world, "1000.00", paid_on=date(YEAR, 3, 2))
    created = api(world.sponsor_a).post(
        f"/api/applications/{world.application.pk}/expenditures/",
        {
            "date": f"{YEAR}-03-10",
            "payee": "Druckerei",
            "purpose": "Flyer",
            "category": "honorare",
            "amount": "100.00",
            "vat": "19.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["eligible_amount"] == "119.00"
    assert _statement(api, world)["eligible_costs"] == "119.00"
    world.org_a.deducts_input_tax = True
    world.org_a.save()
    assert _statement(api, world)["eligible_costs"] == "100.00"
    negative = api(world.sponsor_a).patch(
        f"/api/expenditures/{created.json()['id']}/", {"vat": "-1.00"}, format="json"
    )
    assert negative.status_code == 400


def test_the_proof_needs_the_sponsors_certification(project, api):
    world = project("deficit", costs="1000.00")
    _paid(api, world, "1000.00", paid_on=date(YEAR, 3, 2))
    _receipt(api, world, "1000.00", day=date(YEAR, 3, 10))
    saved = _proof(api, world, certified=False)
    assert saved.json()["certified"] is False
    refused = _transition(api, world.sponsor_a, world, "submit_proof_of_use")
    assert refused.status_code == 400
    assert "certified" in refused.json()["errors"]
    certified = _proof(api, world)
    assert certified.json()["certified"] is True
    assert certified.json()["certified_by"]
    # A change without certifying again withdraws it.
    changed = api(world.sponsor_a).put(
        f"/api/applications/{world.application.pk}/proof-of-use/",
        {"participants": 40},
        format="json",
    )
    assert changed.json()["certified"] is False
    _proof(api, world)
    assert _transition(api, world.sponsor_a, world, "submit_proof_of_use").status_code == 200
    assert "ANBest-P 6" in _pdf_text(api, world)


# -- approval below the request ----------------------------------------------------------


def test_approval_below_the_request_sets_the_approved_plan(world, application_in, api):
    """Deficit: 10,000 planned, 1,000 own funds, 9,000 requested; the office approves
    7,000: the approved costs default to 10,000 − 2,000 = 8,000, the plan is scaled to
    them, and the statement's planned costs are 8,000."""
    world.call.funding_year = YEAR
    world.call.save()
    world.program.max_grant = D("20000.00")
    world.program.save()
    application = application_in(
        "committee_review",
        start_date=date(YEAR, 1, 2),
        end_date=date(YEAR, 12, 31),
        own_funds=D("1000.00"),
        lines=default_lines(world, "10000.00"),
    )
    from projects.models import Vote

    for index in range(3):
        from tests.factories import UserFactory, grant_role

        member = grant_role(world.program, "committee", UserFactory(username=f"m{index}"))
        Vote.objects.create(
            application=application, member=member, choice="approve", recorded_by=member
        )
    url = f"/api/applications/{application.pk}/transitions/approve/"
    too_low = api(world.office).post(
        url, {"approved_amount": "7000.00", "approved_costs": "7500.00"}, format="json"
    )
    assert too_low.status_code == 400
    assert "approved_costs" in too_low.json()["errors"]
    approved = api(world.office).post(url, {"approved_amount": "7000.00"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_costs"] == "8000.00"
    from projects import funding

    application.refresh_from_db()
    assert funding.planned_total_costs(application) == D("8000.00")
    assert sum(amount for _c, _d, amount in funding.plan_lines(application)) == D("8000.00")
    assert funding.statement_for(application).planned_costs == D("8000.00")


@pytest.mark.parametrize(
    "body",
    [
        {"extent": "full"},  # no result
        {"extent": "full", "result": "   "},
        {"extent": "partly", "result": "x"},
        {"extent": "full", "result": "x", "lines": [1]},
        {"extent": "full", "result": "x" * 2001},
        {"extent": 1, "result": "x"},
    ],
)
def test_a_bad_check_note_is_refused_and_nothing_saved(project, api, body):
    world, _ids = _submitted_proof(project, api)
    url = f"/api/applications/{world.application.pk}/check-note/"
    response = api(world.office).put(url, body, format="json")
    assert response.status_code == 400, response.json()
    assert api(world.office).get(url).json()["checked_at"] is None
    assert not Expenditure.objects.exclude(finding="").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"granted": "yes"},
        {"granted": True, "granted_from": "2019-01-01"},
        {"granted": False, "granted_from": f"{YEAR}-02-01"},
        {"granted": True, "extra": 1},
    ],
)
def test_a_bad_early_start_decision_is_refused_and_nothing_saved(world, api, body):
    from tests.factories import bring_to, make_application

    world.call.funding_year = YEAR
    world.call.save()
    application = bring_to(
        world,
        make_application(
            world,
            early_start_from=date(YEAR, 2, 1),
            early_start_reason="Die Honorarkraft ist nur im Februar frei.",
        ),
        "submitted",
    )
    response = api(world.office).post(
        f"/api/applications/{application.pk}/early-start/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    application.refresh_from_db()
    assert application.early_start_decision == ""


@pytest.mark.parametrize("form", ["decision", "contract"])
def test_the_demand_for_repayment_speaks_the_form_of_forwarding(
    project, api, mailoutbox, django_capture_on_commit_callbacks, form
):
    """DOMAIN.md, "Forwarding": the e-mails and the reclaim's wording follow the form: a
    revoked decision or a terminated contract, the amount and the due day."""
    import email
    from email import policy

    world = project("deficit", costs="1000.00")
    world.program.forwarding_form = form
    world.program.save()
    _paid(api, world, "1000.00", paid_on=date(YEAR, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        revoked = _transition(
            api,
            world.office,
            world,
            "revoke",
            comment="Zweck verfehlt.",
            hearing_on=timezone.localdate().isoformat(),
        )
    assert revoked.status_code == 200, revoked.json()
    demand = [m for m in mailoutbox if world.application.reference in m.subject][-1]
    parsed = email.message_from_bytes(demand.message().as_bytes(), policy=policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    if form == "contract":
        assert "Der Weiterleitungsvertrag wurde nach seinem § 3 gekündigt." in text
        assert "widerrufen" not in text
    else:
        assert "Der Zuwendungsbescheid wurde widerrufen (§§ 48, 49 VwVfG)." in text
    from projects import funding

    world.application.refresh_from_db()
    due = funding.due_dates(world.application)["repayment_due"]
    assert f"1.000,00 € bis zum {due:%d.%m.%Y}" in text and "§ 49a VwVfG" in text
