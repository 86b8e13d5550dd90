"""The sponsors' tables and the application's file in the records of processing
(``core.privacy``; what the retention sweep erases is ``projects.retention``)."""

from django.utils.translation import gettext_lazy as _

from core.privacy import not_personal, record

_OFFICE = _("the office; the decision body while it reviews; the funder sees figures only")

record(
    "projects.Organization",
    purpose=_("who applies: the sponsor, its address, its account for payouts"),
    people=_("the sponsor's legal representative and account holder"),
    fields={
        "name": _("the organisation's name (a person's, for a sole trader)"),
        "address": _("postal address"),
        "email": _("e-mail address"),
        "legal_representative": _("who represents the sponsor"),
        "iban": _("bank account"),
        "bic": _("bank"),
        "account_holder": _("the account's holder"),
    },
    recipients=_("the office; the treasury (in the SEPA payment file)"),
    deleted=_("kept while the organisation exists (the office deletes it in the admin)"),
)
record(
    "projects.Membership",
    purpose=_("who works for which sponsor"),
    people=_("sponsors' staff"),
    fields={"user": _("the member's account")},
    recipients=_("the office; the organisation's other members"),
    deleted=_("when the member leaves or is removed; an erased account shows its pseudonym"),
)
record(
    "projects.Invitation",
    purpose=_("inviting a colleague into an organisation"),
    people=_("the person invited, the member who invited"),
    fields={
        "email": _("the invited address"),
        "invited_by": _("who invited"),
        "decided_by": _("who accepted or withdrew"),
    },
    recipients=_("the organisation's members, the office"),
    deleted=_(
        "the address is erased {invitation_days} days after the invitation was accepted, "
        "declined or expired, and with the invited person's account"
    ),
)
record(
    "projects.Application",
    purpose=_("the application, its decision and its proof of use"),
    people=_("sponsors' staff, the office, third parties named in the text"),
    fields={
        "created_by": _("who created the application"),
        "summary": _("the project's description"),
        "early_start_reason": _("why the project had to start early"),
        "interest_from_reason": _("why interest runs from another day"),
        "conditions": _("the decision's conditions (the office's text)"),
        "retention_hold": _("why the office holds the file"),
        "retention_held_by": _("who put the file on hold"),
    },
    recipients=_OFFICE,
    deleted=(
        _(
            "the summary and the reasons are erased by {sweep}; the title, the figures, the "
            "dates and the file number stay for the funder's statistics"
        )
    ),
)
record(
    "projects.Attachment",
    purpose=_("annexes, receipts and proofs uploaded to a file"),
    people=_("anyone named in the files"),
    fields={
        "file": _("the file's contents"),
        "original_name": _("the file's name as uploaded"),
        "description": _("the uploader's description"),
        "uploaded_by": _("who uploaded it"),
    },
    recipients=_("the office, the decision body (annexes), the sponsor (its own)"),
    deleted=_("deleted, with its stored file, by {sweep}"),
)
record(
    "projects.Expenditure",
    purpose=_("the receipts list (Belegliste) of the proof of use"),
    people=_("payees (fee earners and other persons paid)"),
    fields={
        "payee": _("who was paid"),
        "finding_reason": _("why the office cut an expense"),
        "created_by": _("who entered the line"),
        "reviewed_by": _("who checked it"),
    },
    recipients=_("the office; the funder sees sums per category"),
    deleted=(
        _(
            "a payee's name is erased by {sweep} unless it names a legal person or a public "
            "body; the office's reasons too; the amounts stay"
        )
    ),
)
record(
    "projects.ProofOfUse",
    purpose=_("the proof of use (Verwendungsnachweis) and its check"),
    people=_("sponsors' staff, the office"),
    fields={
        "narrative": _("the factual report (Sachbericht)"),
        "certified_by": _("who certified it"),
        "check_result": _("the office's findings"),
        "checked_by": _("who checked it"),
    },
    recipients=_("the office; the funder sees the figures"),
    deleted=_("the report and the findings are erased by {sweep}; the figures stay"),
)
record(
    "projects.InterimProof",
    purpose=_("the yearly interim proof of a project running over several years"),
    people=_("sponsors' staff, third parties named in the text"),
    fields={"narrative": _("the interim report")},
    recipients=_("the office"),
    deleted=_("the report is erased by {sweep}; the figures stay"),
)
record(
    "projects.PayoutRequest",
    purpose=_("requests for payment (Mittelabruf)"),
    people=_("sponsors' staff"),
    fields={"note": _("the sponsor's note"), "requested_by": _("who asked")},
    recipients=_("the office; the treasury (amount and account)"),
    deleted=_("the note is erased by {sweep}; the figures stay"),
)
record(
    "projects.PayoutBatch",
    purpose=_("the SEPA payment runs handed to the treasury"),
    people=_("office staff"),
    fields={"created_by": _("who built the batch"), "paid_by": _("who recorded the payment")},
    recipients=_("the office, the treasury"),
    deleted=_("kept (bookkeeping); an erased account shows its pseudonym"),
)
record(
    "projects.ChangeRequest",
    purpose=_("requests to change a funded project's plan or period"),
    people=_("sponsors' staff"),
    fields={"reason": _("why"), "requested_by": _("who asked")},
    recipients=_("the office"),
    deleted=_("the reason is erased by {sweep}; the figures stay"),
    technical={"budget_lines": _("the changed plan's amounts per category")},
)
_COMMITTEE = _("the office, the decision body")
record(
    "projects.Vote",
    purpose=_("the decision body's votes"),
    people=_("committee members"),
    fields={
        "member": _("who voted"),
        "comment": _("the member's comment"),
        "recorded_by": _("who entered the vote (the office, for a meeting)"),
    },
    recipients=_COMMITTEE,
    deleted=_("the comments are erased by {sweep}; the votes stay as figures"),
)
record(
    "projects.ConflictDeclaration",
    purpose=_("conflicts of interest declared by committee members (§ 20 VwVfG)"),
    people=_("committee members"),
    fields={
        "member": _("who declared"),
        "reason": _("why"),
        "recorded_by": _("who entered it"),
        "decided_by": _("who decided on the exclusion"),
        "decision_comment": _("the decision's comment"),
    },
    recipients=_COMMITTEE,
    deleted=_("the reasons and comments are erased by {sweep}; the figures stay"),
)
record(
    "projects.Objection",
    purpose=_("objections to a decision in writing (Umlaufverfahren)"),
    people=_("committee members"),
    fields={"member": _("who objected"), "reason": _("why")},
    recipients=_COMMITTEE,
    deleted=_("the reason is erased by {sweep}; the figures stay"),
)
record(
    "projects.Recommendation",
    purpose=_("the office's recommendation to the decision body"),
    people=_("office staff, the applicants named in it"),
    fields={"text": _("the recommendation's text"), "recorded_by": _("who wrote it")},
    recipients=_COMMITTEE,
    deleted=_("the text is erased by {sweep}; the figures stay"),
)
record(
    "projects.Meeting",
    purpose=_("the decision body's meetings and their minutes"),
    people=_("committee members, the minute keeper and the chair"),
    fields={
        "place": _("where it met"),
        "notes": _("the minutes' notes"),
        "keeper": _("who kept the minutes"),
        "chair_signer": _("who signed as chair"),
        "created_by": _("who called the meeting"),
    },
    recipients=_COMMITTEE,
    deleted=_("kept with the program (the minutes are the body's record)"),
)
not_personal(
    _("a meeting's agenda: its items and their vote counts"),
    "projects.AgendaItem",
)
not_personal(
    _("file numbers and the cost plan's lines (figures and names of things)"),
    "projects.ReferenceCounter",
    "projects.BudgetLine",
)
