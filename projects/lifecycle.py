"""The application lifecycle (DOMAIN.md, "Application lifecycle") with django-fsm-2.

Each transition is declared here once: source, target, conditions, permission, and
(``custom=declare(...)``) its label, the inputs it takes and who is told of it. The
methods only set fields; ``workflows.services`` holds one service function per
transition, run by the kernel's runner (lock, checks, audit, notification). Never call
the methods directly; ``state`` is protected and no view assigns it.

The state machine lives with the model in ``projects`` so that the layers below
``workflows`` can read an application's state and transitions (decision 005).
"""

from __future__ import annotations

from decimal import Decimal

import rules
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from core.transitions import ConcurrentTransitionMixin, Input, StateField, comment, declare
from projects.conditions import (
    application_is_funded,
    call_is_open,
    committee_recommends_approval,
    committee_recommends_rejection,
    cost_plan_is_complete,
    proof_is_checked,
    proof_of_use_is_ready,
    required_annexes_are_clean,
    within_fast_track_ceiling,
)
from projects.states import ApplicationState as S
from projects.states import ChangeRequestState, PayoutState


class Audience:
    """Who hears of a transition; ``workflows.notifications`` knows each one's people."""

    SPONSOR = "sponsor"  # the members of the applying organisation
    OFFICE = "office"  # the program's office, once it can see the application
    COMMITTEE = "committee"  # the program's committee members


def _object_permission(name: str):
    """Ask the rules layer about this application only: django-fsm would otherwise fall
    back to a model-wide ``has_perm`` that no Zuwendo role grants. Asked of ``rules``
    directly, not through Django's chain of authentication back ends: the list asks
    this for every transition of every row (six times a row), and the chain builds
    every back end anew for each question."""

    def check(application, user) -> bool:
        return rules.has_perm(name, user, application)

    check.__name__ = name
    return check


SPONSOR = _object_permission("projects.take_sponsor_step")
OFFICE = _object_permission("projects.take_office_step")

APPROVED_AMOUNT = Input(
    "approved_amount",
    "money",
    _("approved grant"),
    help_text=_("Empty: the requested amount."),
)
COMMITTEE_APPROVED_AMOUNT = Input(
    "approved_amount",
    "money",
    _("approved grant"),
    required=True,
    help_text=_("At most the requested amount."),
)
APPROVED_COSTS = Input(
    "approved_costs",
    "money",
    _("approved eligible costs"),
    help_text=_(
        "Only below the request. Empty: deficit and full financing: the planned costs less "
        "the cut; share financing: the costs at the same share; fixed: the planned costs."
    ),
)
CONDITIONS = Input("conditions", "text", _("conditions (Auflagen)"))
REJECT = declare(label=_("Reject"), inputs=(comment(required=True),), notify=Audience.SPONSOR)
HEARING_ON = Input("hearing_on", "date", _("hearing (Anhörung) on"), required=True)
RECLAIM_AMOUNT = Input(
    "reclaim_amount",
    "money",
    _("amount to repay"),
    help_text=_("Empty: everything paid out."),
)
EFFECTIVE_FROM = Input(
    "effective_from",
    "date",
    _("revoked with effect from"),
    help_text=_("Interest runs from this day, never before a payout. Empty: each payout's day."),
)
PROOF_EFFECTIVE_FROM = Input(
    "effective_from",
    "date",
    _("grant reduced with effect from"),
    help_text=_("Empty: the day the proof of use was submitted; an earlier day needs a reason."),
)
EFFECTIVE_REASON = Input("effective_reason", "text", _("reason for the earlier day"))
WAIVE_INTEREST = Input("waive_interest", "bool", _("waive the interest (§ 49a Abs. 3 S. 2)"))
REPAID_AMOUNT = Input("repaid_amount", "money", _("repaid amount"), required=True)
REPAID_ON = Input("repaid_on", "date", _("repaid on"), required=True)
PAID_ON = Input("paid_on", "date", _("paid on"), help_text=_("Empty: today."))


