"""The operators' warning for the base-rate table (DOMAIN.md, "Reclaim and interest"):
once the current half-year has begun and its row is missing, interest up to today
cannot be computed; ``manage.py check``, ``/healthz`` and the admin index say so."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import health


def base_rate_warnings() -> list[str]:
    from grants.models import BaseRate

    today = timezone.localdate()
    start = today.replace(month=1 if today.month <= 6 else 7, day=1)
    last = BaseRate.objects.order_by("-valid_from").values_list("valid_from", flat=True).first()
    if last is not None and last >= start:
        return []
    half = f"{today.year}-H{1 if today.month <= 6 else 2}"
    return [
        _(
            "The base rate (§ 247 BGB) of the half-year %(half)s (from %(start)s) is not in "
            "the table: interest up to today cannot be computed. Enter the rate the "
            "Deutsche Bundesbank published (admin: Programs and calls › Base rates)."
        )
        % {"half": half, "start": start.isoformat()}
    ]


health.register(base_rate_warnings)


@checks.register("zuwendo", deploy=False)
def base_rate_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        found = base_rate_warnings()
    except DatabaseError:  # not migrated yet: the migrations bring the published rates
        return []
    return [checks.Warning(message, id="zuwendo.W001") for message in found]
