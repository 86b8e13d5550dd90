"""The application lifecycle's conditions: pure functions of the application that
explain their refusal (``core.transitions.Condition``).

They read the application and its related rows through the instance only and import
nothing of ``projects`` above the lifecycle: the models import the lifecycle, which
imports these conditions, so an import of the models, the selectors or the funding reads
from here would close a circle (#21; ``tests/test_import_cycles.py`` keeps it open).
What they need from above (the committee's tally, the project's current end) is handed
in once at start-up by ``projects.apps`` (``provide``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_eur
from core.transitions import Condition
from projects.validation import Problems, submission_problems


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Set by ``projects.apps`` when the app registry is ready (``provide``).
_READERS: dict[str, Callable[[Any], Any]] = {}


def provide(*, tally: Callable[[Any], Any], end_date: Callable[[Any], date | None]) -> None:
    """Hand in the readers from the layers that import the models: the committee's
    tally of an application and its end as granted last."""
    _READERS.update(tally=tally, end_date=end_date)


def _proof(application):
    """The proof of use as stored now (not the instance's cached relation): its model
    through the application's meta, without an import of the models."""
    model = application._meta.get_field("proof_of_use").related_model
    return model.objects.filter(application=application).first()


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
        result = _READERS["tally"](application)
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
    problems: Problems = {}
    proof = _proof(application)
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
    if application.program.receipt_scans == "always":
        scanned = {
            file.owner_id
            for file in application.attachments.all()
            if file.owner == "receipt" and file.scan_state == "clean"
        }
        lines = [line for line in application.expenditures.all() if line.pk not in scanned]
        if lines:
            problems["attachments"] = [
                _(
                    "The program wants a scan of every receipt: %(count)s still missing or "
                    "unscanned."
                )
                % {"count": len(lines)}
            ]
    end = _READERS["end_date"](application)
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
    proof = _proof(application)
    if proof is None or proof.checked_at is None:
        return {
            "check_note": [
                _("Record the check note (Prüfvermerk) first: extent, findings and result.")
            ]
        }
    return {}


@Condition
def required_annexes_are_clean(application) -> Problems:
    """DOMAIN.md, "Attachments": an application is not submitted while an annex its call
    requires is missing or not yet scanned clean (pending, infected)."""
    # Read with ``.all()``: a list of applications prefetches both (one query each for
    # the page), a single application reads them here.
    required = [annex for annex in application.call.annex_types.all() if annex.required]
    if not required:
        return {}
    clean = {
        file.annex_type_id
        for file in application.attachments.all()
        if file.owner == "application" and file.scan_state == "clean"
    }
    missing = [
        annex.name
        for annex in sorted(required, key=lambda annex: (annex.position, annex.pk))
        if annex.pk not in clean
    ]
    if missing:
        return {
            "attachments": [
                _("Required annexes missing or not yet scanned clean: %(names)s.")
                % {"names": ", ".join(missing)}
            ]
        }
    return {}
