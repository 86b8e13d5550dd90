"""Decision bodies (issue #8): every program has a default body, calls name theirs,
committee roles sit on one, with deputies and membership dates."""

from datetime import timedelta

from django.utils import timezone

from grants.models import DecisionBody, ProgramRole, User
from grants.roles import roles_of
from tests.factories import (
    CallFactory,
    ProgramFactory,
    UserFactory,
    grant_role,
)


def test_new_program_has_a_default_body_named_as_its_committee(db):
    program = ProgramFactory(committee_name="Begleitausschuss Koblenz")
    body = program.default_body()
    assert body.name == "Begleitausschuss Koblenz"
    assert body.kind == DecisionBody.Kind.COMMITTEE
    assert program.bodies.count() == 1


def test_call_without_body_is_decided_by_the_default_body(db):
    call = CallFactory()
    assert call.body == call.program.default_body()


def test_committee_role_without_body_sits_on_the_default_body(world):
    role = ProgramRole.objects.get(user=world.committee)
    assert role.body == world.program.default_body()


def test_office_adds_a_youth_forum(world, api):
    url = f"/api/programs/{world.program.pk}/bodies/"
    response = api(world.office).post(
        url, {"name": "Jugendforum", "kind": "youth_forum"}, format="json"
    )
    assert response.status_code == 201, response.json()
    names = [body["name"] for body in api(world.sponsor_a).get(url).json()["results"]]
    assert names == [world.program.committee_name, "Jugendforum"]


