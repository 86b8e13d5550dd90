"""Nested endpoints check visibility and permission before they read the body: an
outsider learns nothing from validation errors (CONTRACT.md: 404 for what the caller
may not see, 403 for what the role may not do)."""

import pytest

BAD_BODIES = [{}, {"user": "not-a-number"}, {"code": "Not A Slug!", "name": ""}]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_members_of_an_invisible_organisation_are_404_whatever_the_body(world, api, body):
    response = api(world.sponsor_b).post(
        f"/api/organizations/{world.org_a.pk}/members/", body, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("body", BAD_BODIES)
def test_roles_of_a_program_are_403_for_a_sponsor_whatever_the_body(world, api, body):
    response = api(world.sponsor_a).post(
        f"/api/programs/{world.program.pk}/roles/", body, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("body", BAD_BODIES)
def test_categories_of_another_program_are_403_for_an_office_whatever_the_body(world, api, body):
    response = api(world.other_office).post(
        f"/api/programs/{world.program.pk}/categories/", body, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unknown_program_is_404_before_the_body(world, api):
    response = api(world.admin).post("/api/programs/999999/categories/", {}, format="json")
    assert response.status_code == 404


def test_the_office_still_gets_field_errors(world, api):
    response = api(world.office).post(
        f"/api/programs/{world.program.pk}/categories/", {"code": "Not A Slug!"}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()["errors"]
