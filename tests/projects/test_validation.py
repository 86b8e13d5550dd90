"""The cost-plan rules (DOMAIN.md, "Money") as pure functions, without a database."""

from datetime import date
from decimal import Decimal

from grants.models import Program
from projects.validation import CostPlan, cost_plan_problems, submission_problems

PROGRAM = Program(min_grant=Decimal("100.00"), max_grant=Decimal("5000.00"))


def plan(*amounts, own="0", third="0", start=date(2027, 3, 1), end=date(2027, 6, 30)):
    return CostPlan(
        start_date=start,
        end_date=end,
        own_funds=Decimal(own),
        third_party_funds=Decimal(third),
        line_amounts=tuple(Decimal(a) for a in amounts),
    )


def problems(cost_plan, program=PROGRAM):
    return cost_plan_problems(cost_plan, program=program, funding_year=2027)


def test_requested_grant_is_costs_minus_own_and_third_party_funds():
    cost_plan = plan("2400.00", "600.00", "400.00", own="340.00", third="60.00")
    assert cost_plan.total_costs == Decimal("3400.00")
    assert cost_plan.requested_amount == Decimal("3000.00")


def test_a_valid_plan_has_no_problems():
    assert problems(plan("800.00", own="50.00")) == {}


def test_end_before_start_is_refused():
    assert "end_date" in problems(plan("800.00", start=date(2027, 6, 1), end=date(2027, 5, 1)))


def test_dates_outside_the_funding_year_are_refused():
    found = problems(plan("800.00", start=date(2026, 12, 1), end=date(2028, 1, 5)))
    assert set(found) == {"start_date", "end_date"}


def test_one_day_project_is_allowed():
    assert problems(plan("800.00", start=date(2027, 5, 1), end=date(2027, 5, 1))) == {}


def test_grant_above_the_program_maximum_is_refused():
    assert "requested_amount" in problems(plan("5000.01"))
    assert problems(plan("5000.00")) == {}


def test_funds_above_the_costs_are_refused():
    assert "own_funds" in problems(plan("100.00", own="80.00", third="30.00"))


def test_own_share_below_the_minimum_is_refused_to_the_cent():
    program = Program(max_grant=Decimal("5000.00"), min_own_share_percent=Decimal("10"))
    assert "own_funds" in problems(plan("1000.00", own="99.99"), program)
    assert problems(plan("1000.00", own="100.00"), program) == {}


def test_submission_needs_everything_filled_in():
    empty = CostPlan(None, None, Decimal("0"), Decimal("0"), ())
    found = submission_problems(empty, program=PROGRAM, funding_year=2027, title="", summary="")
    assert set(found) == {"title", "summary", "start_date", "end_date", "budget_lines"}


def test_submission_needs_at_least_the_program_minimum():
    found = submission_problems(
        plan("99.99"), program=PROGRAM, funding_year=2027, title="T", summary="S"
    )
    assert list(found) == ["requested_amount"]


def test_submission_of_a_plan_requesting_nothing_is_refused():
    found = submission_problems(
        plan("100.00", own="100.00"), program=PROGRAM, funding_year=2027, title="T", summary="S"
    )
    assert list(found) == ["requested_amount"]


def test_expected_income_reduces_the_requested_grant():
    plan = CostPlan(
        start_date=None,
        end_date=None,
        own_funds=Decimal("100.00"),
        third_party_funds=Decimal("200.00"),
        expected_income=Decimal("50.50"),
        line_amounts=(Decimal("1000.00"),),
    )
    assert plan.requested_amount == Decimal("649.50")


def test_full_financing_requests_the_total_costs():
    plan = CostPlan(
        start_date=None,
        end_date=None,
        own_funds=Decimal("0.00"),
        third_party_funds=Decimal("0.00"),
        expected_income=Decimal("80.00"),
        line_amounts=(Decimal("600.00"), Decimal("400.00")),
        financing_type="full",
    )
    assert plan.requested_amount == Decimal("1000.00")
