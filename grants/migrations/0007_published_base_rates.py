from datetime import date
from decimal import Decimal

from django.db import migrations

# DOMAIN.md, "Money": the values published by the Deutsche Bundesbank.
PUBLISHED = [
    (date(2024, 1, 1), Decimal("3.62")),
    (date(2024, 7, 1), Decimal("3.37")),
    (date(2025, 1, 1), Decimal("2.27")),
    (date(2025, 7, 1), Decimal("1.27")),
    (date(2026, 1, 1), Decimal("1.27")),
]


def seed(apps, schema_editor):
    BaseRate = apps.get_model("grants", "BaseRate")
    for valid_from, rate in PUBLISHED:
        BaseRate.objects.get_or_create(valid_from=valid_from, defaults={"rate_percent": rate})


class Migration(migrations.Migration):
    dependencies = [("grants", "0006_base_rates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
