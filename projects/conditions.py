"""The application lifecycle's conditions: pure functions of the application that
explain their refusal (``core.transitions.Condition``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_eur
from core.transitions import Condition
from projects.validation import Problems, submission_problems


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@Condition
def call_is_open(application) -> Problems:
    """DOMAIN.md: a sponsor can submit only while the call is open."""
    call = application.call
    if not call.has_opened():
        return {"call": [_("The call opens on %(when)s.") % {"when": _when(call.opens_at)}]}
    if call.has_closed():
        return {
            "call": [
                _("The call closed on %(when)s; submissions are no longer accepted.")
                % {"when": _when(call.closes_at)}
            ]
        }
    return {}


@Condition
def cost_plan_is_complete(application) -> Problems:
    """DOMAIN.md: the cost plan is complete and valid (grant between minimum and maximum,
    own share met, dates inside the funding year)."""
    return submission_problems(
        application.cost_plan(),
        program=application.program,
        funding_year=application.call.funding_year,
        title=application.title,
        summary=application.summary,
    )


@Condition
def within_fast_track_ceiling(application) -> Problems:
    """PfD rules: the office decides alone up to the fast-track ceiling."""
    ceiling = application.program.fast_track_ceiling
    if application.requested_amount > ceiling:
        return {
            "requested_amount": [
                _("The requested grant exceeds the fast-track ceiling of %(ceiling)s.")
                % {"ceiling": format_eur(ceiling)}
            ]
        }
    return {}


def _committee_recommends(outcome: str, refusal: Promise) -> Condition:
    def explain(application) -> Problems:
        # Imported here: the selectors read the models, which import this module.
        from projects.selectors import application_tally

        result = application_tally(application)
        if result.outcome == outcome:
            return {}
        return {"committee": [f"{refusal} {result.reason_text}"]}

    explain.__name__ = f"committee_recommends_{outcome}"
    explain.__doc__ = (
        'DOMAIN.md, "Committee review": the body recommends, the office decides; the '
        f"office records {outcome} only when the tally (quorum and majority) says so."
    )
    return Condition(explain)


committee_recommends_approval = _committee_recommends(
    "approve", gettext_lazy("The committee does not recommend approval.")
)
committee_recommends_rejection = _committee_recommends(
    "reject", gettext_lazy("The committee has not decided against the application.")
)


@Condition
def application_is_funded(payout) -> Problems:
    """DOMAIN.md: payouts only while the application is funded."""
    if payout.application.state != "funded":
        return {
            "application": [
                _("Payouts are possible only while the project is funded (it is “%(state)s”).")
                % {"state": payout.application.get_state_display()}
            ]
        }
    return {}


@Condition
def proof_of_use_is_ready(application) -> Problems:
    """DOMAIN.md: a narrative report is present, the sponsor certified the proof, and the
    project has ended or all funds are spent (the receipts reach the approved grant)."""
    from projects.funding import current_end_date
    from projects.models import ProofOfUse

    problems: Problems = {}
    proof = ProofOfUse.objects.filter(application=application).first()
    if proof is None or not proof.narrative.strip():
        problems["narrative"] = [_("The narrative report (Sachbericht) is missing.")]
    if proof is None or proof.certified_at is None:
        problems["certified"] = [
            _(
                "The sponsor's certification is missing: that the money was spent "
                "economically and according to the grant's conditions, and that the "
                "figures match the books and receipts."
            )
        ]
    end = current_end_date(application)
    ended = end is not None and end < timezone.localdate()
    if not ended:
        deducts = application.organization.deducts_input_tax
        spent = sum((e.claimed(deducts) for e in application.expenditures.all()), Decimal("0"))
        if spent < (application.approved_amount or Decimal("0")):
            problems["end_date"] = [
                _("The project has not ended and the receipts do not yet reach the grant.")
            ]
    return problems


@Condition
def proof_is_checked(application) -> Problems:
    """DOMAIN.md, "Receipts and their review": the office accepts the proof of use only
    with its check note (Prüfvermerk) recorded."""
    from projects.models import ProofOfUse

    proof = ProofOfUse.objects.filter(application=application).first()
    if proof is None or proof.checked_at is None:
        return {
            "check_note": [
                _("Record the check note (Prüfvermerk) first: extent, findings and result.")
            ]
        }
    return {}
