"""The office's admin: applications with their transitions and audit trail
(``applications``), and the committee's review: calls and meetings with their tallies,
votes and conflicts read-only with their audit (``review``)."""

from workflows.admin import applications, review  # noqa: F401
