"""Users, programs, roles, categories and calls over the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import Program, ProgramRole
from tests.factories import UserFactory, grant_role


def test_token_for_right_credentials(db, api):
    UserFactory(username="lena")
    response = api().post(
        "/api/auth/token/", {"username": "lena", "password": "secret-pass-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = api().get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "lena"


def test_token_refused_for_wrong_password(db, api):
    UserFactory(username="lena")
    response = api().post(
        "/api/auth/token/", {"username": "lena", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_bad_token_is_unauthenticated(db, api):
    response = api().get("/api/programs/", HTTP_AUTHORIZATION="Token nonsense")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_lists_roles(world, api):
    data = api(world.committee).get("/api/users/me/").json()
    assert data["program_roles"] == [
        {
            "program": world.program.pk,
            "program_code": "PFD-KO",
            "role": "committee",
            "voting": True,
            "chair": False,
            "body": world.program.default_body().pk,
            "deputy_for": None,
            "valid_from": None,
            "valid_until": None,
        }
    ]
    assert api(world.sponsor_a).get("/api/users/me/").json()["organizations"] == [
        {"id": world.org_a.pk, "name": world.org_a.name}
    ]


def test_admin_creates_user_with_hashed_password(world, api):
    response = api(world.admin).post(
        "/api/users/",
        {
            "username": "neu",
            "email": "n@example.org",
            "password": "lang-genug-2026",
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 201
    assert "password" not in response.json()
    from grants.models import User

    assert User.objects.get(username="neu").check_password("lang-genug-2026")


def test_weak_password_refused(world, api):
    response = api(world.admin).post(
        "/api/users/",
        {"username": "neu", "email": "n@example.org", "password": "123"},
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_program_defaults_follow_domain_rules(world, api):
    response = api(world.admin).post(
        "/api/programs/",
        {"code": "BIF-HRO", "name": "Bildungsfonds", "funder_name": "Stadt"},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["min_grant"] == "0.00"
    assert data["max_grant"] == "10000.00"
    assert data["min_own_share_percent"] == "0.00"
    assert data["financing_type"] == "deficit"
    assert data["fast_track_ceiling"] == "500.00"
    assert data["spending_window_days"] == 42
    assert data["proof_of_use_due_days"] == 42
    assert data["category_tolerance_percent"] == "20.00"
    assert data["quorum_min"] == 3
    assert data["retention_years"] == 5
    assert data["report_frequency"] == "quarterly"
    assert data["currency"] == "EUR"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "pfd ko"}, "code"),
        ({"min_grant": "20000.00"}, "max_grant"),
        ({"max_grant": "-1.00"}, "max_grant"),
        ({"financing_type": "gift"}, "financing_type"),
        ({"funder_contacts": ["not-an-address"]}, "funder_contacts.0"),
    ],
)
def test_program_bad_input(world, api, payload, field):
    response = api(world.office).patch(f"/api/programs/{world.program.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def known(world):
    """An account the office may name: one holding a role in its program already."""
    return grant_role(world.program, "funder", UserFactory())


def test_office_grants_committee_chair(world, api):
    member = known(world)
    response = api(world.office).post(
        f"/api/programs/{world.program.pk}/roles/",
        {"user": member.pk, "role": "committee", "voting": True, "chair": True},
        format="json",
    )
    assert response.status_code == 201
    assert ProgramRole.objects.get(user=member, role="committee").chair


def test_second_chair_refused(world, api):
    first, second = known(world), known(world)
    url = f"/api/programs/{world.program.pk}/roles/"
    api(world.office).post(
        url, {"user": first.pk, "role": "committee", "chair": True}, format="json"
    )
    response = api(world.office).post(
        url, {"user": second.pk, "role": "committee", "chair": True}, format="json"
    )
    assert response.status_code == 400
    assert "chair" in response.json()["errors"]


def test_one_deputy_chair_who_votes_and_is_not_the_chair(world, api):
    """#21: a body may have a deputy chair (stellvertretender Vorsitz)."""
    first, second, third = known(world), known(world), known(world)
    url = f"/api/programs/{world.program.pk}/roles/"
    office = api(world.office)
    both = office.post(
        url,
        {"user": first.pk, "role": "committee", "chair": True, "deputy_chair": True},
        format="json",
    )
    assert both.status_code == 400 and "deputy_chair" in both.json()["errors"]
    advisory = office.post(
        url,
        {"user": first.pk, "role": "committee", "voting": False, "deputy_chair": True},
        format="json",
    )
    assert advisory.status_code == 400
    made = office.post(
        url, {"user": second.pk, "role": "committee", "deputy_chair": True}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["deputy_chair"] is True
    again = office.post(
        url, {"user": third.pk, "role": "committee", "deputy_chair": True}, format="json"
    )
    assert again.status_code == 400 and "deputy_chair" in again.json()["errors"]


def test_duplicate_role_refused(world, api):
    response = api(world.office).post(
        f"/api/programs/{world.program.pk}/roles/",
        {"user": world.funder.pk, "role": "funder"},
        format="json",
    )
    assert response.status_code == 400
    assert "user" in response.json()["errors"]


def test_granted_role_takes_effect_at_once(world, api, application_in):
    application = application_in("submitted")
    newcomer = known(world)
    api(world.office).post(
        f"/api/programs/{world.program.pk}/roles/",
        {"user": newcomer.pk, "role": "office"},
        format="json",
    )
    assert api(newcomer).get(f"/api/applications/{application.pk}/").status_code == 200


def test_category_code_unique_in_program(world, api):
    url = f"/api/programs/{world.program.pk}/categories/"
    response = api(world.office).post(url, {"code": "honorare", "name": "Doppelt"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["errors"]


def test_category_code_must_be_slug(world, api):
    url = f"/api/programs/{world.program.pk}/categories/"
    response = api(world.office).post(url, {"code": "Hono rare", "name": "x"}, format="json")
    assert response.status_code == 400


def test_call_is_open_and_funding_year_default(world, api):
    now = timezone.now()
    response = api(world.office).post(
        "/api/calls/",
        {
            "program": world.program.pk,
            "title": "Runde 2",
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["is_open"] is True
    assert response.json()["funding_year"] == (now + timedelta(days=10)).year


def test_call_closing_before_opening_refused(world, api):
    now = timezone.now()
    response = api(world.office).post(
        "/api/calls/",
        {
            "program": world.program.pk,
            "title": "Runde 2",
            "opens_at": now.isoformat(),
            "closes_at": (now - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "closes_at" in response.json()["errors"]


def test_calls_filter_by_program(world, api):
    other = Program.objects.exclude(pk=world.program.pk).get()
    data = api(world.sponsor_a).get(f"/api/calls/?program={other.pk}").json()
    assert data["count"] == 0


def test_organisation_creator_becomes_member(db, api):
    user = UserFactory()
    response = api(user).post("/api/organizations/", {"name": "Neuer Verein"}, format="json")
    assert response.status_code == 201
    members = api(user).get(f"/api/organizations/{response.json()['id']}/members/").json()
    assert [m["user"] for m in members["results"]] == [user.pk]


def test_added_member_can_apply(world, api):
    newcomer = UserFactory()
    api(world.admin).post(  # issue #7: direct adds are the administrator's
        f"/api/organizations/{world.org_a.pk}/members/", {"user": newcomer.pk}, format="json"
    )
    assert api(newcomer).get(f"/api/organizations/{world.org_a.pk}/").status_code == 200


def test_healthz_reports_database_and_broker(db, api):
    response = api().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "warnings": []}


@pytest.mark.no_current_base_rate
def test_healthz_warns_of_a_missing_base_rate_and_stays_200(db, api):
    """#21: the current half-year has no row: a warning naming it, still 200."""
    from django.utils import timezone

    from grants.models import BaseRate

    today = timezone.localdate()
    BaseRate.objects.filter(
        valid_from__gte=today.replace(month=1 if today.month <= 6 else 7, day=1)
    ).delete()
    response = api().get("/healthz")
    assert response.status_code == 200
    half = f"{today.year}-H{1 if today.month <= 6 else 2}"
    assert len(response.json()["warnings"]) == 1
    assert half in response.json()["warnings"][0]


def test_healthz_names_broker_when_down(db, api, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = api().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_office_cannot_name_or_read_an_account_outside_its_programs(world, api):
    # Finding of #19: any id answered with its username, unknown ids differently.
    stranger = UserFactory(username="fremd.konto")
    url = f"/api/programs/{world.program.pk}/roles/"
    answers = [
        api(world.office).post(url, {"user": pk, "role": "committee"}, format="json")
        for pk in (stranger.pk, 999_999)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    first, second = (a.json() for a in answers)
    assert first["errors"]["user"] == [
        e.replace("999999", str(stranger.pk)) for e in second["errors"]["user"]
    ]
    assert "fremd.konto" not in answers[0].content.decode()
    assert not ProgramRole.objects.filter(user=stranger).exists()


def test_admin_names_any_account(world, api):
    stranger = UserFactory()
    response = api(world.admin).post(
        f"/api/programs/{world.program.pk}/roles/",
        {"user": stranger.pk, "role": "committee"},
        format="json",
    )
    assert response.status_code == 201
