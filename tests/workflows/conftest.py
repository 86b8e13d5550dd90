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
