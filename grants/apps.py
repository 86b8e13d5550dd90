from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Programs and calls")

    def ready(self) -> None:
        # Registers the base-rate warning, and the tables' records of processing.
        from grants import checks, processing  # noqa: F401
