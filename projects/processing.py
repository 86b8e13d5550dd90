"""The sponsors' tables and the application's file in the records of processing
(``core.privacy``; what the retention sweep erases is ``projects.retention``)."""

from core.privacy import not_personal, record

_OFFICE = "the office; the decision body while it reviews; the funder sees figures only"
_WORDS_ERASED = "erased by {sweep}; the figures stay"

record(
    "projects.Organization",
    purpose="who applies: the sponsor, its address, its account for payouts",
    people="the sponsor's legal representative and account holder",
    fields={
        "name": "the organisation's name (a person's, for a sole trader)",
        "address": "postal address",
        "email": "e-mail address",
        "legal_representative": "who represents the sponsor",
        "iban": "bank account",
        "bic": "bank",
        "account_holder": "the account's holder",
    },
    recipients="the office; the treasury (in the SEPA payment file)",
    deleted="kept while the organisation exists (the office deletes it in the admin)",
)
record(
    "projects.Membership",
    purpose="who works for which sponsor",
    people="sponsors' staff",
    fields={"user": "the member's account"},
    recipients="the office; the organisation's other members",
    deleted="when the member leaves or is removed; an erased account shows its pseudonym",
)
record(
    "projects.Invitation",
    purpose="inviting a colleague into an organisation",
    people="the person invited, the member who invited",
    fields={
        "email": "the invited address",
        "invited_by": "who invited",
        "decided_by": "who accepted or withdrew",
    },
    recipients="the organisation's members, the office",
    deleted="the address is erased with the invited person's account",
)
record(
    "projects.Application",
    purpose="the application, its decision and its proof of use",
    people="sponsors' staff, the office, third parties named in the text",
    fields={
        "created_by": "who created the application",
        "summary": "the project's description",
        "early_start_reason": "why the project had to start early",
        "interest_from_reason": "why interest runs from another day",
        "conditions": "the decision's conditions (the office's text)",
        "retention_hold": "why the office holds the file",
        "retention_held_by": "who put the file on hold",
    },
    recipients=_OFFICE,
    deleted=(
        "the summary and the reasons are erased by {sweep}; the title, the figures, the "
        "dates and the file number stay for the funder's statistics"
    ),
)
record(
    "projects.Attachment",
    purpose="annexes, receipts and proofs uploaded to a file",
    people="anyone named in the files",
    fields={
        "file": "the file's contents",
        "original_name": "the file's name as uploaded",
        "description": "the uploader's description",
        "uploaded_by": "who uploaded it",
    },
    recipients="the office, the decision body (annexes), the sponsor (its own)",
    deleted="deleted, with its stored file, by {sweep}",
)
record(
    "projects.Expenditure",
    purpose="the receipts list (Belegliste) of the proof of use",
    people="payees (fee earners and other persons paid)",
    fields={
        "payee": "who was paid",
        "finding_reason": "why the office cut an expense",
        "created_by": "who entered the line",
        "reviewed_by": "who checked it",
    },
    recipients="the office; the funder sees sums per category",
    deleted=(
        "a payee's name is erased by {sweep} unless it names a legal person or a public "
        "body; the office's reasons too; the amounts stay"
    ),
)
record(
    "projects.ProofOfUse",
    purpose="the proof of use (Verwendungsnachweis) and its check",
    people="sponsors' staff, the office",
    fields={
        "narrative": "the factual report (Sachbericht)",
        "certified_by": "who certified it",
        "check_result": "the office's findings",
        "checked_by": "who checked it",
    },
    recipients="the office; the funder sees the figures",
    deleted="the report and the findings are " + _WORDS_ERASED,
)
record(
    "projects.InterimProof",
    purpose="the yearly interim proof of a project running over several years",
    people="sponsors' staff, third parties named in the text",
    fields={"narrative": "the interim report"},
    recipients="the office",
    deleted=_WORDS_ERASED,
)
record(
    "projects.PayoutRequest",
    purpose="requests for payment (Mittelabruf)",
    people="sponsors' staff",
    fields={"note": "the sponsor's note", "requested_by": "who asked"},
    recipients="the office; the treasury (amount and account)",
    deleted="the note is " + _WORDS_ERASED,
)
record(
    "projects.PayoutBatch",
    purpose="the SEPA payment runs handed to the treasury",
    people="office staff",
    fields={"created_by": "who built the batch", "paid_by": "who recorded the payment"},
    recipients="the office, the treasury",
    deleted="kept (bookkeeping); an erased account shows its pseudonym",
)
record(
    "projects.ChangeRequest",
    purpose="requests to change a funded project's plan or period",
    people="sponsors' staff",
    fields={"reason": "why", "requested_by": "who asked"},
    recipients="the office",
    deleted="the reason is " + _WORDS_ERASED,
    technical={"budget_lines": "the changed plan's amounts per category"},
)
_COMMITTEE = "the office, the decision body"
record(
    "projects.Vote",
    purpose="the decision body's votes",
    people="committee members",
    fields={
        "member": "who voted",
        "comment": "the member's comment",
        "recorded_by": "who entered the vote (the office, for a meeting)",
    },
    recipients=_COMMITTEE,
    deleted="the comments are erased by {sweep}; the votes stay as figures",
)
record(
    "projects.ConflictDeclaration",
    purpose="conflicts of interest declared by committee members (§ 20 VwVfG)",
    people="committee members",
    fields={
        "member": "who declared",
        "reason": "why",
        "recorded_by": "who entered it",
        "decided_by": "who decided on the exclusion",
        "decision_comment": "the decision's comment",
    },
    recipients=_COMMITTEE,
    deleted="the reasons and comments are " + _WORDS_ERASED,
)
record(
    "projects.Objection",
    purpose="objections to a decision in writing (Umlaufverfahren)",
    people="committee members",
    fields={"member": "who objected", "reason": "why"},
    recipients=_COMMITTEE,
    deleted="the reason is " + _WORDS_ERASED,
)
record(
    "projects.Recommendation",
    purpose="the office's recommendation to the decision body",
    people="office staff, the applicants named in it",
    fields={"text": "the recommendation's text", "recorded_by": "who wrote it"},
    recipients=_COMMITTEE,
    deleted="the text is " + _WORDS_ERASED,
)
record(
    "projects.Meeting",
    purpose="the decision body's meetings and their minutes",
    people="committee members, the minute keeper and the chair",
    fields={
        "place": "where it met",
        "notes": "the minutes' notes",
        "keeper": "who kept the minutes",
        "chair_signer": "who signed as chair",
        "created_by": "who called the meeting",
    },
    recipients=_COMMITTEE,
    deleted="kept with the program (the minutes are the body's record)",
)
not_personal(
    "a meeting's agenda: its items and their vote counts",
    "projects.AgendaItem",
)
not_personal(
    "file numbers and the cost plan's lines (figures and names of things)",
    "projects.ReferenceCounter",
    "projects.BudgetLine",
)
