"""Fixtures of the workflow tests."""

import pytest
from django.test import Client


@pytest.fixture
def office_browser(world):
    world.office.is_staff = True
    world.office.save()
    browser = Client()
    browser.force_login(world.office)
    return browser


@pytest.fixture
def review(world, application_in):
    """An application before a five-seat committee (chair ``world.chair``, one advisory
    member in ``world.advisory``), decided in writing until the vote deadline."""
    from tests.factories import seat_committee

    seat_committee(world)
    world.application = application_in("committee_review")
    return world
