"""Admin plumbing shared by the apps."""


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here: the data changes only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
