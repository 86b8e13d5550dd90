"""The office's calls and their annex types in the portal (issue #24): a call made and
changed, annexes added, made optional, deleted (not once a file was attached as one);
bad input saves nothing; nobody but the program's office sees the pages."""

from django.test import Client

from grants.models import AnnexType, Call, ProgramRole


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_call(office, world, **changes):
    values = {
        "program": world.program.pk,
        "title": "Aufruf 2027: Demokratie vor Ort",
        "opens_day": "01.01.2027",
        "opens_time": "00:00",
        "closes_day": "31.03.2027",
        "closes_time": "23:59",
        "budget": "50.000,00",
        "body": "",
        "funding_year": "",
        "vote_day": "",
        "vote_time": "",
        **changes,
    }
    return office.post("/office/calls/new/", values)


def test_the_office_makes_a_call_and_names_its_annexes(world):
    office = _client(world.office)
    assert world.call.title in office.get("/office/calls/").content.decode()
    made = _new_call(office, world)
    assert made.status_code == 302
    call = Call.objects.get(title="Aufruf 2027: Demokratie vor Ort")
    assert call.funding_year == 2027 and str(call.budget) == "50000.00"
    assert call.body == world.program.default_body()
    url = f"/office/calls/{call.pk}/"
    assert made["Location"] == url

    added = office.post(
        url,
        {"action": "annex_add", "new-name": "Satzung", "new-description": "", "new-required": "on"},
    )
    assert added.status_code == 302
    twice = office.post(url, {"action": "annex_add", "new-name": "Satzung", "new-required": "on"})
    assert twice.status_code == 400
    annex = AnnexType.objects.get(call=call)
    assert annex.required
    optional = office.post(
        url,
        {"action": "annex_save", "annex": annex.pk, f"annex-{annex.pk}-name": "Satzung (aktuell)"},
    )
    assert optional.status_code == 302
    annex.refresh_from_db()
    assert annex.name == "Satzung (aktuell)" and not annex.required

    changed = office.post(
        url,
        {
            "action": "details",
            "title": call.title,
            "opens_day": "01.01.2027",
            "opens_time": "08:00",
            "closes_day": "30.04.2027",
            "closes_time": "12:00",
            "budget": "60000",
        },
    )
    assert changed.status_code == 302
    call.refresh_from_db()
    assert str(call.budget) == "60000.00" and call.funding_year == 2027
    assert office.post(url, {"action": "annex_delete", "annex": annex.pk}).status_code == 302
    assert not AnnexType.objects.filter(call=call).exists()


def test_a_bad_call_is_refused_and_nothing_saved(world):
    office = _client(world.office)
    before = Call.objects.count()
    wrong_order = _new_call(office, world, closes_day="01.12.2026")
    assert wrong_order.status_code == 400
    html = wrong_order.content.decode()
    assert 'id="id_closes_day_error"' in html and "Die Frist muss nach dem Beginn liegen" in html
    for changes in (
        {"title": ""},
        {"budget": "viel"},
        {"opens_day": "32.01.2027"},
        {"title": "x" * 5000},
        {"vote_day": "01.01.2027"},  # before the deadline
        {"body": "999999"},
        {"program": ProgramRole.objects.get(user=world.other_office).program_id},
    ):
        assert _new_call(office, world, **changes).status_code == 400, changes
    assert Call.objects.count() == before


def test_only_the_programs_office_sees_its_calls(world):
    url = f"/office/calls/{world.call.pk}/"
    for user in (world.sponsor_a, world.committee, world.funder):
        client = _client(user)
        for page in ("/office/calls/", "/office/calls/new/", url):
            assert client.get(page).status_code == 404
    other = _client(world.other_office)
    assert other.get(url).status_code == 404
    assert world.call.title not in other.get("/office/calls/").content.decode()
    assert other.post(url, {"action": "details", "title": "Gekapert"}).status_code == 404
    world.call.refresh_from_db()
    assert world.call.title != "Gekapert"
