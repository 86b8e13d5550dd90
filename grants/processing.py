"""The accounts, programs and sign-in tables in the records of processing (``core.privacy``)."""

from django.utils.translation import gettext_lazy as _

from core.privacy import not_personal, record

record(
    "grants.User",
    purpose=_("signing in, roles, notifications"),
    people=_("sponsors' staff, committee members, office staff, funders"),
    fields={
        "username": _("the sign-in name"),
        "username_key": _("the sign-in name, case-folded (to refuse look-alikes)"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "email": _("e-mail address"),
        "verified_email": _("the address last confirmed by its owner"),
        "password": _("the password's hash (never the password)"),
    },
    recipients=_("the office (admin and portal); committee members see names in votes"),
    deleted=(
        _(
            "on request (Art. 17): at once, or once the last file that needs the account "
            "is erased; then name, e-mail and username become the pseudonym "
            '"gelöschtes Konto <id>"'
        )
    ),
)
record(
    "grants.Program",
    purpose=_("the program's rules, its granting authority and its funder's contacts"),
    people=_("the authority's signatory, the funder's contact persons"),
    fields={
        "authority_signatory": _("who signs the grant decisions"),
        "funder_contacts": _("the e-mail addresses the funder reports go to"),
    },
    recipients=_("the office; the signatory's name is printed on every grant decision"),
    deleted=_("kept while the program exists (the office changes or deletes it in the admin)"),
    technical={
        "name": _("the program's name"),
        "funder_name": _("the funder (a public body)"),
        "committee_name": _("the decision body's name"),
        "authority_name": _("the granting authority (a public body)"),
        "authority_address": _("the authority's postal address"),
        "attachment_types": _("the file types a program accepts"),
        "treasury_name": _("the paying treasury (a public body)"),
        "treasury_iban": _("the treasury's account"),
        "treasury_bic": _("the treasury's bank"),
    },
)
record(
    "grants.ProgramRole",
    purpose=_("who is office, committee member or funder in which program, and since when"),
    people=_("office staff, committee members, funders"),
    fields={"user": _("the account holding the role")},
    recipients=_("the office; the body's members see each other in a meeting's minutes"),
    deleted=_("kept with the program; an erased account shows its pseudonym"),
)
not_personal(
    _("a program's decision bodies, cost categories and required annexes (names of things)"),
    "grants.DecisionBody",
    "grants.CostCategory",
    "grants.AnnexType",
)
record(
    "knox.AuthToken",
    name=_("API token"),
    purpose=_("the API's sign-in tokens"),
    people=_("everyone who uses the API"),
    fields={"user": _("the token's account"), "token_key": _("the first characters of the token")},
    recipients=_("nobody"),
    deleted=_("at sign-out or erasure; expired tokens by the daily sweep"),
)
_SIGNIN = {
    "username": _("the name typed at sign-in"),
    "ip_address": _("the client's network address"),
    "user_agent": _("the browser's name and version"),
}
record(
    "axes.AccessAttempt",
    purpose=_("locking sign-in after repeated failures (django-axes)"),
    people=_("everyone who fails to sign in"),
    fields={
        **_SIGNIN,
        "get_data": _("the query of the failed request"),
        "post_data": _("the form of the failed request (without the password)"),
    },
    recipients=_("nobody (the office in the admin, to unlock)"),
    deleted=_("after {signin_days} days, by the daily sweep; at once after a successful sign-in"),
)
record(
    "axes.AccessFailureLog",
    purpose=_("the record of failed sign-ins"),
    people=_("everyone who fails to sign in"),
    fields=_SIGNIN,
    recipients=_("nobody (the office in the admin)"),
    deleted=_("after {signin_days} days, by the daily sweep"),
)
record(
    "axes.AccessLog",
    purpose=_("the record of successful sign-ins"),
    people=_("everyone who signs in"),
    fields={**_SIGNIN, "session_hash": _("a hash of the session's key")},
    recipients=_("nobody (the office in the admin)"),
    deleted=(
        _(
            "after {signin_days} days, by the daily sweep; the address is not kept unless "
            "ACCESS_LOG_ADDRESSES=1"
        )
    ),
)
_DEVICE = {"user": _("the device's account"), "name": _("the device's label")}
record(
    "otp_totp.TOTPDevice",
    name=_("authenticator app"),
    purpose=_("two-factor sign-in (an authenticator app)"),
    people=_("everyone who sets up a second factor"),
    fields={**_DEVICE, "key": _("the shared secret")},
    recipients=_("nobody"),
    deleted=_("when its owner removes it, and at the account's locking or erasure"),
)
record(
    "otp_static.StaticDevice",
    name=_("recovery codes"),
    purpose=_("two-factor sign-in (recovery codes)"),
    people=_("everyone who sets up a second factor"),
    fields=_DEVICE,
    recipients=_("nobody"),
    deleted=_("when its owner removes it, and at the account's locking or erasure"),
)
record(
    "otp_static.StaticToken",
    name=_("recovery code"),
    purpose=_("the recovery codes themselves"),
    people=_("everyone who sets up a second factor"),
    fields={"token": _("a recovery code")},
    recipients=_("nobody"),
    deleted=_("when used, and with its device"),
)
