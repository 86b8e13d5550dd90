"""The numeric statement of the proof of use (zahlenmäßiger Nachweis), a pure function over
plain data (DOMAIN.md, "Money"; ANBest-P 1.2, 2, 6).

``projects.selectors`` feeds it from the receipts list, the current plan and the actual
financing; the API's ``/proof-of-use/``, the ``accept_proof`` transition and (later) the
statement PDF read its answer. Every figure carries a sentence naming the rule that
produced it, in the language active when it is computed.

The rules, as Zuwendo applies them:

- Per category, planned against actual. Under deficit, share and full financing a
  category may exceed its plan by up to the tolerance (``tolerance_percent`` of its
  planned amount) as far as other categories spent less than planned; the savings are
  given to the overspent categories in the order of the plan. Spending above that is not
  eligible; a category without a plan has no tolerance. Under fixed-amount financing the
  plan's categories are not binding: every receipt counts.
- The eligible grant by financing type (ANBest-P 2; DOMAIN.md as corrected for #21):
  deficit (2.2, by the full amount): min(approved, eligible costs − max(planned own
  funds, actual own funds) − actual third-party funds − actual income): the planned own
  funds are binding (ANBest-P 1.2), a saving does not let the sponsor keep them; a
  shortfall of third-party funds is flagged (a change to notify, ANBest-P 5.1) and can
  never raise the grant above the approved amount;
  share (2.1, pro rata): min(approved, approved ÷ planned total costs × (eligible costs −
  additional funds)), additional funds = max(0, actual own + third-party funds + income −
  the planned ones);
  fixed: min(approved, eligible costs), nothing if the purpose was not met;
  full: min(approved, eligible costs − actual own funds − third-party funds − income):
  every fund that joins reduces it in full; never below zero.
- Balance = eligible grant − paid out; reclaim = max(0, paid out − eligible grant).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import format_eur, round_money

ZERO = Decimal("0.00")
DEFICIT, SHARE, FIXED, FULL = "deficit", "share", "fixed", "full"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    planned: Decimal


@dataclass(frozen=True)
class StatementInput:
    financing_type: str
    approved: Decimal
    categories: Sequence[Category]  # the plan, in its order
    actual: Mapping[str, Decimal]  # category code → sum of receipts
    tolerance_percent: Decimal
    own_funds: Decimal = ZERO  # the actual financing
    third_party_funds: Decimal = ZERO
    income: Decimal = ZERO
    paid_out: Decimal = ZERO
    purpose_met: bool = True
    # The plan's financing (the approved plan's); the actual financing is compared to it.
    planned_own_funds: Decimal = ZERO
    planned_third_party_funds: Decimal = ZERO
    planned_income: Decimal = ZERO

    @property
    def additional_funds(self) -> Decimal:
        """By how much the actual own funds, third-party funds and income exceed the
        planned ones together (never below zero)."""
        actual = self.own_funds + self.third_party_funds + self.income
        planned = self.planned_own_funds + self.planned_third_party_funds + self.planned_income
        return max(ZERO, actual - planned)


@dataclass(frozen=True)
class CategoryLine:
    code: str
    name: str
    planned: Decimal
    actual: Decimal
    eligible: Decimal
    over_percent: Decimal  # how far actual exceeds the plan, in percent (0 if not)
    explanation: str


@dataclass(frozen=True)
class Statement:
    lines: tuple[CategoryLine, ...]
    planned_costs: Decimal
    actual_costs: Decimal
    eligible_costs: Decimal
    eligible_grant: Decimal
    paid_out: Decimal
    balance: Decimal
    reclaim: Decimal
    explanations: dict[str, str] = field(default_factory=dict)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return round_money(part * 100 / whole) if whole else ZERO


def _category_lines(data: StatementInput) -> list[CategoryLine]:
    planned = {c.code: c.planned for c in data.categories}
    names = {c.code: c.name for c in data.categories}
    codes = [c.code for c in data.categories] + sorted(set(data.actual) - set(planned))
    actual = {code: round_money(data.actual.get(code, ZERO)) for code in codes}
    binding = data.financing_type != FIXED
    savings = sum((max(ZERO, planned.get(c, ZERO) - actual[c]) for c in codes), ZERO)
    lines = []
    for code in codes:
        plan, spent = planned.get(code, ZERO), actual[code]
        over = spent - plan
        name = names.get(code, code)
        if not binding:
            eligible = spent
            why = _("Fixed-amount financing: the plan's categories are not binding.")
        elif over <= 0:
            eligible = spent
            why = _("Within the plan.")
        elif plan == 0:
            eligible = ZERO
            why = _("Not in the plan: %(amount)s is not eligible.") % {"amount": format_eur(spent)}
        else:
            allowed = round_money(plan * data.tolerance_percent / 100)
            accepted = min(over, allowed, savings)
            savings -= accepted
            eligible = plan + accepted
            if accepted == over:
                why = _(
                    "%(percent)s %% over the plan, within the tolerance of %(tolerance)s %% "
                    "and covered by savings in other categories (ANBest-P 1.2)."
                ) % {
                    "percent": _percent(over, plan),
                    "tolerance": data.tolerance_percent.normalize(),
                }
            else:
                why = _(
                    "%(percent)s %% over the plan; the tolerance allows %(allowed)s and other "
                    "categories saved enough for %(accepted)s, so %(excess)s is not eligible "
                    "(ANBest-P 1.2)."
                ) % {
                    "percent": _percent(over, plan),
                    "allowed": format_eur(allowed),
                    "accepted": format_eur(accepted),
                    "excess": format_eur(over - accepted),
                }
        lines.append(
            CategoryLine(
                code=code,
                name=name,
                planned=plan,
                actual=spent,
                eligible=eligible,
                over_percent=_percent(over, plan) if over > 0 and plan else ZERO,
                explanation=str(why),
            )
        )
    return lines


def _eligible_grant(
    data: StatementInput, eligible: Decimal, planned: Decimal
) -> tuple[Decimal, str]:
    approved = data.approved
    kind = data.financing_type
    if kind == DEFICIT:
        own = max(data.planned_own_funds, data.own_funds)
        others = own + data.third_party_funds + data.income
        grant = max(ZERO, min(approved, eligible - others))
        why = _(
            "Deficit financing (ANBest-P 2.2): the eligible costs %(costs)s less own funds "
            "%(own)s (the planned ones at least: they are binding), third-party funds "
            "%(third)s and income %(income)s, at most the approved %(approved)s."
        ) % {
            "costs": format_eur(eligible),
            "own": format_eur(own),
            "third": format_eur(data.third_party_funds),
            "income": format_eur(data.income),
            "approved": format_eur(approved),
        }
    elif kind == SHARE:
        base = max(ZERO, eligible - data.additional_funds)
        pro_rata = round_money(base * approved / planned) if planned else ZERO
        grant = max(ZERO, min(approved, pro_rata))
        why = _(
            "Share financing (ANBest-P 2.1): the approved share %(share)s %% of the eligible "
            "costs %(costs)s less the additional funds %(additional)s, at most the approved "
            "%(approved)s."
        ) % {
            "share": _percent(approved, planned),
            "costs": format_eur(eligible),
            "additional": format_eur(data.additional_funds),
            "approved": format_eur(approved),
        }
    elif kind == FIXED:
        if not data.purpose_met:
            grant = ZERO
            why = _("Fixed-amount financing: the purpose was not met, so nothing is eligible.")
        else:
            grant = max(ZERO, min(approved, eligible))
            why = _(
                "Fixed-amount financing: the approved %(approved)s, but no more than the "
                "eligible costs %(costs)s."
            ) % {"approved": format_eur(approved), "costs": format_eur(eligible)}
    elif kind == FULL:
        others = data.own_funds + data.third_party_funds + data.income
        grant = max(ZERO, min(approved, eligible - others))
        why = _(
            "Full financing (ANBest-P 2): the eligible costs %(costs)s less every fund that "
            "joined (own funds, third-party funds and income: %(others)s), at most the "
            "approved %(approved)s."
        ) % {
            "costs": format_eur(eligible),
            "others": format_eur(others),
            "approved": format_eur(approved),
        }
    else:
        raise ValueError(f"Unknown financing type {kind!r}")
    return round_money(grant), str(why)


def statement(data: StatementInput) -> Statement:
    lines = _category_lines(data)
    planned = round_money(sum((c.planned for c in data.categories), ZERO))
    actual = round_money(sum((line.actual for line in lines), ZERO))
    eligible = round_money(sum((line.eligible for line in lines), ZERO))
    grant, grant_why = _eligible_grant(data, eligible, planned)
    paid = round_money(data.paid_out)
    balance = grant - paid
    reclaim = max(ZERO, paid - grant)
    explanations = {
        "eligible_costs": str(
            _("The actual costs %(actual)s less what is not eligible (%(excluded)s).")
            % {"actual": format_eur(actual), "excluded": format_eur(actual - eligible)}
        ),
        "eligible_grant": grant_why,
        "paid_out": str(_("The payouts marked as paid.")),
        "balance": str(
            _("Still to be paid out: %(amount)s.") % {"amount": format_eur(balance)}
            if balance >= 0
            else _("Paid out beyond the eligible grant: %(amount)s.")
            % {"amount": format_eur(-balance)}
        ),
        "reclaim": str(
            _("Paid out %(paid)s less the eligible grant %(grant)s is reclaimed (§ 49a VwVfG).")
            % {"paid": format_eur(paid), "grant": format_eur(grant)}
            if reclaim
            else _("Nothing is reclaimed: the payouts do not exceed the eligible grant.")
        ),
    }
    shortfall = data.planned_third_party_funds - data.third_party_funds
    if data.financing_type == DEFICIT and shortfall > 0:
        explanations["third_party_shortfall"] = str(
            _(
                "Third-party funds came to %(actual)s instead of the planned %(planned)s: a "
                "change the sponsor had to notify (ANBest-P 5.1). It does not raise the grant "
                "above the approved amount."
            )
            % {
                "actual": format_eur(data.third_party_funds),
                "planned": format_eur(data.planned_third_party_funds),
            }
        )
    return Statement(
        lines=tuple(lines),
        planned_costs=planned,
        actual_costs=actual,
        eligible_costs=eligible,
        eligible_grant=grant,
        paid_out=paid,
        balance=balance,
        reclaim=reclaim,
        explanations=explanations,
    )
