"""Who may read and ask for documents and funder reports (the one permission layer)."""

from __future__ import annotations

import rules

from grants.roles import roles_of
from grants.rules import is_admin, is_program_office, program_id_of


@rules.predicate
def is_program_funder(user, obj) -> bool:
    return obj is not None and program_id_of(obj) in roles_of(user).funder_program_ids


@rules.predicate
def sits_on_call_body(user, call) -> bool:
    return call is not None and call.body_id in roles_of(user).committee_body_ids


# DOMAIN.md: funders receive and download the periodic reports of their program; the
# office asks for them on demand, and so may the funders.
rules.add_perm("reports.view_report", is_admin | is_program_office | is_program_funder)
rules.add_perm("reports.request_report", is_admin | is_program_office | is_program_funder)
# The agreement and the statement are the sponsor's and the office's: the committee
# reads the application, not the money.
rules.add_perm("reports.regenerate_document", is_admin | is_program_office)
# A call's dossier: the office and the members of the body that decides the call.
rules.add_perm("reports.view_call_dossier", is_admin | is_program_office | sits_on_call_body)
# The whole file as one ZIP (#22): for the funder's or the Court of Audit's review.
rules.add_perm("reports.export_file", is_admin | is_program_office)
