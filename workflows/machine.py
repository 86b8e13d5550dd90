"""The application state machine (DOMAIN.md, "Application lifecycle") with django-fsm-2.

The transitions live on an abstract model that ``projects.Application`` inherits, so the
lifecycle is read in one place. The methods only set fields: locking, permission checks,
the audit entry and notifications belong to ``workflows.services``. Never call them
directly; ``state`` is protected and no view assigns it.

``custom`` carries what the API and admin show: ``label``, ``needs`` (inputs the
caller must give) and ``accepts`` (optional inputs).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.conditions import call_is_open, cost_plan_is_complete, within_fast_track_ceiling
from workflows.states import ApplicationState as S


def _object_permission(name: str):
    """Ask the rules layer about this application only: django-fsm would otherwise fall
    back to a model-wide ``has_perm`` that no Zuwendo role grants."""

    def check(application, user) -> bool:
        return user.has_perm(name, application)

    check.__name__ = name
    return check


SPONSOR = _object_permission("workflows.submit_application")
OFFICE = _object_permission("workflows.check_application")


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[call_is_open, cost_plan_is_complete],
        permission=SPONSOR,
        custom={"label": _("Submit"), "needs": [], "accepts": ["comment"]},
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.REVISION_REQUESTED,
        permission=OFFICE,
        custom={"label": _("Request revision"), "needs": ["comment"], "accepts": []},
    )
    def request_revision(self) -> None:
        pass

    @transition(
        field=state,
        source=S.REVISION_REQUESTED,
        target=S.SUBMITTED,
        conditions=[cost_plan_is_complete],
        permission=SPONSOR,
        custom={"label": _("Resubmit"), "needs": [], "accepts": ["comment"]},
    )
    def resubmit(self) -> None:
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.COMMITTEE_REVIEW,
        conditions=[cost_plan_is_complete],
        permission=OFFICE,
        custom={"label": _("Put before the committee"), "needs": [], "accepts": ["comment"]},
    )
    def forward_to_committee(self) -> None:
        self.forwarded_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.APPROVED,
        conditions=[cost_plan_is_complete, within_fast_track_ceiling],
        permission=OFFICE,
        custom={
            "label": _("Approve (fast track)"),
            "needs": [],
            "accepts": ["approved_amount", "conditions", "comment"],
        },
    )
    def fast_track_approve(self, *, approved_amount: Decimal, conditions: str = "") -> None:
        self.approved_amount = approved_amount
        self.conditions = conditions
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.REJECTED,
        permission=OFFICE,
        custom={"label": _("Reject"), "needs": ["comment"], "accepts": []},
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.COMMITTEE_REVIEW, S.APPROVED],
        target=S.WITHDRAWN,
        permission=SPONSOR,
        custom={"label": _("Withdraw"), "needs": [], "accepts": ["comment"]},
    )
    def withdraw(self) -> None:
        pass

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.FUNDED,
        permission=SPONSOR,
        custom={"label": _("Accept the grant agreement"), "needs": [], "accepts": ["comment"]},
    )
    def accept_agreement(self) -> None:
        pass
