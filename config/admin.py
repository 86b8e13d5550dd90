"""Admin plumbing shared by the apps."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here: the data changes only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ZuwendoAdminSite(AdminSite):
    site_header = _("Zuwendo – grant administration")
    site_title = _("Zuwendo")
    index_title = _("Coordinating office")


def adopt(form_instance, created) -> None:
    """Let the admin continue with the object a service created instead of its own
    unsaved form instance (inlines and the redirect need its primary key)."""
    form_instance.pk = created.pk
    form_instance._state.adding = False
