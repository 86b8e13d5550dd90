"""Membership by invitation (CONTRACT.md): nobody joins without consent, the answer to
an invitation tells nothing about accounts, and leaving takes effect at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Invitation, Membership
from tests.factories import UserFactory, make_application


def invite(api, inviter, organization, email):
    return api(inviter).post(
        f"/api/organizations/{organization.pk}/invitations/", {"email": email}, format="json"
    )


def events(organization):
    from core.audit import trail_of

    return [entry.event for entry in trail_of(organization)]


def test_the_answer_is_the_same_whether_an_account_exists(
    world, api, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="lkoch", email="lena@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = invite(api, world.sponsor_a, world.org_a, "Lena@example.org")
        unknown = invite(api, world.sponsor_a, world.org_a, "nobody@example.org")

    assert known.status_code == unknown.status_code == 201
    shape = {"id", "created_at", "expires_at", "email"}
    assert set(known.json()) == set(unknown.json())
    assert {k: v for k, v in known.json().items() if k not in shape} == {
        k: v for k, v in unknown.json().items() if k not in shape
    }
    assert "lkoch" not in known.content.decode()  # nothing about the account
    assert [m.to for m in mailoutbox] == [["lena@example.org"], ["nobody@example.org"]]
    assert mailoutbox[0].subject == mailoutbox[1].subject


def test_inviting_again_renews_the_open_invitation(world, api):
    first = invite(api, world.sponsor_a, world.org_a, "lena@example.org").json()
    second = invite(api, world.sponsor_a, world.org_a, "lena@example.org").json()
    assert first["id"] == second["id"]
    assert Invitation.objects.count() == 1


def test_outsiders_cannot_invite(world, api):
    assert invite(api, world.sponsor_b, world.org_a, "x@example.org").status_code == 404
    assert not Invitation.objects.exists()


def test_the_invitee_accepts_and_becomes_a_member(world, api):
    lena = UserFactory(username="lena", email="lena@example.org")
    invite(api, world.sponsor_a, world.org_a, "lena@example.org")

    mine = api(lena).get("/api/invitations/").json()["results"]
    assert [i["organization_name"] for i in mine] == [world.org_a.name]
    response = api(lena).post(f"/api/invitations/{mine[0]['id']}/accept/")

    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    assert Membership.objects.filter(organization=world.org_a, user=lena).exists()
    assert api(lena).get(f"/api/organizations/{world.org_a.pk}/").status_code == 200
    assert events(world.org_a) == ["organization.invite", "organization.accept_invitation"]


def test_someone_not_invited_cannot_join(world, api):
    UserFactory(username="lena", email="lena@example.org")
    intruder = UserFactory(username="intruder", email="intruder@example.org")
    invitation = invite(api, world.sponsor_a, world.org_a, "lena@example.org").json()

    assert api(intruder).get("/api/invitations/").json()["results"] == []
    response = api(intruder).post(f"/api/invitations/{invitation['id']}/accept/")

    assert response.status_code == 404
    assert not Membership.objects.filter(user=intruder).exists()


def test_a_declined_invitation_cannot_be_accepted(world, api):
    lena = UserFactory(username="lena", email="lena@example.org")
    pk = invite(api, world.sponsor_a, world.org_a, "lena@example.org").json()["id"]

    assert api(lena).post(f"/api/invitations/{pk}/decline/").json()["state"] == "declined"
    assert api(lena).post(f"/api/invitations/{pk}/accept/").status_code == 404
    assert not Membership.objects.filter(user=lena).exists()
    assert events(world.org_a)[-1] == "organization.decline_invitation"


def test_an_expired_invitation_is_gone(world, api):
    lena = UserFactory(username="lena", email="lena@example.org")
    pk = invite(api, world.sponsor_a, world.org_a, "lena@example.org").json()["id"]
    Invitation.objects.filter(pk=pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert api(lena).get("/api/invitations/").json()["results"] == []
    assert api(lena).post(f"/api/invitations/{pk}/accept/").status_code == 404


def test_members_cannot_add_people_directly_admins_can(world, api):
    newcomer = UserFactory()
    url = f"/api/organizations/{world.org_a.pk}/members/"

    assert api(world.sponsor_a).post(url, {"user": newcomer.pk}, format="json").status_code == 403
    assert api(world.admin).post(url, {"user": newcomer.pk}, format="json").status_code == 201
    assert events(world.org_a) == ["organization.add_member"]


def test_a_removed_member_loses_sight_at_once(world, api):
    colleague = UserFactory()
    Membership.objects.create(organization=world.org_a, user=colleague)
    application = make_application(world)
    client = api(colleague)
    assert client.get(f"/api/applications/{application.pk}/").status_code == 200

    response = api(world.sponsor_a).delete(
        f"/api/organizations/{world.org_a.pk}/members/{colleague.pk}/"
    )

    assert response.status_code == 204
    assert client.get(f"/api/applications/{application.pk}/").status_code == 404
    assert client.get(f"/api/organizations/{world.org_a.pk}/").status_code == 404
    assert events(world.org_a) == ["organization.remove_member"]


def test_a_member_leaves(world, api):
    colleague = UserFactory()
    Membership.objects.create(organization=world.org_a, user=colleague)

    response = api(colleague).delete(f"/api/organizations/{world.org_a.pk}/members/{colleague.pk}/")

    assert response.status_code == 204
    assert events(world.org_a) == ["organization.leave"]


def test_the_last_member_cannot_leave(world, api):
    response = api(world.sponsor_a).delete(
        f"/api/organizations/{world.org_a.pk}/members/{world.sponsor_a.pk}/"
    )
    assert response.status_code == 400
    assert "user" in response.json()["errors"]
    assert Membership.objects.filter(organization=world.org_a).count() == 1


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_invitation_mail_speaks_the_accounts_language(
    world, api, mailoutbox, django_capture_on_commit_callbacks, language
):
    UserFactory(username="lena", email="lena@example.org", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        invite(api, world.sponsor_a, world.org_a, "lena@example.org")
    expected = "Einladung" if language == "de" else "Invitation"
    assert expected in mailoutbox[0].subject
