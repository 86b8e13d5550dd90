from datetime import date
from decimal import Decimal

from django.db import migrations

# DOMAIN.md, "Money" (issue #21): the table from 2015 on, as the Deutsche Bundesbank
# published it, so that a payout made in 2023 (or earlier) can be repaid with interest.
# 0007 seeded 2024 onwards; a row already present (entered by an administrator) is kept.
PUBLISHED = [
    (date(2015, 1, 1), Decimal("-0.83")),
    (date(2016, 7, 1), Decimal("-0.88")),
    (date(2023, 1, 1), Decimal("1.62")),
    (date(2023, 7, 1), Decimal("3.12")),
]


def seed(apps, schema_editor):
    BaseRate = apps.get_model("grants", "BaseRate")
    for valid_from, rate in PUBLISHED:
        BaseRate.objects.get_or_create(valid_from=valid_from, defaults={"rate_percent": rate})


class Migration(migrations.Migration):
    dependencies = [("grants", "0010_text_limits")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
