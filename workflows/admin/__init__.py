"""The office's admin: applications with their transitions and audit trail
(``applications``), and the committee's review: calls and meetings with their tallies,
votes and conflicts read-only with their audit (``review``); the money's work queues
(``money``)."""

from workflows.admin import applications, money, review  # noqa: F401
