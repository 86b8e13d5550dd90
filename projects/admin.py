"""The office's admin: applications with filters and transition buttons.

Applications are read-only here; their state changes only through the transition
buttons, which call the same ``workflows.services`` functions as the API.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdminMixin
from config.exceptions import DomainError
from projects.models import Application, BudgetLine, Membership, Organization
from projects.selectors import application_list
from workflows.models import AuditEntry
from workflows.services import application_transition, available_transitions, fsm_transition


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_form", "is_municipal", "email")
    search_fields = ("name",)
    inlines = [MembershipInline]


class ApplicationPartInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows shown on an application's page to whoever may see the application."""

    extra = 0
    list_select_related: tuple[str, ...] = ()

    def has_view_permission(self, request, obj=None):
        return obj is not None and request.user.has_perm("projects.view_application", obj)

    def get_queryset(self, request):
        # Django would empty it after an object-less permission check; the formset narrows
        # it to the parent application, whose page already checked visibility.
        queryset = admin.options.BaseModelAdmin.get_queryset(self, request)
        return queryset.select_related(*self.list_select_related)


class BudgetLineInline(ApplicationPartInline):
    model = BudgetLine
    list_select_related = ("category",)
    fields = ("category", "description", "amount")
    readonly_fields = fields


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)
    approved_amount = forms.DecimalField(
        label=_("approved grant"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the requested amount."),
    )
    conditions = forms.CharField(
        label=_("conditions (Auflagen)"), widget=forms.Textarea, required=False
    )


class AuditEntryInline(ApplicationPartInline):
    """The application's history, on its own page."""

    model = AuditEntry
    list_select_related = ("actor",)
    fields = ("at", "action", "source", "target", "actor", "comment")
    readonly_fields = fields
    ordering = ("at", "id")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "organization",
        "call",
        "state",
        "requested_amount",
        "approved_amount",
        "submitted_at",
    )
    list_filter = ("program", "call", "state")
    search_fields = ("reference", "title", "organization__name")
    list_select_related = ("organization", "call__program")
    inlines = [BudgetLineInline, AuditEntryInline]
    fieldsets = (
        (
            None,
            {"fields": ("reference", "state", "program", "call", "organization", "created_by")},
        ),
        (
            _("project"),
            {
                "fields": (
                    "title",
                    "summary",
                    "field_of_action",
                    "target_group",
                    ("start_date", "end_date"),
                    "expected_participants",
                )
            },
        ),
        (
            _("financing plan"),
            {
                "fields": (
                    "total_costs",
                    "own_funds",
                    "third_party_funds",
                    "requested_amount",
                    "approved_amount",
                    "conditions",
                )
            },
        ),
        (_("dates"), {"fields": ("created_at", "submitted_at", "forwarded_at", "decided_at")}),
    )
    readonly_fields = [
        name
        for _title, options in fieldsets
        for entry in options["fields"]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    ]
    change_form_template = "admin/projects/application/change_form.html"

    def get_queryset(self, request):
        return application_list(user=request.user)

    def has_module_permission(self, request):
        return request.user.has_perm("projects.use_application_admin")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.has_perm("projects.view_application", obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="projects_application_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = get_object_or_404(self.get_queryset(request), pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "transitions": [
                {
                    "name": t.name,
                    "label": t.custom.get("label", t.name),
                    "url": reverse(
                        "admin:projects_application_transition", args=[application.pk, t.name]
                    ),
                }
                for t in available_transitions(application=application, user=request.user)
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk, name):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        transition = fsm_transition(application, name)
        change_url = reverse("admin:projects_application_change", args=[pk])
        form = TransitionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                application_transition(
                    application=application,
                    actor=request.user,
                    name=name,
                    payload=form.cleaned_data,
                )
            except DomainError as error:
                details = "; ".join(
                    f"{field}: {' '.join(problems)}" for field, problems in error.errors.items()
                )
                self.message_user(request, f"{error.detail} {details}".strip(), messages.ERROR)
            else:
                self.message_user(request, _("Done."), messages.SUCCESS)
                return redirect(change_url)
        return render(
            request,
            "admin/projects/application/transition.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": application,
                "title": transition.custom.get("label", name) if transition else name,
                "form": form,
                "accepts": transition.custom.get("accepts", []) if transition else [],
                "change_url": change_url,
            },
        )
