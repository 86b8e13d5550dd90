"""Program rules fit together (``Program.clean``): checked once in the model layer and
refused alike through the API, the admin and the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from grants.models import Program


def program(**rules):
    return Program(code="PFD-X", name="X", funder_name="BAFzA", **rules)


def test_defaults_fit_together():
    program().clean()  # no database: clean() reads the instance only


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"min_grant": Decimal("200"), "max_grant": Decimal("100")}, "max_grant"),
        ({"max_grant": Decimal("400"), "fast_track_ceiling": Decimal("500")}, "fast_track_ceiling"),
    ],
)
def test_rules_that_contradict_each_other_are_refused(rules, field):
    with pytest.raises(ValidationError) as refused:
        program(**rules).clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize("field", ["min_own_share_percent", "category_tolerance_percent"])
@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
def test_percentages_lie_between_0_and_100(field, value):
    with pytest.raises(ValidationError) as refused:
        program(**{field: value}).clean_fields()
    assert field in refused.value.message_dict


def test_api_refuses_a_ceiling_above_the_maximum_and_saves_nothing(world, api):
    response = api(world.office).patch(
        f"/api/programs/{world.program.pk}/", {"fast_track_ceiling": "6000.00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "fast_track_ceiling" in response.json()["errors"]
    world.program.refresh_from_db()
    assert world.program.fast_track_ceiling == Decimal("500.00")


def test_api_refuses_a_new_program_whose_minimum_exceeds_its_maximum(world, api):
    response = api(world.admin).post(
        "/api/programs/",
        {
            "code": "NEU",
            "name": "Neu",
            "funder_name": "Land",
            "min_grant": "300.00",
            "max_grant": "200.00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "max_grant" in response.json()["errors"]
    assert not Program.objects.filter(code="NEU").exists()


def _admin_post(world, **changes):
    browser = Client()
    browser.force_login(world.admin)
    url = f"/admin/grants/program/{world.program.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"funder_contacts": "[]", **changes})
    for prefix in ("categories", "roles"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return browser.post(url, data)


def test_admin_saves_a_ceiling_within_the_maximum(world):
    """The control case: the form below is complete, so a refusal means the rule."""
    response = _admin_post(world, fast_track_ceiling="400.00")
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.fast_track_ceiling == Decimal("400.00")


def test_admin_refuses_a_ceiling_above_the_maximum(world):
    response = _admin_post(world, fast_track_ceiling="9000.00")

    assert response.status_code == 200
    assert "fast_track_ceiling" in response.context["adminform"].form.errors
    world.program.refresh_from_db()
    assert world.program.fast_track_ceiling == Decimal("500.00")
