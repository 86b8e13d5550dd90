from django.db import migrations


def keep_what_was_sent(apps, schema_editor):
    """Issue #10: the mails recorded as sent stay sent, so the new log sends none of
    them again; their keys gain the recipient, as the log's keys have it."""
    import hashlib

    from django.conf import settings

    SentMail = apps.get_model("workflows", "SentMail")
    Delivery = apps.get_model("workflows", "Delivery")
    for sent in SentMail.objects.select_related("recipient").iterator():
        key = f"{sent.key}:{sent.recipient_id}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        Delivery.objects.get_or_create(
            key=key,
            defaults={
                "occasion": sent.key.split(":", 1)[0],
                "recipient_id": sent.recipient_id,
                "address": sent.recipient.email,
                "message_id": f"<{digest}@{settings.MESSAGE_ID_DOMAIN}>",
                "state": "sent",
                "attempts": 1,
                "sent_at": sent.sent_at,
            },
        )


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL alters no table with pending deferred checks.
    dependencies = [("workflows", "0005_delivery_log")]

    operations = [migrations.RunPython(keep_what_was_sent, migrations.RunPython.noop)]
