"""The proof of use's numeric statement (``projects.statement``): worked examples in plain
numbers, one per financing type, and properties against a reference written here from
DOMAIN.md, "Money"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.statement import Category, StatementInput, statement

D = Decimal
CENT = D("0.01")
TYPES = ("deficit", "share", "fixed", "full")


def plan(**amounts: str) -> tuple[Category, ...]:
    return tuple(Category(code, code.title(), D(amount)) for code, amount in amounts.items())


def actual(**amounts: str) -> dict[str, Decimal]:
    return {code: D(amount) for code, amount in amounts.items()}


# -- worked examples -----------------------------------------------------------------------

WORKED_PLAN = plan(personnel="2400.00", travel="600.00", pr="400.00")  # 3,400 planned
WORKED_ACTUAL = actual(personnel="2760.00", travel="420.00", pr="380.00")  # 3,560 spent


def test_worked_example_deficit():
    """Own funds 340, so 3,060 requested and approved. Personnel is 360 (15 %) over: within
    the 20 % tolerance (480), but travel and PR saved only 180 + 20 = 200, so 160 of the
    personnel costs are not eligible. Eligible 3,560 − 160 = 3,400; grant 3,400 − 340 =
    3,060; paid 3,060; nothing to reclaim."""
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("3060.00"),
            categories=WORKED_PLAN,
            actual=WORKED_ACTUAL,
            tolerance_percent=D("20"),
            own_funds=D("340.00"),
            paid_out=D("3060.00"),
        )
    )
    personnel = result.lines[0]
    assert (personnel.over_percent, personnel.eligible) == (D("15.00"), D("2600.00"))
    assert "160,00" in personnel.explanation
    assert result.actual_costs == D("3560.00")
    assert result.eligible_costs == D("3400.00")
    assert result.eligible_grant == D("3060.00")
    assert (result.balance, result.reclaim) == (D("0.00"), D("0.00"))


def test_worked_example_deficit_with_more_income_than_planned_reclaims():
    """The same project earned 250 in fees it had not planned: ANBest-P 2, the grant
    shrinks first: 3,400 − 340 − 250 = 2,810; paid 3,060 → 250 back."""
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("3060.00"),
            categories=WORKED_PLAN,
            actual=WORKED_ACTUAL,
            tolerance_percent=D("20"),
            own_funds=D("340.00"),
            income=D("250.00"),
            paid_out=D("3060.00"),
        )
    )
    assert result.eligible_grant == D("2810.00")
    assert (result.balance, result.reclaim) == (D("-250.00"), D("250.00"))


def test_worked_example_share():
    """Share financing: 3,060 approved of 3,400 planned is 90 %. Eligible costs 3,400 (as
    above) × 90 % = 3,060. Had only 3,000 been eligible: 2,700, and 360 back."""
    data = dict(
        financing_type="share",
        approved=D("3060.00"),
        categories=WORKED_PLAN,
        tolerance_percent=D("20"),
        paid_out=D("3060.00"),
    )
    full = statement(StatementInput(actual=WORKED_ACTUAL, **data))
    assert full.eligible_grant == D("3060.00")
    less = statement(
        StatementInput(actual=actual(personnel="2000.00", travel="600.00", pr="400.00"), **data)
    )
    assert less.eligible_costs == D("3000.00")
    assert (less.eligible_grant, less.reclaim) == (D("2700.00"), D("360.00"))


def test_worked_example_fixed_amount():
    """Fixed amount 1,500: the categories are not binding (all 3,560 count), the grant is
    the fixed 1,500; if the purpose was not met, nothing; if only 1,200 was spent, 1,200."""
    data = dict(
        financing_type="fixed",
        approved=D("1500.00"),
        categories=WORKED_PLAN,
        tolerance_percent=D("20"),
        paid_out=D("1500.00"),
    )
    met = statement(StatementInput(actual=WORKED_ACTUAL, **data))
    assert (met.eligible_costs, met.eligible_grant, met.reclaim) == (
        D("3560.00"),
        D("1500.00"),
        D("0.00"),
    )
    failed = statement(StatementInput(actual=WORKED_ACTUAL, purpose_met=False, **data))
    assert (failed.eligible_grant, failed.reclaim) == (D("0.00"), D("1500.00"))
    small = statement(StatementInput(actual=actual(personnel="1200.00"), **data))
    assert (small.eligible_grant, small.reclaim) == (D("1200.00"), D("300.00"))


def test_worked_example_full():
    """Full financing: 3,400 approved; eligible 3,400 less income 120 = 3,280; 3,400 paid
    → 120 back."""
    result = statement(
        StatementInput(
            financing_type="full",
            approved=D("3400.00"),
            categories=WORKED_PLAN,
            actual=WORKED_ACTUAL,
            tolerance_percent=D("20"),
            income=D("120.00"),
            paid_out=D("3400.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("3280.00"), D("120.00"))


def test_overspending_beyond_the_tolerance_is_not_eligible_even_with_savings():
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("1000.00"),
            categories=plan(a="1000.00", b="1000.00"),
            actual=actual(a="1500.00", b="0.00"),
            tolerance_percent=D("20"),
        )
    )
    assert result.lines[0].eligible == D("1200.00")
    assert result.eligible_costs == D("1200.00")


def test_receipts_in_a_category_outside_the_plan_are_not_eligible():
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("500.00"),
            categories=plan(a="500.00"),
            actual=actual(a="400.00", catering="90.00"),
            tolerance_percent=D("20"),
        )
    )
    assert [(line.code, line.eligible) for line in result.lines] == [
        ("a", D("400.00")),
        ("catering", D("0.00")),
    ]


def test_every_figure_is_explained():
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("3060.00"),
            categories=WORKED_PLAN,
            actual=WORKED_ACTUAL,
            tolerance_percent=D("20"),
            own_funds=D("340.00"),
        )
    )
    assert set(result.explanations) == {
        "eligible_costs",
        "eligible_grant",
        "paid_out",
        "balance",
        "reclaim",
    }
    assert all(text.strip() for text in result.explanations.values())
    assert all(line.explanation.strip() for line in result.lines)


# -- properties against a reference --------------------------------------------------------


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def reference(data: StatementInput) -> dict:
    """DOMAIN.md read line by line: spending above the plan is eligible only within the
    tolerance and as far as other categories saved (in the order of the plan); under a
    fixed amount every receipt counts; then the eligible grant per financing type, the
    reclaim of what was paid beyond it."""
    planned = {c.code: c.planned for c in data.categories}
    spent_total = sum(data.actual.values(), D(0))
    if data.financing_type == "fixed":
        eligible = spent_total
    else:
        pool = sum(max(D(0), p - data.actual.get(code, D(0))) for code, p in planned.items())
        not_eligible = D(0)
        order = list(planned) + sorted(set(data.actual) - set(planned))
        for code in order:
            excess = data.actual.get(code, D(0)) - planned.get(code, D(0))
            if excess <= 0:
                continue
            limit = _cents(planned.get(code, D(0)) * data.tolerance_percent / 100)
            covered = min(excess, limit, pool)
            pool -= covered
            not_eligible += excess - covered
        eligible = spent_total - not_eligible
    others = data.own_funds + data.third_party_funds + data.income
    grant = {
        "deficit": lambda: eligible - others,
        "share": lambda: _cents(eligible * data.approved / sum(planned.values(), D(0))),
        "fixed": lambda: eligible if data.purpose_met else D(0),
        "full": lambda: eligible - data.income,
    }[data.financing_type]()
    grant = max(D(0), min(data.approved, grant))
    return {
        "eligible_costs": eligible,
        "eligible_grant": grant,
        "reclaim": max(D(0), data.paid_out - grant),
    }


money = st.decimals(min_value=D("0.01"), max_value=D("20000.00"), places=2)
maybe_money = st.one_of(st.just(D("0.00")), money)


@st.composite
def situations(draw, *, exactly_met: bool = False) -> StatementInput:
    codes = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=5, unique=True))
    categories = tuple(Category(code, code, draw(money)) for code in codes)
    planned_total = sum((c.planned for c in categories), D(0))
    kind = draw(st.sampled_from(TYPES))
    if exactly_met:
        spent = {c.code: c.planned for c in categories}
        own = draw(st.decimals(min_value=0, max_value=planned_total, places=2))
        income = D("0.00")
        top = planned_total if kind in ("share", "fixed", "full") else planned_total - own
        own = own if kind == "deficit" else D("0.00")
        approved = draw(st.decimals(min_value=0, max_value=top, places=2))
        paid = draw(st.decimals(min_value=0, max_value=approved, places=2))
        third = D("0.00")
    else:
        extra = draw(st.lists(st.sampled_from("xyz"), max_size=2, unique=True))
        spent = {code: draw(maybe_money) for code in [*codes, *extra]}
        own, third, income = draw(maybe_money), draw(maybe_money), draw(maybe_money)
        approved, paid = draw(money), draw(maybe_money)
    return StatementInput(
        financing_type=kind,
        approved=approved,
        categories=categories,
        actual=spent,
        tolerance_percent=draw(st.sampled_from([D("0"), D("10"), D("20"), D("25.5")])),
        own_funds=own,
        third_party_funds=third,
        income=income,
        paid_out=paid,
        purpose_met=draw(st.booleans()) if not exactly_met else True,
    )


@settings(max_examples=500, deadline=None)
@given(situations())
def test_statement_agrees_with_the_reference(data):
    result = statement(data)
    expected = reference(data)
    assert (result.eligible_costs, result.eligible_grant, result.reclaim) == (
        expected["eligible_costs"],
        expected["eligible_grant"],
        expected["reclaim"],
    )


@settings(max_examples=300, deadline=None)
@given(situations())
def test_grant_never_exceeds_the_approved_amount_and_figures_are_exact_cents(data):
    result = statement(data)
    assert D(0) <= result.eligible_grant <= data.approved
    assert result.reclaim == max(D(0), result.paid_out - result.eligible_grant)
    assert result.balance == result.eligible_grant - result.paid_out
    for figure in (result.eligible_costs, result.eligible_grant, result.reclaim, result.balance):
        assert figure == figure.quantize(CENT)
    for line in result.lines:
        assert D(0) <= line.eligible <= line.actual


@settings(max_examples=300, deadline=None)
@given(situations())
def test_the_tolerance_caps_every_category(data):
    if data.financing_type == "fixed":
        return
    for line in statement(data).lines:
        ceiling = _cents(line.planned * (1 + data.tolerance_percent / 100))
        assert line.eligible <= max(line.planned, min(line.actual, ceiling))


@settings(max_examples=300, deadline=None)
@given(situations(exactly_met=True))
def test_a_plan_exactly_met_reclaims_nothing(data):
    result = statement(data)
    assert result.eligible_costs == sum((c.planned for c in data.categories), D(0))
    assert result.reclaim == D("0.00")
