"""The accounts, programs and sign-in tables in the records of processing (``core.privacy``)."""

from core.privacy import not_personal, record

record(
    "grants.User",
    purpose="signing in, roles, notifications",
    people="sponsors' staff, committee members, office staff, funders",
    fields={
        "username": "the sign-in name",
        "username_key": "the sign-in name, case-folded (to refuse look-alikes)",
        "first_name": "first name",
        "last_name": "last name",
        "email": "e-mail address",
        "verified_email": "the address last confirmed by its owner",
        "password": "the password's hash (never the password)",
    },
    recipients="the office (admin and portal); committee members see names in votes",
    deleted=(
        "on request (Art. 17): at once, or once the last file that needs the account "
        "is erased; then name, e-mail and username become the pseudonym "
        '"gelöschtes Konto <id>"'
    ),
)
record(
    "grants.Program",
    purpose="the program's rules, its granting authority and its funder's contacts",
    people="the authority's signatory, the funder's contact persons",
    fields={
        "authority_signatory": "who signs the grant decisions",
        "funder_contacts": "the e-mail addresses the funder reports go to",
    },
    recipients="the office; the signatory's name is printed on every grant decision",
    deleted="kept while the program exists (the office changes or deletes it in the admin)",
    technical={
        "name": "the program's name",
        "funder_name": "the funder (a public body)",
        "committee_name": "the decision body's name",
        "authority_name": "the granting authority (a public body)",
        "authority_address": "the authority's postal address",
        "attachment_types": "the file types a program accepts",
        "treasury_name": "the paying treasury (a public body)",
        "treasury_iban": "the treasury's account",
        "treasury_bic": "the treasury's bank",
    },
)
record(
    "grants.ProgramRole",
    purpose="who is office, committee member or funder in which program, and since when",
    people="office staff, committee members, funders",
    fields={"user": "the account holding the role"},
    recipients="the office; the body's members see each other in a meeting's minutes",
    deleted="kept with the program; an erased account shows its pseudonym",
)
not_personal(
    "a program's decision bodies, cost categories and required annexes (names of things)",
    "grants.DecisionBody",
    "grants.CostCategory",
    "grants.AnnexType",
)
record(
    "knox.AuthToken",
    purpose="the API's sign-in tokens",
    people="everyone who uses the API",
    fields={"user": "the token's account", "token_key": "the first characters of the token"},
    recipients="nobody",
    deleted="at sign-out or erasure; expired tokens by the daily sweep",
)
_SIGNIN = {
    "username": "the name typed at sign-in",
    "ip_address": "the client's network address",
    "user_agent": "the browser's name and version",
}
record(
    "axes.AccessAttempt",
    purpose="locking sign-in after repeated failures (django-axes)",
    people="everyone who fails to sign in",
    fields={
        **_SIGNIN,
        "get_data": "the query of the failed request",
        "post_data": "the form of the failed request (without the password)",
    },
    recipients="nobody (the office in the admin, to unlock)",
    deleted="after {signin_days} days, by the daily sweep; at once after a successful sign-in",
)
record(
    "axes.AccessFailureLog",
    purpose="the record of failed sign-ins",
    people="everyone who fails to sign in",
    fields=_SIGNIN,
    recipients="nobody (the office in the admin)",
    deleted="after {signin_days} days, by the daily sweep",
)
record(
    "axes.AccessLog",
    purpose="the record of successful sign-ins",
    people="everyone who signs in",
    fields={**_SIGNIN, "session_hash": "a hash of the session's key"},
    recipients="nobody (the office in the admin)",
    deleted=(
        "after {signin_days} days, by the daily sweep; the address is not kept unless "
        "ACCESS_LOG_ADDRESSES=1"
    ),
)
_DEVICE = {"user": "the device's account", "name": "the device's label"}
record(
    "otp_totp.TOTPDevice",
    purpose="two-factor sign-in (an authenticator app)",
    people="everyone who sets up a second factor",
    fields={**_DEVICE, "key": "the shared secret"},
    recipients="nobody",
    deleted="when its owner removes it, and at the account's locking or erasure",
)
record(
    "otp_static.StaticDevice",
    purpose="two-factor sign-in (recovery codes)",
    people="everyone who sets up a second factor",
    fields=_DEVICE,
    recipients="nobody",
    deleted="when its owner removes it, and at the account's locking or erasure",
)
record(
    "otp_static.StaticToken",
    purpose="the recovery codes themselves",
    people="everyone who sets up a second factor",
    fields={"token": "a recovery code"},
    recipients="nobody",
    deleted="when used, and with its device",
)