class ApplicationLifecycle(ConcurrentTransitionMixin, models.Model):
    state = StateField(
        _("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[call_is_open, cost_plan_is_complete, required_annexes_are_clean],
        permission=SPONSOR,
        custom=declare(label=_("Submit"), inputs=(comment(),), notify=Audience.OFFICE),
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.REVISION_REQUESTED,
        permission=OFFICE,
        custom=declare(
            label=_("Request revision"),
            inputs=(comment(required=True),),
            notify=Audience.SPONSOR,
        ),
    )
    def request_revision(self) -> None:
        pass

    @transition(
        field=state,
        source=S.REVISION_REQUESTED,
        target=S.SUBMITTED,
        conditions=[cost_plan_is_complete, required_annexes_are_clean],
        permission=SPONSOR,
        custom=declare(label=_("Resubmit"), inputs=(comment(),), notify=Audience.OFFICE),
    )
    def resubmit(self) -> None:
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.COMMITTEE_REVIEW,
        conditions=[cost_plan_is_complete],
        permission=OFFICE,
        custom=declare(
            label=_("Put before the committee"),
            inputs=(comment(),),
            notify=Audience.COMMITTEE,
        ),
    )
    def forward_to_committee(self) -> None:
        self.forwarded_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.APPROVED,
        conditions=[cost_plan_is_complete, within_fast_track_ceiling],
        permission=OFFICE,
        custom=declare(
            label=_("Approve (fast track)"),
            inputs=(APPROVED_AMOUNT, APPROVED_COSTS, CONDITIONS, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def fast_track_approve(
        self, *, approved_amount: Decimal, approved_costs=None, conditions: str = ""
    ) -> None:
        self._record_approval(approved_amount, approved_costs, conditions)

    @transition(
        field=state,
        source=S.COMMITTEE_REVIEW,
        target=S.APPROVED,
        conditions=[committee_recommends_approval],
        permission=OFFICE,
        custom=declare(
            label=_("Approve (committee's recommendation)"),
            inputs=(COMMITTEE_APPROVED_AMOUNT, APPROVED_COSTS, CONDITIONS, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def approve(
        self, *, approved_amount: Decimal, approved_costs=None, conditions: str = ""
    ) -> None:
        self._record_approval(approved_amount, approved_costs, conditions)

    def _record_approval(self, approved_amount: Decimal, approved_costs, conditions: str) -> None:
        self.approved_amount = approved_amount
        self.approved_costs = approved_costs
        self.conditions = conditions
        self.decided_at = timezone.now()

    # From submitted the office rejects alone; from committee review only when the
    # committee's tally does not approve (quorum reached, majority against or a tie).
    @transition(
        field=state, source=S.SUBMITTED, target=S.REJECTED, permission=OFFICE, custom=REJECT
    )
    @transition(
        field=state,
        source=S.COMMITTEE_REVIEW,
        target=S.REJECTED,
        conditions=[committee_recommends_rejection],
        permission=OFFICE,
        custom=REJECT,
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.COMMITTEE_REVIEW, S.APPROVED],
        target=S.WITHDRAWN,
        permission=SPONSOR,
        custom=declare(label=_("Withdraw"), inputs=(comment(),), notify=Audience.OFFICE),
    )
    def withdraw(self) -> None:
        self.withdrawn_at = timezone.now()

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.FUNDED,
        permission=SPONSOR,
        custom=declare(
            label=_("Accept the grant agreement"), inputs=(comment(),), notify=Audience.OFFICE
        ),
    )
    def accept_agreement(self) -> None:
        pass

    @transition(
        field=state,
        source=S.FUNDED,
        target=S.PROOF_SUBMITTED,
        conditions=[proof_of_use_is_ready],
        permission=SPONSOR,
        custom=declare(
            label=_("Submit the proof of use"), inputs=(comment(),), notify=Audience.OFFICE
        ),
    )
    def submit_proof_of_use(self, *, retention_until) -> None:
        self.proof_submitted_at = timezone.now()
        self.retention_until = retention_until

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=S.FUNDED,
        permission=OFFICE,
        custom=declare(
            label=_("Request a revised proof of use"),
            inputs=(comment(required=True),),
            notify=Audience.SPONSOR,
        ),
    )
    def request_proof_revision(self) -> None:
        pass

    @transition(
        field=state,
        source=S.PROOF_SUBMITTED,
        target=RETURN_VALUE(S.CLOSED, S.REPAYMENT_DUE),
        conditions=[proof_is_checked],
        permission=OFFICE,
        custom=declare(
            label=_("Accept the proof of use"),
            inputs=(WAIVE_INTEREST, PROOF_EFFECTIVE_FROM, EFFECTIVE_REASON, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def accept_proof(
        self,
        *,
        reclaim_amount: Decimal,
        proven_amount: Decimal,
        effective_from,
        effective_reason: str = "",
        waive_interest: bool,
    ):
        """DOMAIN.md: to ``repayment_due`` when more was paid out than the eligible grant,
        else ``closed``. The eligible grant is kept as the amount proven (the funder
        report's "nachgewiesen")."""
        self.proof_accepted_at = timezone.now()
        self.proven_amount = proven_amount
        self.reclaim_amount = reclaim_amount
        if reclaim_amount > 0:
            self.reclaim_set_on = timezone.localdate()
            self.interest_from = effective_from
            self.interest_from_reason = effective_reason
            self.interest_waived = waive_interest
            return S.REPAYMENT_DUE
        return S.CLOSED

    @transition(
        field=state,
        source=[S.FUNDED, S.PROOF_SUBMITTED],
        target=S.REPAYMENT_DUE,
        permission=OFFICE,
        custom=declare(
            label=_("Revoke the grant (Widerruf)"),
            inputs=(comment(required=True), HEARING_ON, RECLAIM_AMOUNT, EFFECTIVE_FROM),
            notify=Audience.SPONSOR,
        ),
    )
    def revoke(self, *, hearing_on, reclaim_amount: Decimal, effective_from) -> None:
        self.hearing_on = hearing_on
        self.reclaim_amount = reclaim_amount
        self.reclaim_set_on = timezone.localdate()
        self.interest_from = effective_from
        self.interest_waived = False

    @transition(
        field=state,
        source=S.REPAYMENT_DUE,
        target=S.CLOSED,
        permission=OFFICE,
        custom=declare(
            label=_("Confirm the repayment"),
            inputs=(REPAID_AMOUNT, REPAID_ON, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def confirm_repayment(self, *, repaid_amount: Decimal, repaid_on, interest: Decimal) -> None:
        self.repaid_amount = repaid_amount
        self.repaid_on = repaid_on
        self.interest_amount = interest


class PayoutLifecycle(ConcurrentTransitionMixin, models.Model):
    """DOMAIN.md: a payout request is requested → approved → paid, or rejected; the office
    decides and pays, only while the application is funded."""

    state = StateField(
        _("state"),
        default=PayoutState.REQUESTED,
        choices=PayoutState.choices,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=PayoutState.REQUESTED,
        target=PayoutState.APPROVED,
        conditions=[application_is_funded],
        permission=OFFICE,
        custom=declare(label=_("Approve"), inputs=(comment(),), notify=Audience.SPONSOR),
    )
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=PayoutState.REQUESTED,
        target=PayoutState.REJECTED,
        permission=OFFICE,
        custom=declare(
            label=_("Reject"), inputs=(comment(required=True),), notify=Audience.SPONSOR
        ),
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=PayoutState.APPROVED,
        target=PayoutState.PAID,
        conditions=[application_is_funded],
        permission=OFFICE,
        custom=declare(
            label=_("Mark as paid"), inputs=(PAID_ON, comment()), notify=Audience.SPONSOR
        ),
    )
    def mark_paid(self, *, paid_on, window_ends_on) -> None:
        self.paid_on = paid_on
        self.window_ends_on = window_ends_on


class ChangeRequestLifecycle(ConcurrentTransitionMixin, models.Model):
    """ANBest-P 5: the sponsor asks to change the period or to move money between
    categories; the office grants or refuses, while the project is funded."""

    state = StateField(
        _("state"),
        default=ChangeRequestState.REQUESTED,
        choices=ChangeRequestState.choices,
        protected=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=ChangeRequestState.REQUESTED,
        target=ChangeRequestState.GRANTED,
        conditions=[application_is_funded],
        permission=OFFICE,
        custom=declare(label=_("Grant"), inputs=(comment(),), notify=Audience.SPONSOR),
    )
    def grant(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=ChangeRequestState.REQUESTED,
        target=ChangeRequestState.REFUSED,
        permission=OFFICE,
        custom=declare(
            label=_("Refuse"), inputs=(comment(required=True),), notify=Audience.SPONSOR
        ),
    )
    def refuse(self) -> None:
        self.decided_at = timezone.now()
