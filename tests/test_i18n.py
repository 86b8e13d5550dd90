"""German ships complete and is the default; English on request."""

from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgid, msgstr, flags) of every entry, read without any gettext tool. A plural
    entry's msgstr is its forms joined, empty if any form is (``msgstr[n]``)."""
    entries, msgid, forms, flags, field = [], None, [], "", None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid "):
            msgid, field = line[6:].strip('"'), "id"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr"):
            forms.append(line.split(" ", 1)[1].strip('"'))
            field = "str"
        elif line.startswith('"') and field == "id":
            msgid += line.strip('"')
        elif line.startswith('"') and field == "str":
            forms[-1] += line.strip('"')
        elif not line.strip() and msgid is not None:
            msgstr = "" if not forms or not all(forms) else " | ".join(forms)
            entries.append((msgid, msgstr, flags))
            msgid, forms, flags, field = None, [], "", None
    return [entry for entry in entries if entry[0]]


def test_german_catalogue_is_complete():
    entries = _entries()
    assert len(entries) > 150
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []


def test_errors_speak_german_by_default(api, world):
    response = api(world.sponsor_a).get("/api/applications/999999/")
    assert response.json()["detail"] == "Nicht gefunden."


def test_errors_speak_english_on_request(api, world):
    response = api(world.sponsor_a).get("/api/applications/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."


def test_state_labels_in_german(api, world, application_in):
    application = application_in("revision_requested")
    data = api(world.sponsor_a).get(f"/api/applications/{application.pk}/").json()
    assert data["state"] == "revision_requested"
    assert data["state_label"] == "Nachforderung"


def test_transition_mail_in_german_for_german_recipient(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks
):
    from workflows import services as flow

    application = application_in("submitted")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flow.application_reject(application=application, actor=world.office, comment="Nein.")

    assert mailoutbox[0].subject.endswith("jetzt „abgelehnt“")
    assert mailoutbox[0].body.startswith("Guten Tag")
