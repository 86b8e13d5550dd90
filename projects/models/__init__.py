"""The models of organisations, applications and their committee review."""

from projects.models.applications import (
    Application,
    BudgetLine,
    Invitation,
    Membership,
    Organization,
    ReferenceCounter,
)
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
    "PayoutBatch",
    "PayoutRequest",
    "ProofOfUse",
    "Recommendation",
    "ReferenceCounter",
    "Vote",
]
