"""The admin's download actions and the kept documents' page (issue #11)."""

from django.test import Client

from reports.models import Document
from tests.reports.pdfs import text


def _browser(user):
    user.is_staff = True
    user.save()
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_office_downloads_an_application_from_the_admin(world, application_in):
    application = application_in("approved")
    browser = _browser(world.office)
    for action, word in (
        ("download_application", "Antrag"),
        ("download_agreement", "Zuwendungsbescheid"),
    ):
        response = browser.post(
            "/admin/projects/application/",
            {"action": action, "_selected_action": [application.pk]},
        )
        assert response.status_code == 200, action
        assert response["Content-Type"] == "application/pdf"
        assert word in text(response.content)


def test_the_kept_documents_are_listed_and_downloadable(world, application_in):
    application = application_in("approved")
    browser = _browser(world.office)
    browser.post(
        "/admin/projects/application/",
        {"action": "download_application", "_selected_action": [application.pk]},
    )
    document = Document.objects.get(kind="application")
    assert browser.get("/admin/reports/document/").status_code == 200
    response = browser.get(f"/admin/reports/document/{document.pk}/pdf/")
    assert response.status_code == 200
    assert application.reference in text(response.content)


def test_the_office_downloads_the_whole_file_from_the_admin(world, application_in):
    """#22: the admin action gives the same ZIP as the API."""
    import io
    import zipfile

    application = application_in("approved")
    response = _browser(world.office).post(
        "/admin/projects/application/",
        {"action": "download_whole_file", "_selected_action": [application.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "00-Inhalt.pdf" in names and "10-Verlauf.csv" in names
