from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.api import healthz
from core.views import landing
from grants.api import (
    BaseRateViewSet,
    CallViewSet,
    CostCategoryViewSet,
    DecisionBodyViewSet,
    PasswordChangeView,
    ProgramRoleViewSet,
    ProgramViewSet,
    TokenListView,
    TokenView,
    TwoFactorConfirmView,
    TwoFactorView,
    UserViewSet,
)
from projects.api import (
    ApplicationViewSet,
    InvitationViewSet,
    MembershipViewSet,
    MeView,
    OrganizationInvitationViewSet,
    OrganizationViewSet,
)
from reports.api import (
    ApplicationDocumentListView,
    ApplicationDocumentView,
    CallDossierView,
    MeetingDocumentView,
    MeetingMinutesView,
    ProgramFiguresView,
    ReportViewSet,
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
    ExpenditureView,
    InterimProofView,
    PaymentTransitionListView,
    PaymentTransitionView,
    ProofOfUseView,
)
from workflows.api.transitions import (
    ApplicationHistoryView,
    ApplicationTransitionListView,
    ApplicationTransitionView,
)

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")
router.register("programs", ProgramViewSet, basename="program")
router.register("calls", CallViewSet, basename="call")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("applications", ApplicationViewSet, basename="application")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("base-rates", BaseRateViewSet, basename="base-rate")
router.register("reports", ReportViewSet, basename="report")

api = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("users/me/", MeView.as_view(), name="user-me"),
    path("users/me/password/", PasswordChangeView.as_view(), name="user-password"),
    path("users/me/two-factor/", TwoFactorView.as_view(), name="user-two-factor"),
    path(
        "users/me/two-factor/confirm/",
        TwoFactorConfirmView.as_view(),
        name="user-two-factor-confirm",
    ),
    path(
        "programs/<int:program_pk>/roles/",
        ProgramRoleViewSet.as_view({"get": "list", "post": "create"}),
        name="program-roles",
    ),
    path(
        "programs/<int:program_pk>/roles/<int:pk>/",
        ProgramRoleViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="program-role-detail",
    ),
    path(
        "programs/<int:program_pk>/bodies/",
        DecisionBodyViewSet.as_view({"get": "list", "post": "create"}),
        name="program-bodies",
    ),
    path(
        "programs/<int:program_pk>/categories/",
        CostCategoryViewSet.as_view({"get": "list", "post": "create"}),
        name="program-categories",
    ),
    path(
        "organizations/<int:organization_pk>/members/",
        MembershipViewSet.as_view({"get": "list", "post": "create"}),
        name="organization-members",
    ),
    path(
        "organizations/<int:organization_pk>/members/<int:user_pk>/",
        MembershipViewSet.as_view({"delete": "destroy"}),
        name="organization-member-detail",
    ),
    path(
        "organizations/<int:organization_pk>/invitations/",
        OrganizationInvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="organization-invitations",
    ),
    path(
        "applications/<int:pk>/transitions/",
        ApplicationTransitionListView.as_view(),
        name="application-transitions",
    ),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        ApplicationTransitionView.as_view(),
        name="application-transition",
    ),
    path(
        "applications/<int:pk>/history/",
        ApplicationHistoryView.as_view(),
        name="application-history",
    ),
    path("applications/<int:pk>/votes/", ApplicationVotesView.as_view(), name="application-votes"),
    path(
        "applications/<int:pk>/conflicts/",
        ApplicationConflictsView.as_view(),
        name="application-conflicts",
    ),
    path(
        "applications/<int:pk>/conflicts/<int:conflict_pk>/decision/",
        ConflictDecisionView.as_view(),
        name="application-conflict-decision",
    ),
    path(
        "applications/<int:pk>/objections/",
        ApplicationObjectionsView.as_view(),
        name="application-objections",
    ),
    path("applications/<int:pk>/tally/", ApplicationTallyView.as_view(), name="application-tally"),
    path(
        "applications/<int:pk>/recommendation/",
        RecommendationView.as_view(),
        name="application-recommendation",
    ),
    path(
        "applications/<int:pk>/reopen-voting/",
        ReopenVotingView.as_view(),
        name="application-reopen-voting",
    ),
    path(
        "applications/<int:pk>/payments/",
        ApplicationPaymentsView.as_view(),
        name="application-payments",
    ),
    path(
        "payments/<int:pk>/transitions/",
        PaymentTransitionListView.as_view(),
        name="payment-transitions",
    ),
    path(
        "payments/<int:pk>/transitions/<str:name>/",
        PaymentTransitionView.as_view(),
        name="payment-transition",
    ),
    path(
        "applications/<int:pk>/expenditures/",
        ApplicationExpendituresView.as_view(),
        name="application-expenditures",
    ),
    path("expenditures/<int:pk>/", ExpenditureView.as_view(), name="expenditure"),
    path(
        "applications/<int:pk>/proof-of-use/",
        ProofOfUseView.as_view(),
        name="application-proof-of-use",
    ),
    path(
        "applications/<int:pk>/change-requests/",
        ApplicationChangeRequestsView.as_view(),
        name="application-change-requests",
    ),
    path(
        "change-requests/<int:pk>/transitions/<str:name>/",
        ChangeRequestTransitionView.as_view(),
        name="change-request-transition",
    ),
    path(
        "applications/<int:pk>/interim-proof/",
        InterimProofView.as_view(),
        name="application-interim-proof",
    ),
    path("applications/<int:pk>/pdf/", ApplicationDocumentView.as_view(), name="application-pdf"),
    path(
        "applications/<int:pk>/documents/",
        ApplicationDocumentListView.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<int:pk>/documents/<str:kind>/",
        ApplicationDocumentView.as_view(),
        name="application-document",
    ),
    path("meetings/<int:pk>/dossier/", MeetingDocumentView.as_view(), name="meeting-dossier"),
    path("meetings/<int:pk>/minutes/", MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("calls/<int:pk>/dossier/", CallDossierView.as_view(), name="call-dossier"),
    path("programs/<int:pk>/figures/", ProgramFiguresView.as_view(), name="program-figures"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", landing, name="landing"),
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    path("healthz", healthz, name="healthz"),
]

handler400 = "core.api.json_bad_request"
handler404 = "core.api.json_not_found"
handler500 = "core.api.json_server_error"
