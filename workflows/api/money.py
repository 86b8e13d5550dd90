"""A funded project's money over HTTP (thin views): payout requests and their transitions,
the receipts list, and the proof of use with its numeric statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Model, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import RejectUnknownFieldsMixin, TransitionSerializer
from core.errors import require
from core.money import MoneySerializerField
from core.text import Limit, line_input, prose_input
from core.transitions import available_transitions
from grants.models import CostCategory, Program
from projects import funding
from projects.api import MAX_PLAN_LINES
from projects.models import (
    ChangeRequest,
    Expenditure,
    InterimProof,
    PayoutBatch,
    PayoutRequest,
    ProofOfUse,
)
from projects.models.money import CheckExtent, Finding
from projects.selectors import applications_visible_to
from workflows import money, services
from workflows.api.committee import ApplicationChildMixin
from workflows.api.transitions import TransitionEndpoint


class PaymentSerializer(serializers.ModelSerializer):
    uncovered_amount = serializers.SerializerMethodField(
        help_text="Paid payouts: the part no receipt has used yet; others: null."
    )
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = PayoutRequest
        fields = [
            "id",
            "application",
            "amount",
            "note",
            "needed_by",
            "state",
            "requested_at",
            "decided_at",
            "paid_on",
            "window_ends_on",
            "uncovered_amount",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_uncovered_amount(self, payout) -> str | None:
        uncovered = self.context.get("uncovered")
        if uncovered is None:
            uncovered = funding.uncovered_amounts(payout.application)
        amount = uncovered.get(payout.pk)
        return None if amount is None else f"{amount:.2f}"

    def get_available_transitions(self, payout) -> list[str]:
        return [t.name for t in available_transitions(payout, self.context["request"].user)]


class PaymentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    amount = MoneySerializerField(min_value=Decimal("0.01"))
    note = prose_input(Limit.NOTE, required=False, allow_blank=True, default="")
    needed_by = serializers.DateField(
        help_text="The day by which the money will be spent, within the spending window "
        "(ANBest-P 1.4)."
    )


class ApplicationPaymentsView(ApplicationChildMixin, APIView):
    """``GET``: the payout requests (sponsor and office). ``POST``: the sponsor requests a
    payout while the project is funded (201)."""

    parent_permissions = {"GET": "projects.view_money", "POST": "projects.view_money"}

    def _answer(self, payouts, many: bool, answer: int = status.HTTP_200_OK) -> Response:
        application = self.get_parent()
        context = {"request": self.request, "uncovered": funding.uncovered_amounts(application)}
        return Response(PaymentSerializer(payouts, many=many, context=context).data, status=answer)

    @extend_schema(responses=PaymentSerializer(many=True))
    def get(self, request, pk: int):
        payouts = (
            self.get_parent()
            .payouts.select_related("application__program")
            .order_by("requested_at", "pk")
        )
        return self._answer(payouts, many=True)

    @extend_schema(request=PaymentInput, responses={201: PaymentSerializer})
    def post(self, request, pk: int):
        body = PaymentInput(data=request.data)
        body.is_valid(raise_exception=True)
        payout = money.payout_request(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return self._answer(payout, many=False, answer=status.HTTP_201_CREATED)


def _visible_money_row(request, model: type[Model], pk: int, *related: str):
    """A payout, receipt or change request: 404 unless the caller sees its application,
    403 unless they may see its money (the sponsor and the office)."""
    visible = applications_visible_to(request.user).values("pk")
    row = get_object_or_404(
        model.objects.select_related(
            "application__program", "application__organization", "application__call", *related
        ),
        pk=pk,
        application__in=visible,
    )
    require(request.user, "projects.view_money", row.application)
    return row


def _visible_payment(request, pk: int) -> PayoutRequest:
    return _visible_money_row(request, PayoutRequest, pk)


class PaymentTransitionView(TransitionEndpoint):
    """Take this transition of a payout (the office: ``approve``, ``reject`` with a
    comment, ``mark_paid`` with ``paid_on``); answers with the payout."""

    machine = money.PAYOUTS
    answer = PaymentSerializer

    def find(self, request, pk: int) -> Model:
        return _visible_payment(request, pk)


class PaymentTransitionListView(APIView):
    @extend_schema(responses=TransitionSerializer(many=True))
    def get(self, request, pk: int):
        payout = _visible_payment(request, pk)
        transitions = available_transitions(payout, request.user)
        return Response(TransitionSerializer(transitions, many=True).data)


class ExpenditureSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", queryset=CostCategory.objects.all())
    amount = MoneySerializerField(
        min_value=Decimal("0.01"), help_text="The net amount (without VAT)."
    )
    vat = MoneySerializerField(
        min_value=Decimal("0.00"),
        required=False,
        help_text="The VAT on the receipt; it counts as cost unless the sponsor deducts "
        "input tax (then only the net amount is eligible).",
    )
    finding = serializers.ChoiceField(
        choices=[("", "none"), *Finding.choices],
        read_only=True,
        help_text="The office's finding ('' until it reviews the line).",
    )
    finding_amount = MoneySerializerField(read_only=True, allow_null=True)
    eligible_amount = serializers.SerializerMethodField(
        help_text="What the statement counts: net (+ VAT unless input tax is deducted), or "
        "the office's finding."
    )
    receipt_scan = serializers.SerializerMethodField(
        help_text="``attached`` (a clean scan), ``pending`` (waiting for the virus scan), "
        "``requested`` (the office asked for it: Beleg angefordert) or ``''``."
    )

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "date",
            "payee",
            "purpose",
            "category",
            "amount",
            "vat",
            "receipt_number",
            "receipt_requested",
            "finding",
            "finding_amount",
            "finding_reason",
            "eligible_amount",
            "receipt_scan",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "receipt_requested",
            "finding",
            "finding_reason",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]

    def get_receipt_scan(self, line) -> str:
        scans = self.context.get("scans")
        if scans is None:
            scans = receipt_scans(line.application)
        state = scans.get(line.pk, "")
        if state == "clean":
            return "attached"
        if state == "pending":
            return "pending"
        return "requested" if line.receipt_requested else ""

    def get_eligible_amount(self, line) -> str:
        return f"{line.eligible(line.application.organization.deducts_input_tax):.2f}"

    def get_fields(self):
        fields = super().get_fields()
        application = self.context.get("application")
        if application is not None:
            # Codes are unique per program: look them up in the application's program.
            fields["category"].queryset = CostCategory.objects.filter(
                program_id=application.program_id
            )
        return fields


def receipt_scans(application) -> dict[int, str]:
    """Per receipts-list line, its best scan's state (clean before pending)."""
    best: dict[int, str] = {}
    for line_id, state in application.attachments.filter(owner="receipt").values_list(
        "owner_id", "scan_state"
    ):
        if best.get(line_id) != "clean" and state in ("clean", "pending"):
            best[line_id] = state
    return best


