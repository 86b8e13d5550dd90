from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_keep_sent_mails")]

    operations = [migrations.DeleteModel(name="SentMail")]
