from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import adopt
from grants import services
from grants.models import AnnexType, BaseRate, Call, CostCategory, Program, ProgramRole, User
from grants.selectors import programs_managed_by


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Zuwendo"), {"fields": ("language",)}))
    list_display = ("username", "email", "first_name", "last_name", "language", "is_staff")

    def save_model(self, request, obj, form, change):
        # The administrator who enters an address vouches for it (as user_create does).
        if not change or "email" in form.changed_data:
            obj.verified_email = (obj.email or "").strip().lower()
        super().save_model(request, obj, form, change)


class OfficeScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; office staff see and change their own programs' objects.

    Permission questions go to the ``rules`` perms named by ``change_perm``.
    """

    change_perm = ""
    add_perm = ""
    program_lookup = "program__in"

    def get_queryset(self, request):
        managed = programs_managed_by(request.user).values("pk")
        return super().get_queryset(request).filter(**{self.program_lookup: managed})

    def has_module_permission(self, request):
        return request.user.has_perm("grants.use_office_admin")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.has_perm(self.change_perm, obj)

    def has_add_permission(self, request):
        return request.user.has_perm(self.add_perm)

    def has_delete_permission(self, request, obj=None):
        return False


class ProgramRoleInline(admin.TabularInline):
    model = ProgramRole
    extra = 0
    autocomplete_fields = ["user"]


class CostCategoryInline(admin.TabularInline):
    model = CostCategory
    extra = 0


@admin.register(Program)
class ProgramAdmin(OfficeScopedAdmin):
    change_perm = "grants.change_program"
    add_perm = "grants.add_program"
    program_lookup = "pk__in"
    list_display = ("code", "name", "funder_name", "financing_type", "max_grant")
    search_fields = ("code", "name")
    inlines = [CostCategoryInline, ProgramRoleInline]

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.program_update(program=obj, actor=request.user, **changed)
        else:
            adopt(obj, services.program_create(actor=request.user, **form.cleaned_data))


class AnnexTypeInline(admin.TabularInline):
    """The annexes the call asks for (DOMAIN.md, "Attachments"), editable by its office."""

    model = AnnexType
    extra = 0
    fields = ("position", "name", "description", "required")


@admin.register(Call)
class CallAdmin(OfficeScopedAdmin):
    change_perm = "grants.change_call"
    add_perm = "grants.add_call"
    list_display = ("title", "program", "opens_at", "closes_at", "budget", "is_open")
    list_filter = ("program",)
    inlines = [AnnexTypeInline]

    def save_model(self, request, obj, form, change):
        fields = dict(form.cleaned_data)
        if change:
            fields.pop("program", None)
            services.call_update(call=obj, actor=request.user, **fields)
        else:
            adopt(obj, services.call_create(actor=request.user, **fields))

    @admin.display(boolean=True, description=_("open"))
    def is_open(self, call):
        return call.is_open


@admin.register(BaseRate)
class BaseRateAdmin(admin.ModelAdmin):
    """The published base rates; administrators add each new value (1 January, 1 July)."""

    list_display = ("valid_from", "rate_percent")
