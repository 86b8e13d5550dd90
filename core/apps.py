from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel: money, domain errors, the audit trail, the transition runner."""

    default = True

    name = "core"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Registers the OpenAPI extension StrictBody, and the tables' records of processing.
        from core import processing, schema  # noqa: F401


class ZuwendoAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin.ZuwendoAdminSite"
