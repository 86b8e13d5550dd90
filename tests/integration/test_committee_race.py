"""A vote arriving while the office records the decision, on the real PostgreSQL: it is
either counted in the decision or refused with 409, never lost silently; the audit
trail shows which (issue #8)."""

import pytest

from core.audit import trail_of
from core.models import AuditEntry
from projects.models import Vote
from tests.factories import bring_to, client_for, make_application, seat_committee
from tests.integration.racing import race
from workflows import committee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 12


def test_late_vote_is_counted_or_refused_never_lost(world):
    members = seat_committee(world)
    outcomes = {"counted": 0, "refused": 0}
    for _ in range(ROUNDS):
        application = bring_to(world, make_application(world), "committee_review")
        for member in members[:3]:
            committee.vote_cast(application=application, actor=member, choice="approve")
        late = members[3]
        office, voter = client_for(world.office), client_for(late)
        base = f"/api/applications/{application.pk}/"

        decision, vote = race(
            [
                lambda o=office, b=base: o.post(
                    b + "transitions/approve/", {"approved_amount": "400.00"}, format="json"
                ),
                lambda v=voter, b=base: v.post(b + "votes/", {"choice": "reject"}, format="json"),
            ]
        )

        assert decision.status_code == 200, decision.json()
        entry = AuditEntry.objects.get(application=application, action="approve")
        late_votes = Vote.objects.filter(application=application, member=late)
        if vote.status_code == 201:
            # It came first: the decision counted it, and its trail says it was cast.
            counted = late_votes.get()
            assert counted.pk in entry.data["counted_votes"]
            assert entry.data["tally"]["votes"] == {"approve": 3, "reject": 1, "abstain": 0}
            assert [e.event for e in trail_of(counted)] == ["vote.cast"]
            assert trail_of(counted).get().at < entry.at
            outcomes["counted"] += 1
        else:
            # It came second: refused, nothing saved, and the decision counted three.
            assert vote.status_code == 409, vote.json()
            assert vote.json()["code"] == "transition_not_allowed"
            assert not late_votes.exists()
            assert entry.data["tally"]["votes"] == {"approve": 3, "reject": 0, "abstain": 0}
            outcomes["refused"] += 1
    print(f"\nlate vote vs decision, {ROUNDS} rounds: {outcomes}")
    assert sum(outcomes.values()) == ROUNDS
