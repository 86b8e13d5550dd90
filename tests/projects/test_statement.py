"""The proof of use's numeric statement (``projects.statement``): worked examples in plain
numbers, one per financing type, the cases of issue #21 computed by hand, and properties
against a reference written here from DOMAIN.md, "Money" (as rewritten for #21, not from
the code: run against the formulas before #21 it fails, on share financing with
additional funds, on full financing with own or third-party funds, and on deficit
financing with own funds below the plan)."""

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


# -- the cases of issue #21, computed by hand from DOMAIN.md ("Money", rewritten) ----------

ONE_LINE = plan(costs="10000.00")


def test_share_financing_with_unplanned_third_party_funds_is_reduced_pro_rata():
    """80 % share: 8,000 of 10,000 planned. 1,000 of third-party funds joined that the plan
    did not have: additional funds 1,000. Grant 80 % × (10,000 − 1,000) = 7,200; 8,000 paid
    → 800 back (ANBest-P 2.1). The old formula kept 8,000."""
    result = statement(
        StatementInput(
            financing_type="share",
            approved=D("8000.00"),
            categories=ONE_LINE,
            actual=actual(costs="10000.00"),
            tolerance_percent=D("20"),
            third_party_funds=D("1000.00"),
            paid_out=D("8000.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("7200.00"), D("800.00"))
    assert "1.000,00" in result.explanations["eligible_grant"]


def test_full_financing_is_reduced_by_every_fund():
    """Full financing 5,000; 300 of third-party funds and 200 of income joined: 5,000 −
    300 − 200 = 4,500; 5,000 paid → 500 back. The old formula took off income only."""
    result = statement(
        StatementInput(
            financing_type="full",
            approved=D("5000.00"),
            categories=plan(costs="5000.00"),
            actual=actual(costs="5000.00"),
            tolerance_percent=D("20"),
            third_party_funds=D("300.00"),
            income=D("200.00"),
            paid_out=D("5000.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("4500.00"), D("500.00"))


def test_deficit_financing_keeps_the_planned_own_funds_binding():
    """Deficit: 10,000 planned, own funds 1,000, so 9,000 approved and paid. The costs fell
    to 9,000 and the sponsor reports no own funds: the planned 1,000 still count
    (ANBest-P 1.2), grant 9,000 − 1,000 = 8,000, 1,000 back. The old formula gave 9,000."""
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("9000.00"),
            categories=ONE_LINE,
            actual=actual(costs="9000.00"),
            tolerance_percent=D("20"),
            own_funds=D("0.00"),
            planned_own_funds=D("1000.00"),
            paid_out=D("9000.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("8000.00"), D("1000.00"))


def test_deficit_with_more_own_funds_than_planned_reduces_by_them():
    """The same plan with 1,500 of own funds actually spent: 10,000 − 1,500 = 8,500."""
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("9000.00"),
            categories=ONE_LINE,
            actual=actual(costs="10000.00"),
            tolerance_percent=D("20"),
            own_funds=D("1500.00"),
            planned_own_funds=D("1000.00"),
            paid_out=D("9000.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("8500.00"), D("500.00"))


def test_a_shortfall_of_third_party_funds_is_flagged_and_never_raises_the_grant():
    """Deficit: 10,000 planned with 2,000 of third-party funds, 8,000 approved. Only 500
    came: 10,000 − 500 = 9,500, but the grant stays at the approved 8,000, and the
    statement flags the change the sponsor had to notify (ANBest-P 5.1)."""
    result = statement(
        StatementInput(
            financing_type="deficit",
            approved=D("8000.00"),
            categories=ONE_LINE,
            actual=actual(costs="10000.00"),
            tolerance_percent=D("20"),
            third_party_funds=D("500.00"),
            planned_third_party_funds=D("2000.00"),
            paid_out=D("8000.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("8000.00"), D("0.00"))
    assert "ANBest-P 5.1" in result.explanations["third_party_shortfall"]


def test_a_fixed_amount_is_not_reduced_by_additional_funds():
    """Fixed amount 1,500 with 700 of unplanned income: still 1,500 while the eligible
    costs (3,560) cover it (DOMAIN.md: other funds count only where the guidelines say)."""
    result = statement(
        StatementInput(
            financing_type="fixed",
            approved=D("1500.00"),
            categories=WORKED_PLAN,
            actual=WORKED_ACTUAL,
            tolerance_percent=D("20"),
            income=D("700.00"),
            paid_out=D("1500.00"),
        )
    )
    assert (result.eligible_grant, result.reclaim) == (D("1500.00"), D("0.00"))


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
    # DOMAIN.md, "Proof of use and the eligible grant", read line by line:
    # "Additional funds" = the amount by which actual own funds + third-party funds +
    # income exceed the planned ones (never below zero).
    actual_funds = data.own_funds + data.third_party_funds + data.income
    planned_funds = data.planned_own_funds + data.planned_third_party_funds + data.planned_income
    additional = max(D(0), actual_funds - planned_funds)
    planned_total = sum(planned.values(), D(0))
    grant = {
        # deficit: eligible costs − max(planned own, actual own) − actual third − actual income
        "deficit": lambda: (
            eligible
            - max(data.planned_own_funds, data.own_funds)
            - data.third_party_funds
            - data.income
        ),
        # share: approved share × (eligible costs − additional funds)
        "share": lambda: _cents(max(D(0), eligible - additional) * data.approved / planned_total),
        # fixed: the approved amount, never more than the eligible costs, if the purpose
        # was met
        "fixed": lambda: eligible if data.purpose_met else D(0),
        # full: eligible costs − actual own − actual third − actual income
        "full": lambda: eligible - data.own_funds - data.third_party_funds - data.income,
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
    if exactly_met:
        planned_funds = (own, third, income)  # the financing went as planned
    else:
        planned_funds = (draw(maybe_money), draw(maybe_money), draw(maybe_money))
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
        planned_own_funds=planned_funds[0],
        planned_third_party_funds=planned_funds[1],
        planned_income=planned_funds[2],
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
