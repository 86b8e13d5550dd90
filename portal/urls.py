"""The portal's addresses (the root of the site; the API lives under /api/)."""

from csp.decorators import csp_replace
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from portal import (
    accounts,
    applying,
    batches,
    calls,
    checking,
    committee,
    funded,
    funder,
    meetings,
    office,
    organizations,
    privacy,
    views,
)
from portal.forms import SetPasswordForm

app_name = "portal"

# The portal's pages have no inline style either (the admin and Swagger UI still need it).
strict = csp_replace({"style-src": ["'self'"]})


def page(route: str, view, name: str):
    return path(route, strict(view), name=name)


urlpatterns = [
    page("", views.start, name="start"),
    page("sign-in/", views.sign_in, name="sign_in"),
    page("sign-in/code/", views.two_factor_code, name="two_factor"),
    page("sign-out/", views.sign_out, name="sign_out"),
    page("register/", accounts.register, name="register"),
    page("register/confirm/<str:token>/", accounts.confirm_email, name="confirm_email"),
    page("register/resend/", accounts.resend_confirmation, name="resend_confirmation"),
    page("invitations/<str:token>/", accounts.invitation, name="invitation"),
    page("profile/", views.profile, name="profile"),
    page("language/", views.switch_language, name="language"),
    page("profile/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    page("profile/my-data/", privacy.my_data_request, name="my_data_request"),
    page("profile/my-data/<id:pk>/", privacy.my_data_file, name="my_data_file"),
    page("profile/delete/", privacy.account_delete, name="account_delete"),
    page(
        "applications/<id:pk>/retention/",
        privacy.application_retention,
        name="application_retention",
    ),
    page("applications/new/", applying.application_new, name="application_new"),
    page("applications/<id:pk>/", views.application_detail, name="application"),
    page(
        "applications/<id:pk>/edit/<slug:step>/",
        applying.application_step,
        name="application_step",
    ),
    page(
        "applications/<id:pk>/edit/<slug:step>/check/",
        applying.application_check,
        name="application_check",
    ),
    page(
        "applications/<id:pk>/documents/<slug:kind>/",
        views.application_document,
        name="application_document",
    ),
    page("reviews/<id:pk>/", committee.review, name="review"),
    page("calls/<id:pk>/dossier/", committee.call_dossier, name="call_dossier"),
    page("meetings/", committee.meetings, name="meetings"),
    page("meetings/<id:pk>/<slug:kind>/", committee.meeting_document, name="meeting_document"),
    page("programs/<id:pk>/", funder.program_page, name="program"),
    page("office/batches/", batches.batches, name="office_batches"),
    page("office/calls/", calls.calls, name="office_calls"),
    page("office/calls/new/", calls.call_new, name="office_call_new"),
    page("office/calls/<id:pk>/", calls.call_edit, name="office_call"),
    page("office/meetings/new/", meetings.meeting_new, name="office_meeting_new"),
    page("office/meetings/<id:pk>/", meetings.meeting_manage, name="office_meeting"),
    page(
        "applications/<id:pk>/recommendation/",
        meetings.recommendation,
        name="recommendation",
    ),
    page("office/", office.dashboard, name="office"),
    page("office/queues/<slug:name>/", office.queue, name="office_queue"),
    page("office/exports/<slug:kind>.<slug:form>", office.export, name="office_export"),
    page("applications/<id:pk>/payouts/", funded.payouts, name="payouts"),
    page("applications/<id:pk>/receipts/", funded.receipts_list, name="receipts"),
    page("applications/<id:pk>/receipts/<id:line>/", funded.receipt_edit, name="receipt"),
    page("applications/<id:pk>/receipts/import/", funded.receipts_import, name="receipts_import"),
    page("applications/<id:pk>/proof-of-use/", funded.proof_of_use, name="proof_of_use"),
    page("applications/<id:pk>/check/", checking.proof_check, name="proof_check"),
    page("applications/<id:pk>/changes/", funded.change_requests, name="change_requests"),
    page("organizations/new/", organizations.organization_new, name="organization_new"),
    page("organizations/<id:pk>/", views.organization_detail, name="organization"),
    page("organizations/<id:pk>/edit/", organizations.organization_edit, name="organization_edit"),
    page(
        "organizations/<id:pk>/invite/",
        organizations.organization_invite,
        name="organization_invite",
    ),
    page(
        "applications/<id:pk>/steps/<slug:name>/",
        views.application_transition,
        name="application_transition",
    ),
    page(
        "password-reset/",
        views.PasswordReset.as_view(),
        name="password_reset",
    ),
    page(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    page(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/password_reset_confirm.html",
            form_class=SetPasswordForm,
            success_url=reverse_lazy("portal:password_reset_done"),
        ),
        name="password_reset_confirm",
    ),
    page(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
]
