"""Who may take which transition: the ``permission=`` of the state machine."""

from __future__ import annotations

import rules

from grants.rules import is_admin, is_program_office
from projects.rules import is_applicant

# The sponsor's side: submit, resubmit, withdraw, accept the agreement.
rules.add_perm("workflows.submit_application", is_admin | is_applicant)
# The office's side: formal check, revision request, committee, fast track, rejection.
rules.add_perm("workflows.check_application", is_admin | is_program_office)
