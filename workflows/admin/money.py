"""The office's work queues for a funded project's money, read-only (decisions are the
transitions, taken through the API or the application's page): payouts to approve and
to pay; receipts and change requests. The applications' list has the queues of proofs
to check and repayments overdue (``workflows.admin.applications.MoneyQueue``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, money_display
from projects.models import Attachment, ChangeRequest, Expenditure, PayoutBatch, PayoutRequest
from projects.states import PayoutState
from workflows.admin.review import OfficeReadOnlyAdmin, TrailInline
from workflows.models import Delivery


class PayoutQueue(admin.SimpleListFilter):
    title = _("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("approve", _("to approve")), ("pay", _("to pay"))]

    def queryset(self, request, queryset):
        wanted = {"approve": PayoutState.REQUESTED, "pay": PayoutState.APPROVED}
        if self.value() in wanted:
            return queryset.filter(state=wanted[self.value()])
        return queryset


@admin.register(PayoutRequest)
class PayoutRequestAdmin(OfficeReadOnlyAdmin):
    program_lookup = "application__program__in"
    list_display = (
        "application",
        "amount_eur",
        "state",
        "requested_at",
        "paid_on",
        "window_ends_on",
    )
    list_filter = (PayoutQueue, "state", "application__program")
    list_select_related = ("application",)
    search_fields = ("application__reference", "application__title")
    amount_eur = money_display("amount", _("amount"))


@admin.register(Expenditure)
class ExpenditureAdmin(OfficeReadOnlyAdmin):
    program_lookup = "application__program__in"
    list_display = (
        "application",
        "date",
        "payee",
        "purpose",
        "category",
        "amount_eur",
        "vat_eur",
        "finding",
    )
    list_filter = ("application__program", "category", "finding", "receipt_requested")
    list_select_related = ("application", "category")
    search_fields = ("application__reference", "payee", "receipt_number")
    amount_eur = money_display("amount", _("net amount"))
    vat_eur = money_display("vat", _("VAT"))


@admin.register(Attachment)
class AttachmentAdmin(OfficeReadOnlyAdmin):
    """Attachments with their virus scan: read-only (uploads go through the API, which
    detects the type and waits for the scanner)."""

    program_lookup = "application__program__in"
    list_display = (
        "original_name",
        "application",
        "owner",
        "annex_type",
        "content_type",
        "size",
        "scan_state",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("scan_state", "owner", "application__program")
    list_select_related = ("application", "annex_type", "uploaded_by")
    search_fields = ("original_name", "application__reference", "sha256")


@admin.register(PayoutBatch)
class PayoutBatchAdmin(OfficeReadOnlyAdmin):
    """Payout batches are ordered and paid over the API (their documents are kept); the
    admin shows them."""

    program_lookup = "program__in"
    list_display = ("reference", "program", "state", "execution_date", "paid_on", "created_by")
    list_filter = ("state", "program")
    list_select_related = ("program", "created_by")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(OfficeReadOnlyAdmin):
    program_lookup = "application__program__in"
    list_display = ("application", "state", "end_date", "requested_at", "decided_at")
    list_filter = ("state", "application__program")
    list_select_related = ("application",)
    inlines = [TrailInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log of every e-mail: read-only, for administrators; searchable by
    recipient, occasion (rule or event) and file number, with resend counts."""

    list_display = (
        "queued_at",
        "occasion",
        "reference",
        "address",
        "state",
        "attempts",
        "resends",
        "sent_at",
    )
    list_filter = ("state", "occasion")
    search_fields = ("address", "recipient__username", "occasion", "reference", "key")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
