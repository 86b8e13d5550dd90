"""HTTP caching and language of the documents (issue #20): ETag and 304 Not Modified in
every form RFC 9110 allows, Cache-Control for documents and for JSON, Content-Language
of the body actually sent, file names per kind with non-ASCII kept (RFC 6266)."""

from urllib.parse import unquote

import pytest

from reports.services import report_create, report_render
from tests.factories import client_for
from tests.reports.test_document_api import meeting_world  # noqa: F401


@pytest.fixture
def every_kind(meeting_world, application_in):  # noqa: F811
    """A URL of every document kind, with somebody who may read it."""
    world = meeting_world
    funded = application_in("funded")
    report = report_render(
        report_create(
            program=world.program,
            period_start=world.call.opens_at.date(),
            period_end=world.call.opens_at.date(),
        ).pk
    ).pk
    world.urls = {
        "application": (world.sponsor_a, f"/api/applications/{funded.pk}/pdf/"),
        "agreement": (world.sponsor_a, f"/api/applications/{funded.pk}/documents/agreement/"),
        "statement": (world.office, f"/api/applications/{funded.pk}/documents/statement/"),
        "meeting_dossier": (world.office, f"/api/meetings/{world.meeting_id}/dossier/"),
        "minutes": (world.office, f"/api/meetings/{world.meeting_id}/minutes/"),
        "call_dossier": (world.office, f"/api/calls/{world.call.pk}/dossier/"),
        "funder_report": (world.office, f"/api/reports/{report}/file/"),
    }
    return world


KINDS = [
    "application",
    "agreement",
    "statement",
    "meeting_dossier",
    "minutes",
    "call_dossier",
    "funder_report",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_document_answers_304_to_its_etag_in_every_form(every_kind, kind):
    reader, url = every_kind.urls[kind]
    client = client_for(reader)
    first = client.get(url)
    assert first.status_code == 200, first.content[:200]
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] == "private, max-age=0, must-revalidate"
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url, HTTP_IF_NONE_MATCH=header)
        assert again.status_code == 304, header
        assert again.content == b""
        assert again["ETag"] == etag
    changed = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200 and changed.content == first.content


@pytest.mark.parametrize("kind", KINDS[:6])
@pytest.mark.parametrize("language", ["de", "en"])
def test_content_language_names_the_language_of_the_body(every_kind, kind, language):
    reader, url = every_kind.urls[kind]
    response = client_for(reader).get(url, {"lang": language}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Language"] == language


def test_file_names_differ_per_kind_and_keep_umlauts(every_kind):
    world = every_kind
    world.call.title = "Jugendfonds für Lützel"
    world.call.save()
    names = {}
    for kind, (reader, url) in world.urls.items():
        disposition = client_for(reader).get(url)["Content-Disposition"]
        names[kind] = disposition
    assert len(set(names.values())) == len(names)  # a call's dossier is not named like a meeting's
    call = names["call_dossier"]
    assert "filename*=utf-8''" in call
    assert "Jugendfonds-für-Lützel".lower() in unquote(call.split("filename*=utf-8''")[1]).lower()
    assert "sitzung" in names["meeting_dossier"].lower()


def test_json_is_never_stored(world, api):
    response = api(world.sponsor_a).get("/api/applications/")
    assert response["Cache-Control"] == "private, no-store"
    error = api(world.sponsor_a).get("/api/applications/999999/")
    assert error["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", KINDS)
def test_a_client_accepting_only_pdf_gets_the_pdf(every_kind, kind):
    # Swagger UI sends exactly this header; DRF answered it 406.
    reader, url = every_kind.urls[kind]
    response = client_for(reader).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_error_of_a_document_is_json_whatever_is_accepted(every_kind):
    _reader, url = every_kind.urls["application"]
    # Another organisation's application: invisible, so 404, in JSON.
    response = client_for(every_kind.sponsor_b).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
