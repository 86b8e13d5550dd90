"""The kernel's and Django's own tables in the records of processing (``core.privacy``)."""

from django.utils.translation import gettext_lazy as _

from core.privacy import not_personal, record

record(
    "core.AuditEntry",
    purpose=_("the audit trail: proof of every step taken in a file, by whom and when"),
    people=_("everyone who acts in Zuwendo"),
    fields={
        "actor": _("the account that acted"),
        "comment": _("the comment given with the step"),
        "data": _("the step's details (amounts, states, and words such as reasons and names)"),
    },
    recipients=_("the office, the funder's and the audit court's auditors (in a file export)"),
    deleted=(
        _(
            "kept for as long as the file: the comments and the words in the details are "
            "erased by {sweep}; the actor is pseudonymised when the account is erased"
        )
    ),
)
record(
    "core.PendingFileDeletion",
    purpose=_("the ledger of stored files still to delete (retried until the store confirms)"),
    people=_("anyone named in a deleted file's name"),
    fields={"name": _("the stored file's path (a random name, not the upload's)")},
    recipients=_("nobody (the office in the admin)"),
    deleted=_("as soon as the store has deleted the file"),
    technical={"failure": _("the store's error text")},
)
record(
    "admin.LogEntry",
    purpose=_("the admin's own change log"),
    people=_("office staff using the admin"),
    fields={
        "user": _("the staff member"),
        "object_id": _("the changed row's id"),
        "change_message": _("which fields changed (their names, not their values)"),
    },
    recipients=_("the office's administrators"),
    deleted=_("kept; an erased account's entries show its pseudonym"),
)
record(
    "sessions.Session",
    purpose=_("keeping a person signed in to the portal"),
    people=_("everyone who signs in in a browser"),
    fields={"session_data": _("the account's id and the session's state")},
    recipients=_("nobody"),
    deleted=_("at sign-out; expired sessions (after {session_hours} hours) by the daily sweep"),
)
not_personal(
    _("Django's own tables of permissions, groups and model types (no person in them)"),
    "auth.Permission",
    "auth.Group",
    "contenttypes.ContentType",
)
