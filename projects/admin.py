"""Organisations and their members in the admin (applications: ``workflows.admin``)."""

from django.contrib import admin

from projects.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_form", "is_municipal", "email")
    search_fields = ("name",)
    inlines = [MembershipInline]
