"""The lifecycle's conditions over unsaved objects: no database, and each one both
answers django-fsm's yes/no and explains a refusal."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from grants.models import Call, Program
from projects.conditions import call_is_open, cost_plan_is_complete, within_fast_track_ceiling
from projects.validation import CostPlan


def application(*, opens=-1, closes=30, requested="400.00", title="Werkstatt", lines=("400.00",)):
    now = timezone.now()
    call = Call(
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        funding_year=2027,
    )
    plan = CostPlan(
        start_date=date(2027, 3, 1),
        end_date=date(2027, 6, 30),
        own_funds=Decimal("0"),
        third_party_funds=Decimal("0"),
        line_amounts=tuple(Decimal(a) for a in lines),
    )
    return SimpleNamespace(
        call=call,
        program=Program(max_grant=Decimal("5000.00"), fast_track_ceiling=Decimal("500.00")),
        title=title,
        summary="Vier Workshops.",
        requested_amount=Decimal(requested),
        cost_plan=lambda: plan,
    )


def test_call_is_open_between_opening_and_deadline():
    assert call_is_open(application())
    assert call_is_open.reasons(application()) == {}


def test_call_not_yet_open_is_explained():
    early = application(opens=2)
    assert not call_is_open(early)
    assert list(call_is_open.reasons(early)) == ["call"]


def test_call_closed_at_its_deadline():
    closed = application(opens=-10, closes=0)
    assert not call_is_open(closed)
    assert "call" in call_is_open.reasons(closed)


def test_cost_plan_condition_names_the_missing_field():
    untitled = application(title="")
    assert not cost_plan_is_complete(untitled)
    assert list(cost_plan_is_complete.reasons(untitled)) == ["title"]


def test_fast_track_ceiling_is_inclusive():
    assert within_fast_track_ceiling(application(requested="500.00"))
    over = application(requested="500.01")
    assert not within_fast_track_ceiling(over)
    assert "requested_amount" in within_fast_track_ceiling.reasons(over)