def test_body_name_is_unique_in_the_program(world, api):
    url = f"/api/programs/{world.program.pk}/bodies/"
    name = world.program.default_body().name
    response = api(world.office).post(url, {"name": name, "kind": "other"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert world.program.bodies.count() == 1


def test_sponsor_cannot_add_a_body(world, api):
    url = f"/api/programs/{world.program.pk}/bodies/"
    response = api(world.sponsor_a).post(url, {"name": "X", "kind": "other"}, format="json")
    assert response.status_code == 403


def test_call_with_a_body_of_another_program_is_refused(world, api):
    foreign = ProgramFactory().default_body()
    now = timezone.now()
    response = api(world.office).post(
        "/api/calls/",
        {
            "program": world.program.pk,
            "title": "Jugendfonds",
            "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=30)).isoformat(),
            "body": foreign.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_call_names_its_body(world, api):
    forum = DecisionBody.objects.create(
        program=world.program, name="Jugendforum", kind="youth_forum"
    )
    response = api(world.office).patch(
        f"/api/calls/{world.call.pk}/", {"body": forum.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["body"] == forum.pk


def _grant(api, world, **body):
    # The office names accounts it knows (#19): those holding a role in its program.
    user = User.objects.get(pk=body["user"])
    if not ProgramRole.objects.filter(user=user, program=world.program).exists():
        grant_role(world.program, "funder", user)
    return api(world.office).post(
        f"/api/programs/{world.program.pk}/roles/",
        {"role": "committee", **body},
        format="json",
    )


def test_deputy_of_a_voting_member_votes(world, api):
    principal = ProgramRole.objects.get(user=world.committee)
    deputy = UserFactory()
    response = _grant(api, world, user=deputy.pk, deputy_for=principal.pk, voting=False)
    assert response.status_code == 201, response.json()
    assert response.json()["voting"] is True
    assert response.json()["body"] == principal.body_id


def test_deputy_of_an_advisory_member_is_refused(world, api):
    advisory = grant_role(world.program, "committee", UserFactory(), voting=False)
    principal = ProgramRole.objects.get(user=advisory)
    response = _grant(api, world, user=UserFactory().pk, deputy_for=principal.pk)
    assert response.status_code == 400
    assert "deputy_for" in response.json()["errors"]


def test_deputy_of_a_deputy_is_refused(world, api):
    first = ProgramRole.objects.get(user=world.committee)
    deputy = grant_role(world.program, "committee", UserFactory(), deputy_for=first)
    response = _grant(
        api, world, user=UserFactory().pk, deputy_for=ProgramRole.objects.get(user=deputy).pk
    )
    assert response.status_code == 400
    assert "deputy_for" in response.json()["errors"]


def test_one_deputy_per_member(world, api):
    principal = ProgramRole.objects.get(user=world.committee)
    assert _grant(api, world, user=UserFactory().pk, deputy_for=principal.pk).status_code == 201
    response = _grant(api, world, user=UserFactory().pk, deputy_for=principal.pk)
    assert response.status_code == 400
    assert "deputy_for" in response.json()["errors"]


def test_deputy_from_another_body_is_refused(world, api):
    forum = DecisionBody.objects.create(
        program=world.program, name="Jugendforum", kind="youth_forum"
    )
    principal = ProgramRole.objects.get(user=world.committee)
    response = _grant(api, world, user=UserFactory().pk, body=forum.pk, deputy_for=principal.pk)
    assert response.status_code == 400
    assert "deputy_for" in response.json()["errors"]


def test_member_with_a_deputy_cannot_be_removed_before_the_deputy(world, api):
    principal = ProgramRole.objects.get(user=world.committee)
    grant_role(world.program, "committee", UserFactory(), deputy_for=principal)
    response = api(world.office).delete(f"/api/programs/{world.program.pk}/roles/{principal.pk}/")
    assert response.status_code == 400
    assert ProgramRole.objects.filter(pk=principal.pk).exists()


def test_one_chair_per_body_but_each_body_has_its_own(world, api):
    forum = DecisionBody.objects.create(
        program=world.program, name="Jugendforum", kind="youth_forum"
    )
    assert _grant(api, world, user=UserFactory().pk, chair=True).status_code == 201
    assert _grant(api, world, user=UserFactory().pk, chair=True).status_code == 400
    assert _grant(api, world, user=UserFactory().pk, body=forum.pk, chair=True).status_code == 201


def test_same_person_may_sit_on_two_bodies_of_a_program(world, api):
    forum = DecisionBody.objects.create(
        program=world.program, name="Jugendforum", kind="youth_forum"
    )
    response = _grant(api, world, user=world.committee.pk, body=forum.pk)
    assert response.status_code == 201
    assert _grant(api, world, user=world.committee.pk).status_code == 400


def test_former_member_holds_no_committee_role(world, api):
    role = ProgramRole.objects.get(user=world.committee)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = api(world.office).patch(
        f"/api/programs/{world.program.pk}/roles/{role.pk}/",
        {"valid_until": yesterday.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    world.committee.refresh_from_db()
    assert roles_of(world.committee).committee_body_ids == frozenset()


def test_membership_cannot_end_before_it_starts(world, api):
    role = ProgramRole.objects.get(user=world.committee)
    response = api(world.office).patch(
        f"/api/programs/{world.program.pk}/roles/{role.pk}/",
        {"valid_from": "2026-05-01", "valid_until": "2026-04-30"},
        format="json",
    )
    assert response.status_code == 400
    role.refresh_from_db()
    assert role.valid_until is None


def test_a_body_says_whether_conflicted_members_count_in_its_quorum_base(world, api):
    """#21: the body's rules decide; default: they count (§ 90 VwVfG read strictly)."""
    url = f"/api/programs/{world.program.pk}/bodies/"
    strict = api(world.office).post(url, {"name": "Jugendforum"}, format="json")
    assert strict.status_code == 201, strict.json()
    assert strict.json()["conflicted_in_quorum_base"] is True
    lenient = api(world.office).post(
        url, {"name": "Beirat", "conflicted_in_quorum_base": False}, format="json"
    )
    assert lenient.status_code == 201, lenient.json()
    assert lenient.json()["conflicted_in_quorum_base"] is False
    wrong = api(world.office).post(
        url, {"name": "Dritter", "conflicted_in_quorum_base": "maybe"}, format="json"
    )
    assert wrong.status_code == 400
