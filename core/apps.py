from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel: money, domain errors, the audit trail, the transition runner."""

    default = True

    name = "core"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from core import schema  # noqa: F401  (registers the OpenAPI extension StrictBody)


class ZuwendoAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin.ZuwendoAdminSite"
