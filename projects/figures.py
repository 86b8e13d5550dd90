"""A program's figures for a period (DOMAIN.md, "Documents and reports": the funder
report). One selector, read by ``GET /api/programs/{id}/figures/`` and by the funder
report's PDF alike, so the two never disagree. A fixed number of aggregate queries,
however many applications the program has; no personal data beyond organisation names.

What each figure counts, for the days ``start``–``end`` (Europe/Berlin):

- received: applications submitted in the period, and the grant they request;
- approved: decided in the period with an approved grant (by the office alone or after
  the committee), and that grant; rejected; withdrawn after submission;
- paid out: payouts paid in the period; proven: the eligible grant of proofs of use
  accepted in the period; reclaimed: repayments demanded in the period (revocation or
  proof of use); repaid: repayments received in the period;
- budget use per call: approved and paid out up to the period's end against the call's
  budget;
- funded projects: approved up to the period's end, not withdrawn, running at some time
  in or after the period's start; their breakdown by field of action and target group;
- amounts by state: requested and approved grant of every application submitted up to
  the period's end, by its state today;
- payouts over time: per week for a period of up to 92 days, else per month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from grants.models import Call, Program
from projects.models import Application, PayoutRequest
from projects.states import ApplicationState, PayoutState

ZERO = Decimal("0.00")
WEEKLY_UP_TO_DAYS = 92


@dataclass(frozen=True)
class KeyFigures:
    received: int
    approved: int
    rejected: int
    withdrawn: int
    requested_amount: Decimal
    approved_amount: Decimal
    paid_out: Decimal
    proven: Decimal
    reclaimed: Decimal
    repaid: Decimal


@dataclass(frozen=True)
class CallUse:
    call_id: int
    title: str
    budget: Decimal
    approved_amount: Decimal
    paid_out: Decimal
    applications: int

    @property
    def used_percent(self) -> Decimal:
        if not self.budget:
            return ZERO
        return (self.approved_amount * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Breakdown:
    label: str  # the field of action or target group as the sponsors wrote it; "" if none
    projects: int
    approved_amount: Decimal


@dataclass(frozen=True)
class StateAmounts:
    state: str
    applications: int
    requested_amount: Decimal
    approved_amount: Decimal


@dataclass(frozen=True)
class FundedProject:
    application_id: int
    reference: str
    title: str
    organization: str
    field_of_action: str
    state: str
    start_date: date | None
    end_date: date | None
    approved_amount: Decimal
    paid_out: Decimal


@dataclass(frozen=True)
class SeriesPoint:
    start: date  # the first day of the week or month
    paid_out: Decimal


@dataclass(frozen=True)
class ProgramFigures:
    program_id: int
    period_start: date
    period_end: date
    key: KeyFigures
    calls: tuple[CallUse, ...]
    by_field_of_action: tuple[Breakdown, ...]
    by_target_group: tuple[Breakdown, ...]
    by_state: tuple[StateAmounts, ...]
    funded: tuple[FundedProject, ...]
    payout_series: tuple[SeriesPoint, ...]
    series_unit: str  # "week" or "month"


def _in(prefix: str, start: date, end: date) -> Q:
    return Q(**{f"{prefix}__date__gte": start, f"{prefix}__date__lte": end})


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def key_figures(program: Program, start: date, end: date) -> KeyFigures:
    """One aggregate query over the program's applications, one over its payouts."""
    received = _in("submitted_at", start, end)
    approved = _in("decided_at", start, end) & Q(approved_amount__isnull=False)
    rejected = _in("decided_at", start, end) & Q(state=ApplicationState.REJECTED)
    withdrawn = _in("withdrawn_at", start, end) & Q(submitted_at__isnull=False)
    proven = _in("proof_accepted_at", start, end)
    reclaimed = Q(reclaim_set_on__gte=start, reclaim_set_on__lte=end, reclaim_amount__gt=0)
    repaid = Q(repaid_on__gte=start, repaid_on__lte=end)
    row = Application.objects.filter(program=program).aggregate(
        received=Count("pk", filter=received),
        approved=Count("pk", filter=approved),
        rejected=Count("pk", filter=rejected),
        withdrawn=Count("pk", filter=withdrawn),
        requested_amount=Sum("requested_amount", filter=received),
        approved_amount=Sum("approved_amount", filter=approved),
        proven=Sum("proven_amount", filter=proven),
        reclaimed=Sum("reclaim_amount", filter=reclaimed),
        repaid=Sum("repaid_amount", filter=repaid),
    )
    paid = PayoutRequest.objects.filter(
        application__program=program,
        state=PayoutState.PAID,
        paid_on__gte=start,
        paid_on__lte=end,
    ).aggregate(total=Sum("amount"))["total"]
    return KeyFigures(
        received=row["received"],
        approved=row["approved"],
        rejected=row["rejected"],
        withdrawn=row["withdrawn"],
        requested_amount=_money(row["requested_amount"]),
        approved_amount=_money(row["approved_amount"]),
        paid_out=_money(paid),
        proven=_money(row["proven"]),
        reclaimed=_money(row["reclaimed"]),
        repaid=_money(row["repaid"]),
    )


def _approved_by(end: date | None) -> Q:
    """Granted (and not withdrawn) up to ``end``, or up to now."""
    granted = Q(approved_amount__isnull=False) & ~Q(state=ApplicationState.WITHDRAWN)
    if end is not None:
        granted &= Q(decided_at__date__lte=end)
    return granted