class ApplicationExpendituresView(ApplicationChildMixin, APIView):
    """The receipts list (Belegliste): read by the sponsor and the office; the sponsor
    adds lines while the project is funded."""

    parent_permissions = {"GET": "projects.view_money", "POST": "projects.view_money"}

    @extend_schema(responses=ExpenditureSerializer(many=True))
    def get(self, request, pk: int):
        application = self.get_parent()
        lines = application.expenditures.select_related("category").order_by("date", "pk")
        context = {"scans": receipt_scans(application)}
        return Response(ExpenditureSerializer(lines, many=True, context=context).data)

    @extend_schema(request=ExpenditureSerializer, responses={201: ExpenditureSerializer})
    def post(self, request, pk: int):
        application = self.get_parent()
        body = ExpenditureSerializer(data=request.data, context={"application": application})
        body.is_valid(raise_exception=True)
        line = money.expenditure_create(
            application=application, actor=request.user, **body.validated_data
        )
        return Response(ExpenditureSerializer(line).data, status=status.HTTP_201_CREATED)


class ExpenditureView(APIView):
    """``PATCH`` or ``DELETE`` one line while the project is funded (audited)."""

    def _line(self, request, pk: int) -> Expenditure:
        return _visible_money_row(request, Expenditure, pk, "category")

    @extend_schema(request=ExpenditureSerializer, responses=ExpenditureSerializer)
    def patch(self, request, pk: int):
        line = self._line(request, pk)
        body = ExpenditureSerializer(
            line, data=request.data, partial=True, context={"application": line.application}
        )
        body.is_valid(raise_exception=True)
        line = money.expenditure_update(expenditure=line, actor=request.user, **body.validated_data)
        return Response(ExpenditureSerializer(line).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        money.expenditure_delete(expenditure=self._line(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReceiptsRequestInput(RejectUnknownFieldsMixin, serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=True,
        max_length=2000,
        help_text="The receipts-list lines whose receipts are asked for; empty: all of them.",
    )
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True)


class ReceiptsRequestView(ApplicationChildMixin, APIView):
    """The office asks for the receipts of chosen lines (all, or a sample it picks) while
    checking the proof of use; the sponsor is told by e-mail (VV Nr. 11 zu § 44 BHO)."""

    parent_permissions = {"POST": "projects.take_office_step"}

    @extend_schema(request=ReceiptsRequestInput, responses=ExpenditureSerializer(many=True))
    def post(self, request, pk: int):
        body = ReceiptsRequestInput(data=request.data)
        body.is_valid(raise_exception=True)
        lines = money.receipts_request(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return Response(ExpenditureSerializer(lines, many=True).data)


class FindingInput(RejectUnknownFieldsMixin, serializers.Serializer):
    finding = serializers.ChoiceField(choices=Finding.choices)
    amount = MoneySerializerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=Decimal("0.00"),
        help_text="Only for ``reduced``: the eligible amount.",
    )
    reason = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class ExpenditureFindingView(APIView):
    """The office's finding on one receipts-list line while the proof of use is checked:
    ``accepted``, ``reduced`` (with the eligible amount and the reason) or ``refused``
    (with the reason); audited, and the statement counts it."""

    @extend_schema(request=FindingInput, responses=ExpenditureSerializer)
    def post(self, request, pk: int):
        line = _visible_money_row(request, Expenditure, pk, "category")
        require(request.user, "projects.take_office_step", line.application)
        body = FindingInput(data=request.data)
        body.is_valid(raise_exception=True)
        line = money.receipt_finding(expenditure=line, actor=request.user, **body.validated_data)
        return Response(ExpenditureSerializer(line).data)


class CheckNoteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    extent = serializers.ChoiceField(choices=CheckExtent.choices)
    result = prose_input(Limit.NOTE)


class CheckNoteAnswer(serializers.Serializer):
    extent = serializers.ChoiceField(
        choices=[("", "not checked yet"), *CheckExtent.choices],
        help_text="'' until the office writes the note.",
    )
    result = serializers.CharField()
    checked_by = serializers.CharField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    lines = serializers.ListField(
        child=serializers.IntegerField(), help_text="The receipts-list lines checked."
    )


def _check_note(proof: ProofOfUse | None) -> dict:
    if proof is None or proof.checked_at is None:
        return {"extent": "", "result": "", "checked_by": None, "checked_at": None, "lines": []}
    lines = proof.application.expenditures.all()
    if proof.check_extent == CheckExtent.SAMPLE:
        lines = lines.filter(receipt_requested=True)
    return {
        "extent": proof.check_extent,
        "result": proof.check_result,
        "checked_by": proof.checked_by.get_full_name() or proof.checked_by.username,
        "checked_at": proof.checked_at,
        "lines": list(lines.values_list("pk", flat=True)),
    }


class CheckNoteView(ApplicationChildMixin, APIView):
    """The check note (Prüfvermerk) of the proof of use: ``PUT`` by the office while it
    checks (extent, result; the findings are the lines'), ``GET`` by the sponsor and the
    office (``checked_at`` null until written). ``accept_proof`` needs it."""

    parent_permissions = {"GET": "projects.view_money", "PUT": "projects.take_office_step"}

    @extend_schema(responses=CheckNoteAnswer)
    def get(self, request, pk: int):
        proof = ProofOfUse.objects.filter(application=self.get_parent()).first()
        return Response(CheckNoteAnswer(_check_note(proof)).data)

    @extend_schema(request=CheckNoteSerializer, responses=CheckNoteAnswer)
    def put(self, request, pk: int):
        body = CheckNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proof = money.check_note_save(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return Response(CheckNoteAnswer(_check_note(proof)).data)


class EarlyStartInput(RejectUnknownFieldsMixin, serializers.Serializer):
    granted = serializers.BooleanField()
    granted_from = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: the day asked for."
    )
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class EarlyStartAnswer(serializers.Serializer):
    early_start_from = serializers.DateField(allow_null=True)
    early_start_reason = serializers.CharField()
    early_start_decision = serializers.CharField()
    early_start_granted_from = serializers.DateField(allow_null=True)


class EarlyStartView(ApplicationChildMixin, APIView):
    """The office grants (from the day asked or a later one) or refuses the early start
    the sponsor asked for, before the grant decision (VV Nr. 1.3 zu § 44 BHO; audited)."""

    parent_permissions = {"POST": "projects.take_office_step"}

    @extend_schema(request=EarlyStartInput, responses=EarlyStartAnswer)
    def post(self, request, pk: int):
        body = EarlyStartInput(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.early_start_decide(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return Response(EarlyStartAnswer(application).data)


class InterimDueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    due = serializers.DateField()
    submitted = serializers.BooleanField()


class DueDatesSerializer(serializers.Serializer):
    proof_of_use_due = serializers.DateField(allow_null=True)
    interim_proof_due = serializers.DateField(
        allow_null=True, help_text="The next interim proof not yet submitted."
    )
    interim_proofs = InterimDueSerializer(
        many=True, help_text="One per 31 December the project runs past (ANBest-P 6.1)."
    )
    repayment_due = serializers.DateField(
        allow_null=True,
        help_text="The program's months after the demand was notified (§ 41 Abs. 2 VwVfG: "
        "the fourth day after sending), moved per § 31 VwVfG.",
    )


class StatementLineSerializer(serializers.Serializer):
    category = serializers.CharField(source="code")
    name = serializers.CharField()
    planned = serializers.DecimalField(max_digits=12, decimal_places=2)
    actual = serializers.DecimalField(max_digits=12, decimal_places=2)
    eligible = serializers.DecimalField(max_digits=12, decimal_places=2)
    # No bound on the digits: a receipt of 100,200 € on a plan of 100 € is 100,100 %.
    over_percent = serializers.DecimalField(max_digits=None, decimal_places=2)
    explanation = serializers.CharField()


def _FIGURE() -> serializers.DecimalField:
    # A computed figure: a sum of receipts may have more digits than any one amount.
    return serializers.DecimalField(max_digits=None, decimal_places=2)


class StatementSerializer(serializers.Serializer):
    categories = StatementLineSerializer(source="lines", many=True)
    planned_costs = _FIGURE()
    actual_costs = _FIGURE()
    eligible_costs = _FIGURE()
    eligible_grant = _FIGURE()
    paid_out = _FIGURE()
    balance = _FIGURE()
    reclaim = _FIGURE()
    interest_estimate = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text="null when the base-rate table lacks a half-year of the period; "
        "``explanations.interest_estimate`` names it.",
    )
    explanations = serializers.DictField(child=serializers.CharField())


class ProofOfUseSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    actual_own_funds = MoneySerializerField(required=False, allow_null=True)
    actual_third_party_funds = MoneySerializerField(required=False, allow_null=True)
    actual_income = MoneySerializerField(required=False, allow_null=True)
    narrative = prose_input(Limit.NARRATIVE, required=False, allow_blank=True)
    certified = serializers.BooleanField(
        required=False,
        help_text="The sponsor's certification (ANBest-P 6): the money was spent "
        "economically and according to the grant's conditions, and the figures match the "
        "books and receipts. ``true`` records who and when; a later change of the proof "
        "withdraws it unless sent again.",
    )

    class Meta:
        model = ProofOfUse
        fields = [*money.PROOF_FIELDS, "certified"]

    def to_representation(self, proof):
        data = super().to_representation(proof)
        data["certified"] = proof.certified_at is not None
        return data


class ProofOfUseAnswer(ProofOfUseSerializer):
    certified_by = serializers.CharField(allow_null=True, read_only=True)
    certified_at = serializers.DateTimeField(allow_null=True, read_only=True)
    check_note = CheckNoteAnswer(read_only=True)
    statement = StatementSerializer(read_only=True)
    due_dates = DueDatesSerializer(read_only=True)

    class Meta(ProofOfUseSerializer.Meta):
        fields = [
            *ProofOfUseSerializer.Meta.fields,
            "certified_by",
            "certified_at",
            "check_note",
            "statement",
            "due_dates",
        ]


class ProofOfUseView(ApplicationChildMixin, APIView):
    """``PUT``: the sponsor writes the narrative, participants and actual financing (empty
    amounts: as planned) while funded. ``GET`` adds the numeric statement with a sentence
    per figure and the interest estimate."""

    parent_permissions = {"GET": "projects.view_money", "PUT": "projects.view_money"}

    def _answer(self, application) -> Response:
        proof = ProofOfUse.objects.filter(application=application).first() or ProofOfUse(
            application=application
        )
        result = funding.statement_for(application)
        data = ProofOfUseSerializer(proof).data
        certifier = proof.certified_by
        data["certified_by"] = (
            (certifier.get_full_name() or certifier.username) if certifier else None
        )
        data["certified_at"] = (
            serializers.DateTimeField().to_representation(proof.certified_at)
            if proof.certified_at
            else None
        )
        data["check_note"] = CheckNoteAnswer(_check_note(proof if proof.pk else None)).data
        estimate, gap = funding.estimate_or_gap(application, result)
        explanations = dict(result.explanations)
        if gap:
            explanations["interest_estimate"] = gap
        figures = {**result.__dict__, "interest_estimate": estimate, "explanations": explanations}
        data["statement"] = StatementSerializer(figures).data
        data["due_dates"] = DueDatesSerializer(funding.due_dates(application)).data
        return Response(data)

    @extend_schema(responses=ProofOfUseAnswer)
    def get(self, request, pk: int):
        return self._answer(self.get_parent())

    @extend_schema(request=ProofOfUseSerializer, responses=ProofOfUseAnswer)
    def put(self, request, pk: int):
        application = self.get_parent()
        body = ProofOfUseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The answer is computed in the same transaction: a write never saves and then
        # fails to answer (a statement that cannot be computed undoes the save).
        with transaction.atomic():
            money.proof_of_use_save(
                application=application, actor=request.user, **body.validated_data
            )
            return self._answer(application)


class NewPlanLine(RejectUnknownFieldsMixin, serializers.Serializer):
    category = serializers.SlugField(max_length=40)
    description = line_input(Limit.LINE)
    amount = MoneySerializerField(min_value=Decimal("0.01"))


class PlanLineAnswer(serializers.Serializer):
    category = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.CharField(help_text="Euros with two decimals, e.g. ``1234.50``.")


class ChangeRequestSerializer(serializers.ModelSerializer):
    budget_lines = PlanLineAnswer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text="The new plan, with the same total as before (null: the plan stays).",
    )
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "reason",
            "end_date",
            "budget_lines",
            "state",
            "requested_at",
            "decided_at",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_available_transitions(self, change) -> list[str]:
        return [t.name for t in available_transitions(change, self.context["request"].user)]


class ChangeRequestInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = prose_input(Limit.COMMENT)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    budget_lines = NewPlanLine(
        many=True, required=False, allow_null=True, default=None, max_length=MAX_PLAN_LINES
    )


class ApplicationChangeRequestsView(ApplicationChildMixin, APIView):
    """Change requests (Änderungsantrag, ANBest-P 5): the sponsor asks while funded; the
    sponsor and the office read them."""

    parent_permissions = {"GET": "projects.view_money", "POST": "projects.view_money"}

    @extend_schema(responses=ChangeRequestSerializer(many=True))
    def get(self, request, pk: int):
        changes = self.get_parent().change_requests.select_related("application__program")
        context = {"request": request}
        return Response(ChangeRequestSerializer(changes, many=True, context=context).data)

    @extend_schema(request=ChangeRequestInput, responses={201: ChangeRequestSerializer})
    def post(self, request, pk: int):
        body = ChangeRequestInput(data=request.data)
        body.is_valid(raise_exception=True)
        change = money.change_request_create(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        answer = ChangeRequestSerializer(change, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)


class ChangeRequestTransitionView(TransitionEndpoint):
    """Take this transition of a change request (the office: ``grant``, or ``refuse`` with
    a comment); answers with the change request."""

    machine = money.CHANGES
    answer = ChangeRequestSerializer

    def find(self, request, pk: int) -> Model:
        return _visible_money_row(request, ChangeRequest, pk)


class InterimProofInput(RejectUnknownFieldsMixin, serializers.Serializer):
    narrative = prose_input(Limit.NARRATIVE, allow_blank=True)
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=2000,
        max_value=2100,
        help_text="The year reported on; empty: the first one still open.",
    )


class InterimProofAnswer(serializers.Serializer):
    year = serializers.IntegerField()
    narrative = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    statement = StatementSerializer()


class InterimYearFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class InterimProofView(ApplicationChildMixin, APIView):
    """The interim proofs (Zwischennachweis, ANBest-P 6.1) of a project running past 31
    December: one per such year. ``PUT`` the narrative of a year (default: the first
    still open); ``GET ?year=`` adds the statement of the receipts and payouts up to that
    year's end and the due date (default: the first still open, else the last)."""

    parent_permissions = {"GET": "projects.view_money", "PUT": "projects.view_money"}

    def _answer(self, application, year: int | None = None) -> Response:
        owed = funding.interim_proofs(application)
        chosen = next((item for item in owed if item["year"] == year), None)
        if chosen is None:
            open_ones = [item for item in owed if not item["submitted"]]
            chosen = open_ones[0] if open_ones else (owed[-1] if owed else None)
        if chosen is None:
            first = application.start_date.year if application.start_date else None
            chosen = {"year": first, "due": None}
        proof = InterimProof.objects.filter(application=application, year=chosen["year"]).first()
        until = date(chosen["year"], 12, 31) if chosen["year"] else None
        result = funding.statement_for(application, until=until)
        figures = {**result.__dict__, "interest_estimate": Decimal("0.00")}
        return Response(
            InterimProofAnswer(
                {
                    "year": chosen["year"],
                    "narrative": proof.narrative if proof else "",
                    "due": chosen["due"],
                    "statement": figures,
                }
            ).data
        )

    @extend_schema(parameters=[InterimYearFilter], responses=InterimProofAnswer)
    def get(self, request, pk: int):
        query = InterimYearFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self._answer(self.get_parent(), query.validated_data.get("year"))

    @extend_schema(request=InterimProofInput, responses=InterimProofAnswer)
    def put(self, request, pk: int):
        application = self.get_parent()
        body = InterimProofInput(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():  # as the proof of use: saved only with its answer
            proof = money.interim_proof_save(
                application=application, actor=request.user, **body.validated_data
            )
            return self._answer(application, proof.year)


# -- payout batches ------------------------------------------------------------------------


class BatchPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference")
    payee = serializers.CharField(source="application.organization.name")
    amount = MoneySerializerField()
    state = serializers.CharField()


class PayoutBatchSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    total = serializers.SerializerMethodField()
    ordered_by = serializers.SerializerMethodField()
    payments = BatchPaymentSerializer(source="payouts", many=True, read_only=True)

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "reference",
            "program",
            "state",
            "execution_date",
            "created_at",
            "ordered_by",
            "paid_on",
            "total",
            "payments",
        ]
        read_only_fields = fields

    def get_total(self, batch) -> str:
        return f"{sum((p.amount for p in batch.payouts.all()), Decimal('0.00')):.2f}"

    def get_ordered_by(self, batch) -> str:
        return batch.created_by.get_full_name() or batch.created_by.username


class PayoutBatchInput(RejectUnknownFieldsMixin, serializers.Serializer):
    payments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=True,
        max_length=2000,
        help_text="The approved payouts to pay; empty: every approved one not in a batch.",
    )
    execution_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: today."
    )


