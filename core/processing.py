"""The kernel's and Django's own tables in the records of processing (``core.privacy``)."""

from core.privacy import not_personal, record

record(
    "core.AuditEntry",
    purpose="the audit trail: proof of every step taken in a file, by whom and when",
    people="everyone who acts in Zuwendo",
    fields={
        "actor": "the account that acted",
        "comment": "the comment given with the step",
        "data": "the step's details (amounts, states, and words such as reasons and names)",
    },
    recipients="the office, the funder's and the audit court's auditors (in a file export)",
    deleted=(
        "kept for as long as the file: the comments and the words in the details are "
        "erased by {sweep}; the actor is pseudonymised when the account is erased"
    ),
)
record(
    "core.PendingFileDeletion",
    purpose="the ledger of stored files still to delete (retried until the store confirms)",
    people="anyone named in a deleted file's name",
    fields={"name": "the stored file's path (a random name, not the upload's)"},
    recipients="nobody (the office in the admin)",
    deleted="as soon as the store has deleted the file",
    technical={"failure": "the store's error text"},
)
record(
    "admin.LogEntry",
    purpose="the admin's own change log",
    people="office staff using the admin",
    fields={
        "user": "the staff member",
        "object_id": "the changed row's id",
        "change_message": "which fields changed (their names, not their values)",
    },
    recipients="the office's administrators",
    deleted="kept; an erased account's entries show its pseudonym",
)
record(
    "sessions.Session",
    purpose="keeping a person signed in to the portal",
    people="everyone who signs in in a browser",
    fields={"session_data": "the account's id and the session's state"},
    recipients="nobody",
    deleted="at sign-out; expired sessions (after {session_hours} hours) by the daily sweep",
)
not_personal(
    "Django's own tables of permissions, groups and model types (no person in them)",
    "auth.Permission",
    "auth.Group",
    "contenttypes.ContentType",
)
