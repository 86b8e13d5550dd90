"""The cost and financing plan rules (DOMAIN.md, "Money"), as pure functions.

They return problems as ``{"field": ["message", ...]}`` so that the same rule serves the
write services (400 ``invalid``) and the submit condition (400 ``condition_failed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import MAX_AMOUNT, format_eur, round_money

Problems = dict[str, list[str]]


@dataclass(frozen=True)
class CostPlan:
    """What the rules need to know about an application's plan."""

    start_date: date | None
    end_date: date | None
    own_funds: Decimal
    third_party_funds: Decimal
    line_amounts: tuple[Decimal, ...]
    expected_income: Decimal = Decimal("0")
    financing_type: str = "deficit"

    @property
    def total_costs(self) -> Decimal:
        return round_money(sum(self.line_amounts, Decimal("0")))

    @property
    def other_funds(self) -> Decimal:
        """Own funds, third-party funds and expected income: the rest of the financing."""
        return self.own_funds + self.third_party_funds + self.expected_income

    @property
    def requested_amount(self) -> Decimal:
        """DOMAIN.md, "Money": the financing plan balances, so the grant is the total costs
        minus own funds, third-party funds and income; under full financing
        (Vollfinanzierung) it is the total costs."""
        if self.financing_type == "full":
            return self.total_costs
        return round_money(self.total_costs - self.other_funds)


def _add(problems: Problems, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def cost_plan_problems(plan: CostPlan, *, program, funding_year: int) -> Problems:
    """Rules every saved cost plan must meet: dates, the grant ceiling, the own share."""
    problems: Problems = {}
    if plan.start_date and plan.end_date and plan.end_date < plan.start_date:
        _add(problems, "end_date", _("The project cannot end before it starts."))
    for field, value in (("start_date", plan.start_date), ("end_date", plan.end_date)):
        if value and value.year != funding_year:
            _add(
                problems,
                field,
                _("The project must lie within the funding year %(year)s.")
                % {"year": funding_year},
            )
    if not plan.line_amounts:
        return problems
    if plan.total_costs > MAX_AMOUNT:
        _add(
            problems,
            "budget_lines",
            _("The total costs of %(amount)s exceed what Zuwendo takes (%(max)s).")
            % {"amount": format_eur(plan.total_costs), "max": format_eur(MAX_AMOUNT)},
        )
        return problems
    requested = plan.requested_amount
    if requested < 0:
        _add(
            problems,
            "own_funds",
            _("Own funds, third-party funds and income exceed the total costs."),
        )
    if requested > program.max_grant:
        _add(
            problems,
            "requested_amount",
            _("The requested grant of %(amount)s exceeds the program maximum of %(max)s.")
            % {"amount": format_eur(requested), "max": format_eur(program.max_grant)},
        )
    minimum_share = program.min_own_share_percent
    if minimum_share > 0 and plan.total_costs > 0:
        needed = round_money(plan.total_costs * minimum_share / Decimal(100))
        if plan.own_funds < needed:
            _add(
                problems,
                "own_funds",
                _(
                    "Own funds must be at least %(percent)s %% of the total costs, "
                    "that is %(amount)s."
                )
                % {"percent": f"{minimum_share.normalize():f}", "amount": format_eur(needed)},
            )
    return problems


def submission_problems(
    plan: CostPlan, *, program, funding_year: int, title: str, summary: str
) -> Problems:
    """A complete plan for submission: the saved-plan rules, plus nothing left empty."""
    problems = cost_plan_problems(plan, program=program, funding_year=funding_year)
    required: Iterable[tuple[str, object]] = (
        ("title", title),
        ("summary", summary),
        ("start_date", plan.start_date),
        ("end_date", plan.end_date),
    )
    for field, value in required:
        if not value:
            _add(problems, field, _("This field is required for submission."))
    if not plan.line_amounts:
        _add(problems, "budget_lines", _("The cost plan needs at least one line."))
    elif plan.requested_amount <= 0:
        _add(problems, "requested_amount", _("The cost plan requests no grant."))
    elif plan.requested_amount < program.min_grant:
        _add(
            problems,
            "requested_amount",
            _("The requested grant is below the program minimum of %(min)s.")
            % {"min": format_eur(program.min_grant)},
        )
    return problems
