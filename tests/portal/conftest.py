"""Fixtures of the portal's tests."""

import pytest

from tests.factories import seat_committee


@pytest.fixture
def review(world, application_in):
    """An application under the review of a seated body (five voting members, one of
    them chairs, one advisory)."""
    seat_committee(world)
    world.application = application_in("committee_review")
    return world