def approved_by_call(
    applications: QuerySet[Application], end: date | None = None
) -> dict[int, tuple[Decimal, int]]:
    """Per call: the grant approved up to ``end`` (or now) and for how many applications,
    in one grouped query. The funder report's budget use and the dossier's budget
    summary both read it."""
    return {
        row["call_id"]: (_money(row["total"]), row["n"])
        for row in applications.filter(_approved_by(end))
        .order_by()
        .values("call_id")
        .annotate(total=Sum("approved_amount"), n=Count("pk"))
    }


def _paid_until(program: Program, end: date) -> dict[int, Decimal]:
    """Per application of the program, its payouts paid up to ``end``: one grouped query
    (cheaper than a subquery per row for thousands of projects)."""
    return dict(
        PayoutRequest.objects.filter(
            application__program=program, state=PayoutState.PAID, paid_on__lte=end
        )
        .order_by()
        .values("application_id")
        .annotate(total=Sum("amount"))
        .values_list("application_id", "total")
    )


def call_use(program: Program, start: date, end: date) -> tuple[CallUse, ...]:
    """Budget use per call (fund), up to the period's end: three queries."""
    calls = list(
        Call.objects.filter(program=program, opens_at__date__lte=end).order_by("opens_at", "pk")
    )
    approved = approved_by_call(Application.objects.filter(program=program), end)
    paid = dict(
        PayoutRequest.objects.filter(
            application__program=program, state=PayoutState.PAID, paid_on__lte=end
        )
        .values("application__call_id")
        .annotate(total=Sum("amount"))
        .values_list("application__call_id", "total")
    )
    return tuple(
        CallUse(
            call_id=call.pk,
            title=call.title,
            budget=call.budget,
            approved_amount=approved.get(call.pk, (ZERO, 0))[0],
            paid_out=_money(paid.get(call.pk)),
            applications=approved.get(call.pk, (ZERO, 0))[1],
        )
        for call in calls
    )


def funded_projects(program: Program, start: date, end: date):
    """The funded projects of the period (see the module's docstring), as a queryset."""
    return (
        Application.objects.filter(program=program)
        .filter(_approved_by(end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
    )


def _breakdown(projects, column: str) -> tuple[Breakdown, ...]:
    rows = (
        projects.order_by()
        .values(column)
        .annotate(n=Count("pk"), total=Sum("approved_amount"))
        .order_by("-total", column)
    )
    return tuple(
        Breakdown(label=row[column] or "", projects=row["n"], approved_amount=_money(row["total"]))
        for row in rows
    )


def amounts_by_state(program: Program, end: date) -> tuple[StateAmounts, ...]:
    order = {state: index for index, state in enumerate(ApplicationState.values)}
    rows = (
        Application.objects.filter(program=program, submitted_at__date__lte=end)
        .order_by()
        .values("state")
        .annotate(
            n=Count("pk"),
            requested=Sum("requested_amount"),
            approved=Sum("approved_amount"),
        )
    )
    return tuple(
        sorted(
            (
                StateAmounts(
                    state=row["state"],
                    applications=row["n"],
                    requested_amount=_money(row["requested"]),
                    approved_amount=_money(row["approved"]),
                )
                for row in rows
            ),
            key=lambda item: order.get(item.state, 99),
        )
    )


def series_buckets(start: date, end: date) -> tuple[str, list[date]]:
    """The first days of the weeks (Mondays) or months that cover the period."""
    if (end - start).days < WEEKLY_UP_TO_DAYS:
        first = start - timedelta(days=start.weekday())
        weeks = []
        while first <= end:
            weeks.append(first)
            first += timedelta(days=7)
        return "week", weeks
    months = []
    first = start.replace(day=1)
    while first <= end:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return "month", months


def payout_series(program: Program, start: date, end: date) -> tuple[str, tuple[SeriesPoint, ...]]:
    unit, buckets = series_buckets(start, end)
    totals: dict[date, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        PayoutRequest.objects.filter(
            application__program=program,
            state=PayoutState.PAID,
            paid_on__gte=start,
            paid_on__lte=end,
        )
        .order_by()
        .values("paid_on")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        paid_on = row["paid_on"]
        bucket = (
            paid_on - timedelta(days=paid_on.weekday())
            if unit == "week"
            else paid_on.replace(day=1)
        )
        totals[bucket] += row["total"]
    return unit, tuple(SeriesPoint(start=b, paid_out=totals[b]) for b in buckets)


def program_figures(program: Program, start: date, end: date) -> ProgramFigures:
    """Everything the funder report shows, in eleven queries whatever the program's size."""
    projects = funded_projects(program, start, end)
    paid = _paid_until(program, end)
    funded = tuple(
        FundedProject(
            application_id=row["pk"],
            reference=row["reference"],
            title=row["title"],
            organization=row["organization__name"],
            field_of_action=row["field_of_action"],
            state=row["state"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            approved_amount=row["approved_amount"],
            paid_out=paid.get(row["pk"], ZERO),
        )
        for row in projects.order_by("reference", "pk").values(
            "pk",
            "reference",
            "title",
            "organization__name",
            "field_of_action",
            "state",
            "start_date",
            "end_date",
            "approved_amount",
        )
    )
    unit, series = payout_series(program, start, end)
    return ProgramFigures(
        program_id=program.pk,
        period_start=start,
        period_end=end,
        key=key_figures(program, start, end),
        calls=call_use(program, start, end),
        by_field_of_action=_breakdown(projects, "field_of_action"),
        by_target_group=_breakdown(projects, "target_group"),
        by_state=amounts_by_state(program, end),
        funded=funded,
        payout_series=series,
        series_unit=unit,
    )
