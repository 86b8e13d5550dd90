"""The models of organisations, applications and their committee review."""

from projects.models.applications import (
    Application,
    BudgetLine,
    Invitation,
    Membership,
    Organization,
    ReferenceCounter,
)
from projects.models.attachments import Attachment, Owner, ScanState
from projects.models.money import (
    ChangeRequest,
    Expenditure,
    InterimProof,
    PayoutBatch,
    PayoutRequest,
    ProofOfUse,
)
from projects.models.review import (
    AgendaItem,
    ConflictDeclaration,
    Meeting,
    Objection,
    Recommendation,
    Vote,
)

__all__ = [
    "AgendaItem",
    "Application",
    "Attachment",
    "BudgetLine",
    "ChangeRequest",
    "ConflictDeclaration",
    "Expenditure",
    "InterimProof",
    "Invitation",
    "Meeting",
    "Membership",
    "Objection",
    "Organization",
    "Owner",
    "PayoutBatch",
    "PayoutRequest",
    "ProofOfUse",
    "Recommendation",
    "ReferenceCounter",
    "ScanState",
    "Vote",
]
