from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The browser pages of every role (PORTAL.md): templates over the services,
    selectors and ``rules`` of the layers below; it owns no models."""

    name = "portal"
    verbose_name = _("Portal")
