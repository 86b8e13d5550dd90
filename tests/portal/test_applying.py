"""A new application in steps through the portal (issue #23): each step saves the draft
through the service; German amounts and dates; the live totals say what the program's
rules say; bad input is named next to its field and nothing is saved; another
organisation's application is a 404."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from projects.models import Application, Attachment
from tests.factories import make_application


@pytest.fixture
def sponsor(world):
    client = Client()
    client.force_login(world.sponsor_a)
    return client


def _lines(*rows, total=None):
    data = {"lines-TOTAL_FORMS": str(total or len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, (category, description, amount) in enumerate(rows):
        data[f"lines-{index}-category"] = category
        data[f"lines-{index}-description"] = description
        data[f"lines-{index}-amount"] = amount
    return data


def test_a_sponsor_applies_step_by_step(world, sponsor):
    year = world.call.funding_year
    created = sponsor.post(
        "/applications/new/",
        {"organization": world.org_a.pk, "call": world.call.pk, "title": "Sommerfest"},
    )
    assert created.status_code == 302
    application = Application.objects.get(title="Sommerfest")
    assert created["Location"] == f"/applications/{application.pk}/edit/project/"
    assert application.state == "draft" and application.organization == world.org_a

    base = f"/applications/{application.pk}/edit"
    project = sponsor.post(
        f"{base}/project/",
        {"title": "Sommerfest", "summary": "Ein Fest.", "expected_participants": "80"},
    )
    assert project["Location"] == f"{base}/dates/"
    dates = sponsor.post(
        f"{base}/dates/", {"start_date": f"1.6.{year}", "end_date": f"31.08.{year}"}
    )
    assert dates["Location"] == f"{base}/costs/"
    costs = sponsor.post(
        f"{base}/costs/",
        _lines(
            ("honorare", "Band", "1.234,56"),
            ("sachausgaben", "Bühne", "765.44"),
            ("", "", ""),
            total=3,
        ),
    )
    assert costs["Location"] == f"{base}/financing/"
    financing = sponsor.post(f"{base}/financing/", {"own_funds": "200", "third_party_funds": ""})
    assert financing["Location"] == f"{base}/annexes/"

    application.refresh_from_db()
    assert application.summary == "Ein Fest." and application.expected_participants == 80
    assert str(application.start_date) == f"{year}-06-01"
    assert [
        (line.category.code, line.amount) for line in application.budget_lines.order_by("position")
    ] == [
        ("honorare", Decimal("1234.56")),
        ("sachausgaben", Decimal("765.44")),
    ]
    assert application.total_costs == Decimal("2000.00")
    assert application.requested_amount == Decimal("1800.00")
    page = sponsor.get(f"{base}/costs/").content.decode()
    assert "2.000,00\xa0€" in page or "2.000,00 €" in page

    upload = SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    attached = sponsor.post(f"{base}/annexes/", {"file": upload, "description": "Zeitplan"})
    assert attached.status_code == 302
    assert Attachment.objects.get(application=application).original_name == "plan.pdf"
    annexes = sponsor.get(f"{base}/annexes/").content.decode()
    assert "plan.pdf" in annexes and f"/applications/{application.pk}/steps/submit/" in annexes
    assert sponsor.get(f"/applications/{application.pk}/").status_code == 200


def test_the_live_totals_check_the_rules_and_save_nothing(world, sponsor):
    application = make_application(world)
    before = (
        application.total_costs,
        list(application.budget_lines.values_list("amount", flat=True)),
    )
    url = f"/applications/{application.pk}/edit/costs/check/"
    answer = sponsor.post(url, _lines(("honorare", "Band", "9.000,00")))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "9.000,00" in text and "5.000,00" in text  # above the program's maximum
    application.refresh_from_db()
    assert (
        application.total_costs,
        list(application.budget_lines.values_list("amount", flat=True)),
    ) == before
    fine = sponsor.post(url, _lines(("honorare", "Band", "900")))
    assert "900,00" in fine.content.decode()


@pytest.mark.parametrize(
    "step, data, field",
    [
        ("dates", {"start_date": "31.02.2027", "end_date": ""}, "start_date"),
        ("dates", {"start_date": "1.6.1999", "end_date": ""}, "start_date"),
        ("financing", {"own_funds": "12,345,67"}, "own_funds"),
        ("financing", {"own_funds": "99999999999"}, "own_funds"),
        ("financing", {"own_funds": "-5"}, "own_funds"),
        ("project", {"title": ""}, "title"),
        ("project", {"title": "x" * 1000}, "title"),
        ("project", {"title": "ok", "expected_participants": "-3"}, "expected_participants"),
    ],
)
def test_bad_input_is_named_and_nothing_saved(world, sponsor, step, data, field):
    application = make_application(world)
    before = Application.objects.filter(pk=application.pk).values().get()
    response = sponsor.post(f"/applications/{application.pk}/edit/{step}/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    after = Application.objects.filter(pk=application.pk).values().get()
    assert after == before


def test_a_cost_line_refused_by_the_rules_is_named_and_nothing_saved(world, sponsor):
    application = make_application(world)
    before = list(application.budget_lines.values_list("amount", flat=True))
    response = sponsor.post(
        f"/applications/{application.pk}/edit/costs/",
        _lines(("honorare", "Band", "100"), ("honorare", "", "abc")),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_lines-1-amount_error"' in page and 'id="id_lines-1-description_error"' in page
    too_much = sponsor.post(
        f"/applications/{application.pk}/edit/costs/", _lines(("honorare", "Band", "9000"))
    )
    assert too_much.status_code == 400 and "5.000,00" in too_much.content.decode()
    assert list(application.budget_lines.values_list("amount", flat=True)) == before


def test_more_lines_adds_empty_ones_and_saves_nothing(world, sponsor):
    application = make_application(world)
    before = application.budget_lines.count()
    response = sponsor.post(
        f"/applications/{application.pk}/edit/costs/",
        {**_lines(("honorare", "x", "1")), "more": "1"},
    )
    assert 'name="lines-3-amount"' in response.content.decode()
    assert application.budget_lines.count() == before


def test_others_and_closed_states_cannot_edit(world):
    application = make_application(world)
    other = Client()
    other.force_login(world.sponsor_b)
    for step in ("project", "costs", "annexes"):
        assert other.get(f"/applications/{application.pk}/edit/{step}/").status_code == 404
        assert (
            other.post(f"/applications/{application.pk}/edit/{step}/", {"title": "x"}).status_code
            == 404
        )
    assert other.post(f"/applications/{application.pk}/edit/costs/check/", {}).status_code == 404
    owner = Client()
    owner.force_login(world.sponsor_a)
    assert owner.get(f"/applications/{application.pk}/edit/nonsense/").status_code == 404
    Application.objects.filter(pk=application.pk).update(
        state="submitted", submitted_at=timezone.now()
    )
    assert (
        owner.post(f"/applications/{application.pk}/edit/project/", {"title": "x"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.title != "x"


def test_a_new_application_only_for_ones_own_organisation(world, sponsor):
    response = sponsor.post(
        "/applications/new/", {"organization": world.org_b.pk, "call": world.call.pk, "title": "x"}
    )
    assert response.status_code == 200 and 'id="id_organization_error"' in response.content.decode()
    assert not Application.objects.filter(title="x").exists()


def test_a_line_emptied_is_removed(world, sponsor):
    application = make_application(world)
    existing = application.budget_lines.count()
    data = {"lines-TOTAL_FORMS": str(existing + 1), "lines-INITIAL_FORMS": str(existing)}
    for index in range(existing):  # every stored line emptied
        data |= {f"lines-{index}-{name}": "" for name in ("category", "description", "amount")}
    data |= {
        f"lines-{existing}-category": "sachausgaben",
        f"lines-{existing}-description": "Miete",
        f"lines-{existing}-amount": "120",
    }
    response = sponsor.post(f"/applications/{application.pk}/edit/costs/", data)
    assert response.status_code == 302
    assert [(line.description, line.amount) for line in application.budget_lines.all()] == [
        ("Miete", Decimal("120.00"))
    ]
