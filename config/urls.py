from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import healthz
from core.urls import Router
from core.views import landing
from grants.api import (
    AnnexTypeView,
    BaseRateViewSet,
    CallAnnexTypesView,
    CallViewSet,
    CostCategoryViewSet,
    DecisionBodyViewSet,
    PasswordChangeView,
    ProgramRoleViewSet,
    ProgramViewSet,
    TokenListView,
    TokenView,
    TwoFactorConfirmView,
    TwoFactorDisableView,
    TwoFactorView,
    UserViewSet,
)
from projects.api import (
    ApplicationViewSet,
    InvitationViewSet,
    MembershipViewSet,
    OrganizationInvitationViewSet,
    OrganizationViewSet,
)
from reports.api import (
    ApplicationDocumentListView,
    ApplicationDocumentView,
    ApplicationExportView,
    ApplicationPdfView,
    CallDossierView,
    ExportViewSet,
    MeetingDocumentView,
    MeetingMinutesView,
    PaymentOrderView,
    PersonalExportView,
    ProgramFiguresView,
    ReportViewSet,
    SepaFileView,
)
from workflows.api.attachments import (
    ApplicationAttachmentsView,
    AttachmentFileView,
    AttachmentView,
)
from workflows.api.committee import (
    ApplicationConflictsView,
    ApplicationObjectionsView,
    ApplicationTallyView,
    ApplicationVotesView,
    ConflictDecisionView,
    RecommendationView,
    ReopenVotingView,
)
from workflows.api.meetings import MeetingViewSet
from workflows.api.money import (
    ApplicationChangeRequestsView,
    ApplicationExpendituresView,
    ApplicationPaymentsView,
    ChangeRequestTransitionView,
    CheckNoteView,
    EarlyStartView,
    ExpenditureFindingView,
    ExpenditureView,
    InterimProofView,
    PaymentTransitionListView,
    PaymentTransitionView,
    PayoutBatchPaidView,
    PayoutBatchView,
    ProgramPayoutBatchesView,
    ProofOfUseView,
    ReceiptsRequestView,
)
from workflows.api.privacy import MeView
from workflows.api.transitions import (
    ApplicationHistoryView,
    ApplicationTransitionListView,
    ApplicationTransitionView,
)
from workflows.views import unsubscribe

router = Router()
router.register("users", UserViewSet, basename="user")
router.register("programs", ProgramViewSet, basename="program")
router.register("calls", CallViewSet, basename="call")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("applications", ApplicationViewSet, basename="application")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("base-rates", BaseRateViewSet, basename="base-rate")
router.register("reports", ReportViewSet, basename="report")
router.register("exports", ExportViewSet, basename="export")

api = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("users/me/", MeView.as_view(), name="user-me"),
    path("users/me/export/", PersonalExportView.as_view(), name="user-export"),
    path("users/me/password/", PasswordChangeView.as_view(), name="user-password"),
    path("users/me/two-factor/", TwoFactorView.as_view(), name="user-two-factor"),
    path(
        "users/me/two-factor/disable/",
        TwoFactorDisableView.as_view(),
        name="user-two-factor-disable",
    ),
    path(
        "users/me/two-factor/confirm/",
        TwoFactorConfirmView.as_view(),
        name="user-two-factor-confirm",
    ),
    path(
        "programs/<id:program_pk>/roles/",
        ProgramRoleViewSet.as_view({"get": "list", "post": "create"}),
        name="program-roles",
    ),
    path(
        "programs/<id:program_pk>/roles/<id:pk>/",
        ProgramRoleViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="program-role-detail",
    ),
    path(
        "programs/<id:program_pk>/bodies/",
        DecisionBodyViewSet.as_view({"get": "list", "post": "create"}),
        name="program-bodies",
    ),
    path(
        "programs/<id:program_pk>/categories/",
        CostCategoryViewSet.as_view({"get": "list", "post": "create"}),
        name="program-categories",
    ),
    path(
        "organizations/<id:organization_pk>/members/",
        MembershipViewSet.as_view({"get": "list", "post": "create"}),
        name="organization-members",
    ),
    path(
        "organizations/<id:organization_pk>/members/<id:user_pk>/",
        MembershipViewSet.as_view({"delete": "destroy"}),
        name="organization-member-detail",
    ),
    path(
        "organizations/<id:organization_pk>/invitations/",
        OrganizationInvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="organization-invitations",
    ),
    path(
        "applications/<id:pk>/transitions/",
        ApplicationTransitionListView.as_view(),
        name="application-transitions",
    ),
    *ApplicationTransitionView.paths("applications/<id:pk>/transitions/", "application-transition"),
    path(
        "applications/<id:pk>/history/",
        ApplicationHistoryView.as_view(),
        name="application-history",
    ),
    path("applications/<id:pk>/votes/", ApplicationVotesView.as_view(), name="application-votes"),
    path(
        "applications/<id:pk>/conflicts/",
        ApplicationConflictsView.as_view(),
        name="application-conflicts",
    ),
    path(
        "applications/<id:pk>/conflicts/<id:conflict_pk>/decision/",
        ConflictDecisionView.as_view(),
        name="application-conflict-decision",
    ),
    path(
        "applications/<id:pk>/objections/",
        ApplicationObjectionsView.as_view(),
        name="application-objections",
    ),
    path("applications/<id:pk>/tally/", ApplicationTallyView.as_view(), name="application-tally"),
    path(
        "applications/<id:pk>/recommendation/",
        RecommendationView.as_view(),
        name="application-recommendation",
    ),
    path(
        "applications/<id:pk>/reopen-voting/",
        ReopenVotingView.as_view(),
        name="application-reopen-voting",
    ),
    path(
        "applications/<id:pk>/payments/",
        ApplicationPaymentsView.as_view(),
        name="application-payments",
    ),
    path(
        "payments/<id:pk>/transitions/",
        PaymentTransitionListView.as_view(),
        name="payment-transitions",
    ),
    *PaymentTransitionView.paths("payments/<id:pk>/transitions/", "payment-transition"),
    path(
        "applications/<id:pk>/expenditures/",
        ApplicationExpendituresView.as_view(),
        name="application-expenditures",
    ),
    path("expenditures/<id:pk>/", ExpenditureView.as_view(), name="expenditure"),
    path(
        "expenditures/<id:pk>/finding/",
        ExpenditureFindingView.as_view(),
        name="expenditure-finding",
    ),
    path(
        "applications/<id:pk>/receipts-request/",
        ReceiptsRequestView.as_view(),
        name="application-receipts-request",
    ),
    path(
        "applications/<id:pk>/check-note/",
        CheckNoteView.as_view(),
        name="application-check-note",
    ),
    path(
        "applications/<id:pk>/early-start/",
        EarlyStartView.as_view(),
        name="application-early-start",
    ),
    path(
        "applications/<id:pk>/proof-of-use/",
        ProofOfUseView.as_view(),
        name="application-proof-of-use",
    ),
    path(
        "applications/<id:pk>/change-requests/",
        ApplicationChangeRequestsView.as_view(),
        name="application-change-requests",
    ),
    *ChangeRequestTransitionView.paths(
        "change-requests/<id:pk>/transitions/", "change-request-transition"
    ),
    path(
        "applications/<id:pk>/interim-proof/",
        InterimProofView.as_view(),
        name="application-interim-proof",
    ),
    path("applications/<id:pk>/pdf/", ApplicationPdfView.as_view(), name="application-pdf"),
    path(
        "applications/<id:pk>/export/", ApplicationExportView.as_view(), name="application-export"
    ),
    path(
        "applications/<id:pk>/documents/",
        ApplicationDocumentListView.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<id:pk>/documents/<str:kind>/",
        ApplicationDocumentView.as_view(),
        name="application-document",
    ),
    path(
        "programs/<id:pk>/payout-batches/",
        ProgramPayoutBatchesView.as_view(),
        name="program-payout-batches",
    ),
    path("payout-batches/<id:pk>/", PayoutBatchView.as_view(), name="payout-batch"),
    path(
        "payout-batches/<id:pk>/mark-paid/",
        PayoutBatchPaidView.as_view(),
        name="payout-batch-paid",
    ),
    path(
        "payout-batches/<id:pk>/payment-order/",
        PaymentOrderView.as_view(),
        name="payout-batch-payment-order",
    ),
    path("payout-batches/<id:pk>/sepa/", SepaFileView.as_view(), name="payout-batch-sepa"),
    path("meetings/<id:pk>/dossier/", MeetingDocumentView.as_view(), name="meeting-dossier"),
    path("meetings/<id:pk>/minutes/", MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("calls/<id:pk>/dossier/", CallDossierView.as_view(), name="call-dossier"),
    path("calls/<id:pk>/annex-types/", CallAnnexTypesView.as_view(), name="call-annex-types"),
    path("annex-types/<id:pk>/", AnnexTypeView.as_view(), name="annex-type"),
    path(
        "applications/<id:pk>/attachments/",
        ApplicationAttachmentsView.as_view(),
        name="application-attachments",
    ),
    path("attachments/<id:pk>/", AttachmentView.as_view(), name="attachment"),
    path("attachments/<id:pk>/file/", AttachmentFileView.as_view(), name="attachment-file"),
    path("programs/<id:pk>/figures/", ProgramFiguresView.as_view(), name="program-figures"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("about/", landing, name="landing"),
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    path("healthz", healthz, name="healthz"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]

handler400 = "core.api.json_bad_request"
handler404 = "core.api.json_not_found"
handler500 = "core.api.json_server_error"
