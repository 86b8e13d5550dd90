"""The office's admin: applications with filters and transition buttons, and the
read-only audit trail.

Applications are read-only here; their state changes only through the transition
buttons, which call the same ``workflows.services`` functions as the API. The buttons
and their forms are built from the transitions' declarations.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, money_display, transition_form
from core.errors import DomainError, NotFound
from core.models import AuditEntry, PendingFileDeletion
from core.transitions import available_transitions, declaration_of
from projects import deadlines, retention
from projects.models import Application, BudgetLine
from projects.selectors import (
    application_list,
    audit_entries_visible_to,
)
from projects.states import ApplicationState
from workflows.services import APPLICATIONS, application_transition


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
    fields = ("category", "description", "amount_eur")
    readonly_fields = fields
    amount_eur = money_display("amount", _("amount"))


class AuditEntryInline(ApplicationPartInline, GenericTabularInline):
    """The application's history, on its own page."""

    model = AuditEntry
    ct_field = "trail_type"
    ct_fk_field = "trail_id"
    list_select_related = ("actor",)
    fields = ("at", "action", "source", "target", "actor", "comment")
    readonly_fields = fields
    ordering = ("at", "id")

    def get_queryset(self, request):
        # What the history shows the API's caller, here too: a committee member reads
        # the review, not the money (projects.selectors.audit_entries_visible_to).
        visible = audit_entries_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)


class MoneyQueue(admin.SimpleListFilter):
    """The office's queues among applications: proofs of use to check, repayments
    overdue (demanded more than the repayment period ago)."""

    title = _("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("proofs", _("proofs of use to check")),
            ("overdue", _("repayments overdue")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "proofs":
            return queryset.filter(state=ApplicationState.PROOF_SUBMITTED)
        if self.value() == "overdue":
            today = timezone.localdate()
            # The due day from the row and its program alone (no query per row): the
            # program's months after notification, moved per § 31 (projects.deadlines).
            due = (
                queryset.filter(state=ApplicationState.REPAYMENT_DUE)
                .exclude(reclaim_set_on=None)
                .select_related("program")
            )
            overdue = [
                a.pk
                for a in due
                if deadlines.repayment_due(
                    a.reclaim_set_on, a.program.repayment_months, a.program.state
                )
                < today
            ]
            return queryset.filter(pk__in=overdue)
        return queryset


class RetentionQueue(admin.SimpleListFilter):
    """Data protection (DOMAIN.md): what the retention sweep deletes within 30 days, the
    files on hold, the files erased."""

    title = _("retention")
    parameter_name = "retention"

    def lookups(self, request, model_admin):
        return [
            ("ahead", _("deleted within 30 days")),
            ("held", _("on hold")),
            ("erased", _("erased")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "ahead":
            return queryset & retention.deletion_ahead(timezone.localdate())
        if self.value() == "held":
            return queryset.filter(erased_at__isnull=True).exclude(retention_hold="")
        if self.value() == "erased":
            return queryset.exclude(erased_at=None)
        return queryset


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "organization",
        "call",
        "state",
        "requested_eur",
        "approved_eur",
        "submitted_at",
    )
    list_filter = (MoneyQueue, RetentionQueue, "program", "call", "state")
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
                    "total_costs_eur",
                    "own_funds_eur",
                    "third_party_funds_eur",
                    "requested_eur",
                    "approved_eur",
                    "approved_costs_eur",
                    "conditions",
                )
            },
        ),
        (
            _("early start"),
            {
                "fields": (
                    "early_start_from",
                    "early_start_reason",
                    "early_start_decision",
                    "early_start_granted_from",
                )
            },
        ),
        (_("dates"), {"fields": ("created_at", "submitted_at", "forwarded_at", "decided_at")}),
        (
            _("retention"),
            {
                "fields": (
                    "retention_until",
                    "retention_hold",
                    ("retention_held_at", "retention_held_by"),
                    "erased_at",
                )
            },
        ),
    )
    readonly_fields = [
        name
        for _title, options in fieldsets
        for entry in options["fields"]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    ]
    change_form_template = "admin/projects/application/change_form.html"

    total_costs_eur = money_display("total_costs", _("total costs"))
    own_funds_eur = money_display("own_funds", _("own funds"))
    third_party_funds_eur = money_display("third_party_funds", _("third-party funds"))
    requested_eur = money_display("requested_amount", _("requested grant"))
    approved_eur = money_display("approved_amount", _("approved grant"))
    approved_costs_eur = money_display("approved_costs", _("approved eligible costs"))

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
                "<id:pk>/transition/<str:name>/",
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
                    "label": declaration_of(t).label,
                    "url": reverse(
                        "admin:projects_application_transition", args=[application.pk, t.name]
                    ),
                }
                for t in available_transitions(application, request.user)
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk, name):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            declaration = APPLICATIONS.declaration(name)
        except NotFound:
            raise Http404 from None
        change_url = reverse("admin:projects_application_change", args=[pk])
        form = transition_form(declaration, request.POST or None)
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
                "title": declaration.label,
                "form": form,
                "change_url": change_url,
            },
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the trail is append-only."""

    # "subject", not "application": the admin would read the GenericRelation's reverse
    # field of that name (a manager, shown as "projects.Application.None").
    list_display = ("at", "subject", "namespace", "action", "source", "target", "actor")
    list_filter = ("namespace", "action")
    list_select_related = ("actor", "trail_type")
    search_fields = ("application__reference", "comment")

    def get_queryset(self, request):
        visible = audit_entries_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible).prefetch_related("trail")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("projects.use_application_admin")

    @admin.display(description=_("object"))
    def subject(self, entry) -> str:
        """What the entry is about, by its kind and name: "Antrag PFD-KO-2026-0004: …"."""
        kind = entry.trail_type.model_class()
        label = kind._meta.verbose_name if kind else entry.trail_type.model
        return f"{label} {entry.trail}" if entry.trail is not None else f"{label} {entry.trail_id}"


@admin.register(PendingFileDeletion)
class PendingFileDeletionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stored files let go of whose deletion has not succeeded yet (``core.storage``):
    each retention sweep tries them again. Only their storage names are kept."""

    list_display = ("name", "created_at", "attempts", "failure")
    ordering = ("created_at", "id")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
