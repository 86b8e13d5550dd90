from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from projects.selectors import applications_visible_to
from workflows.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the trail is append-only."""

    list_display = ("at", "application", "action", "source", "target", "actor")
    list_filter = ("action",)
    list_select_related = ("application", "actor")
    search_fields = ("application__reference", "comment")

    def get_queryset(self, request):
        visible = applications_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(application__in=visible)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("projects.use_application_admin")
