"""The organisation page in the admin changes members through the services: audited,
and the last member stays."""

from django.test import Client

from core.audit import trail_of
from projects.models import Membership
from tests.factories import UserFactory


def _post(world, **rows):
    browser = Client()
    browser.force_login(world.admin)
    url = f"/admin/projects/organization/{world.org_a.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(rows)
    return browser.post(url, data)


def _membership_rows(world, *users, delete=()):
    existing = list(Membership.objects.filter(organization=world.org_a).order_by("pk"))
    rows = {
        "memberships-TOTAL_FORMS": str(len(existing) + len(users)),
        "memberships-INITIAL_FORMS": str(len(existing)),
    }
    for index, membership in enumerate(existing):
        rows[f"memberships-{index}-id"] = str(membership.pk)
        rows[f"memberships-{index}-organization"] = str(world.org_a.pk)
        rows[f"memberships-{index}-user"] = str(membership.user_id)
        if membership.user in delete:
            rows[f"memberships-{index}-DELETE"] = "on"
    for offset, user in enumerate(users, start=len(existing)):
        rows[f"memberships-{offset}-user"] = str(user.pk)
        rows[f"memberships-{offset}-organization"] = str(world.org_a.pk)
    return rows


def test_admin_adds_a_member_through_the_service(world):
    newcomer = UserFactory()
    response = _post(world, **_membership_rows(world, newcomer))
    assert response.status_code == 302
    assert Membership.objects.filter(organization=world.org_a, user=newcomer).exists()
    assert [entry.event for entry in trail_of(world.org_a)] == ["organization.add_member"]


def test_admin_removes_a_member_through_the_service(world):
    colleague = UserFactory()
    Membership.objects.create(organization=world.org_a, user=colleague)
    response = _post(world, **_membership_rows(world, delete=[colleague]))
    assert response.status_code == 302
    assert not Membership.objects.filter(organization=world.org_a, user=colleague).exists()
    assert [entry.event for entry in trail_of(world.org_a)] == ["organization.remove_member"]
