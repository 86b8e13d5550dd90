"""Organisations and their members in the admin (applications: ``workflows.admin``).

Members are added and removed through ``projects.services`` (audited; the last member
stays), as over the API; an existing row cannot be turned into another person.
"""

from django.contrib import admin, messages

from core.errors import DomainError
from projects import services
from projects.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False  # add or remove a member; never swap the person on a row


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_form", "is_municipal", "email")
    search_fields = ("name",)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        organization = form.instance
        for membership in formset.save(commit=False):
            services.membership_add(
                organization=organization, actor=request.user, user=membership.user
            )
        for membership in formset.deleted_objects:
            try:
                services.membership_end(
                    organization=organization, actor=request.user, user=membership.user
                )
            except DomainError as error:
                details = " ".join(m for problems in error.errors.values() for m in problems)
                self.message_user(request, f"{error.detail} {details}".strip(), messages.ERROR)
        return None
