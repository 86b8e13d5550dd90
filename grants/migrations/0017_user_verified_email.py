from django.db import migrations, models


def verify_existing(apps, schema_editor):
    """Accounts so far were created by administrators: their addresses count as verified."""
    User = apps.get_model("grants", "User")
    for user in User.objects.exclude(email="").only("pk", "email").iterator():
        User.objects.filter(pk=user.pk).update(verified_email=user.email.strip().lower())


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0016_attachment_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="verified_email",
            field=models.EmailField(
                blank=True,
                editable=False,
                help_text=(
                    "The address its owner proved by opening a link sent to it, or that an "
                    "administrator entered; only a verified address matches invitations."
                ),
                max_length=254,
                verbose_name="verified e-mail address",
            ),
        ),
        migrations.RunPython(verify_existing, migrations.RunPython.noop),
    ]