class PaidInput(RejectUnknownFieldsMixin, serializers.Serializer):
    paid_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: today."
    )


def _batches():
    return PayoutBatch.objects.select_related("program", "created_by").prefetch_related(
        Prefetch(
            "payouts",
            queryset=PayoutRequest.objects.select_related("application__organization").order_by(
                "pk"
            ),
        )
    )


def visible_batch(request, pk: int) -> PayoutBatch:
    """A batch of a program the caller runs the office of (404 for anyone else)."""
    batch = get_object_or_404(_batches(), pk=pk)
    if not request.user.has_perm("projects.pay_out", batch):
        raise Http404
    return batch


class ProgramPayoutBatchesView(APIView):
    """A program's payout batches (Zahllauf), newest first: ``GET`` lists, ``POST`` puts
    approved payouts into a new batch for the treasury (the office)."""

    def _program(self, request, pk: int) -> Program:
        program = get_object_or_404(Program, pk=pk)
        require(request.user, "projects.pay_out", program)
        return program

    @extend_schema(responses=PayoutBatchSerializer(many=True))
    def get(self, request, pk: int):
        program = self._program(request, pk)
        batches = _batches().filter(program=program)
        return Response(PayoutBatchSerializer(batches, many=True).data)

    @extend_schema(request=PayoutBatchInput, responses={201: PayoutBatchSerializer})
    def post(self, request, pk: int):
        program = self._program(request, pk)
        body = PayoutBatchInput(data=request.data)
        body.is_valid(raise_exception=True)
        batch = money.payout_batch_create(
            program=program, actor=request.user, **body.validated_data
        )
        answer = PayoutBatchSerializer(_batches().get(pk=batch.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)


class PayoutBatchView(APIView):
    """``GET`` one batch with its payments; ``DELETE`` withdraws an open batch (the
    payouts are free again; its documents stay on file)."""

    @extend_schema(responses=PayoutBatchSerializer)
    def get(self, request, pk: int):
        return Response(PayoutBatchSerializer(visible_batch(request, pk)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        money.payout_batch_cancel(batch=visible_batch(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PayoutBatchPaidView(APIView):
    """The treasury paid the batch: every payout of it is marked paid on ``paid_on``, in
    one transaction (audited on each application)."""

    @extend_schema(request=PaidInput, responses=PayoutBatchSerializer)
    def post(self, request, pk: int):
        batch = visible_batch(request, pk)
        body = PaidInput(data=request.data)
        body.is_valid(raise_exception=True)
        money.payout_batch_mark_paid(batch=batch, actor=request.user, **body.validated_data)
        return Response(PayoutBatchSerializer(_batches().get(pk=pk)).data)
