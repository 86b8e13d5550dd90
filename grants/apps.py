from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Programs and calls")

    def ready(self) -> None:
        from grants import checks  # noqa: F401  (registers the base-rate warning)
