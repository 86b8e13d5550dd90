"""The dated base-rate table (issue #9): seeded with the published values, extended by
administrators, one rate per day."""

from decimal import Decimal

import pytest

from grants.models import BaseRate


def test_the_published_rates_are_there(db):
    assert [(str(r.valid_from), r.rate_percent) for r in BaseRate.objects.all()][:9] == [
        ("2015-01-01", Decimal("-0.83")),  # DOMAIN.md's table from 2015 (#21)
        ("2016-07-01", Decimal("-0.88")),
        ("2023-01-01", Decimal("1.62")),
        ("2023-07-01", Decimal("3.12")),
        ("2024-01-01", Decimal("3.62")),
        ("2024-07-01", Decimal("3.37")),
        ("2025-01-01", Decimal("2.27")),
        ("2025-07-01", Decimal("1.27")),
        ("2026-01-01", Decimal("1.27")),
    ]


def test_admin_adds_a_rate_once_per_day(world, api):
    body = {"valid_from": "2031-07-01", "rate_percent": "1.52"}
    assert api(world.admin).post("/api/base-rates/", body, format="json").status_code == 201
    again = api(world.admin).post("/api/base-rates/", body, format="json")
    assert again.status_code == 400
    assert "valid_from" in again.json()["errors"]
    rates = api(world.sponsor_a).get("/api/base-rates/").json()["results"]
    assert rates[-1] == {"id": rates[-1]["id"], "valid_from": "2031-07-01", "rate_percent": "1.52"}


def test_a_rate_out_of_range_is_refused(world, api):
    body = {"valid_from": "2027-01-01", "rate_percent": "99"}
    assert api(world.admin).post("/api/base-rates/", body, format="json").status_code == 400
    assert not BaseRate.objects.filter(valid_from="2027-01-01").exists()


@pytest.mark.no_current_base_rate
def test_the_admin_index_and_the_system_check_warn_of_the_missing_half_year(world, client):
    """#21: the current half-year has no row: the admin's index says so (and which), as
    does ``manage.py check``; with the row entered, both are quiet."""
    from django.core import checks
    from django.utils import timezone

    from grants.models import BaseRate

    today = timezone.localdate()
    start = today.replace(month=1 if today.month <= 6 else 7, day=1)
    BaseRate.objects.filter(valid_from__gte=start).delete()
    half = f"{today.year}-H{1 if today.month <= 6 else 2}"
    client.force_login(world.admin)
    page = client.get("/admin/")
    assert page.status_code == 200
    assert half in page.content.decode()
    assert [m.id for m in checks.run_checks() if m.id == "zuwendo.W001"] == ["zuwendo.W001"]
    BaseRate.objects.create(valid_from=start, rate_percent="1.27")
    assert half not in client.get("/admin/").content.decode()
    assert not [m for m in checks.run_checks() if m.id == "zuwendo.W001"]
