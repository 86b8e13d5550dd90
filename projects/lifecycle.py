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

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.transitions import Input, comment, declare
from projects.conditions import (
    call_is_open,
    committee_recommends_approval,
    committee_recommends_rejection,
    cost_plan_is_complete,
    within_fast_track_ceiling,
)
from projects.states import ApplicationState as S


class Audience:
    """Who hears of a transition; ``workflows.notifications`` knows each one's people."""

    SPONSOR = "sponsor"  # the members of the applying organisation
    OFFICE = "office"  # the program's office, once it can see the application
    COMMITTEE = "committee"  # the program's committee members


def _object_permission(name: str):
    """Ask the rules layer about this application only: django-fsm would otherwise fall
    back to a model-wide ``has_perm`` that no Zuwendo role grants."""

    def check(application, user) -> bool:
        return user.has_perm(name, application)

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
CONDITIONS = Input("conditions", "text", _("conditions (Auflagen)"))
REJECT = declare(label=_("Reject"), inputs=(comment(required=True),), notify=Audience.SPONSOR)


class ApplicationLifecycle(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[call_is_open, cost_plan_is_complete],
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
        conditions=[cost_plan_is_complete],
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
            inputs=(APPROVED_AMOUNT, CONDITIONS, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def fast_track_approve(self, *, approved_amount: Decimal, conditions: str = "") -> None:
        self._record_approval(approved_amount, conditions)

    @transition(
        field=state,
        source=S.COMMITTEE_REVIEW,
        target=S.APPROVED,
        conditions=[committee_recommends_approval],
        permission=OFFICE,
        custom=declare(
            label=_("Approve (committee's recommendation)"),
            inputs=(COMMITTEE_APPROVED_AMOUNT, CONDITIONS, comment()),
            notify=Audience.SPONSOR,
        ),
    )
    def approve(self, *, approved_amount: Decimal, conditions: str = "") -> None:
        self._record_approval(approved_amount, conditions)

    def _record_approval(self, approved_amount: Decimal, conditions: str) -> None:
        self.approved_amount = approved_amount
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
        pass

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
