"""The portal's forms: they parse and check what was typed; the services decide."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core import bank
from core.money import format_eur
from core.transitions import Declaration, Input
from grants.models import AnnexType, Call, User
from portal.fields import AmountField, GermanDateField
from projects.models import (
    Application,
    Expenditure,
    Meeting,
    Organization,
    ProofOfUse,
    Recommendation,
)
from projects.models.money import CheckExtent, Finding
from projects.states import VoteChoice


class KernMixin:
    """KERN's classes on every widget, and each error tied to its field
    (``aria-describedby``), so a screen reader reads it with the field."""

    template_name = "portal/partials/form.html"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "kern-form-check__checkbox")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "kern-form-input__select")
            else:
                widget.attrs.setdefault("class", "kern-form-input__input")
            if field.help_text:  # the hint is read with its field
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            widget = field.widget
            if "--error" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + (
                    " kern-form-check__checkbox--error"
                    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple)
                    else " kern-form-input__input--error"
                )
            hint = f" {self[name].auto_id}_helptext" if field.help_text else ""
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error{hint}"


class KernForm(KernMixin, forms.Form):
    pass


def form_errors(form: forms.Form, error) -> None:
    """A service's refusal (a ``DomainError``) on the form: each message next to its
    field, the rest on top."""
    fields = error.errors or {}
    if not fields:
        form.add_error(None, str(error.detail))
    aliases = getattr(form, "error_fields", {})
    for field, problems in fields.items():
        field = aliases.get(field, field)
        target = field if field in form.fields else None
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(target, str(problem))


class PasswordResetForm(KernMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(KernMixin, auth_forms.SetPasswordForm):
    pass


class SignInForm(KernForm):
    login = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs) -> None:
        self.request = request
        self.user: User | None = None
        self.locked_out = False
        super().__init__(*args, **kwargs)

    @staticmethod
    def username_for(login: str) -> str:
        """An e-mail address signs in its one active account; anything else is a name."""
        login = login.strip()
        if "@" in login:
            matches = list(
                User.objects.filter(email__iexact=login, is_active=True).values_list(
                    "username", flat=True
                )[:2]
            )
            if len(matches) == 1:
                return matches[0]
        return login

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        username = self.username_for(cleaned["login"])
        # axes counts each failure and refuses a locked pair (the request is marked).
        user = authenticate(self.request, username=username, password=cleaned["password"])
        if getattr(self.request, "axes_locked_out", False):
            self.locked_out = True
            raise forms.ValidationError(
                _(
                    "Too many failed sign-ins: this account is locked for a while. "
                    "Try again later or reset your password."
                ),
                code="locked",
            )
        if user is None:
            raise forms.ValidationError(
                _("The user name, e-mail address or password is not right."), code="invalid"
            )
        self.user = user
        return cleaned


class CodeForm(KernForm):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ProfileForm(KernForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    optional_notifications = forms.BooleanField(
        label=_("Optional notifications by e-mail (reminders before a deadline)"),
        required=False,
    )


def transition_form(declaration: Declaration, data=None) -> KernForm:
    """The inputs one transition declares (a comment, an amount, a date), typed the
    German way; the service's runner says what is missing or wrong."""

    def field(item: Input) -> forms.Field:
        options = {"label": item.label, "required": False, "help_text": item.help_text}
        if item.kind == "money":
            return AmountField(**options)
        if item.kind == "date":
            return GermanDateField(**options)
        if item.kind == "bool":
            return forms.BooleanField(**options)
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, **options
        )

    form_class = type(
        "TransitionForm", (KernForm,), {item.name: field(item) for item in declaration.inputs}
    )
    return form_class(data)


class RegisterForm(KernForm):
    """A sponsor's own account. The services check the name and the password."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to it that you open to confirm it."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it or the address."),
        widget=forms.TextInput({"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_again") is not None
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class OrganizationForm(KernMixin, forms.ModelForm):
    """An organisation's data, checked as the API checks it (the model's rules; the IBAN
    digit by digit, schwifty). The service saves it."""

    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        required=False,
        help_text=_("The account for payouts; spaces allowed."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "legal_form",
            "address",
            "email",
            "legal_representative",
            "account_holder",
            "iban",
            "bic",
            "deducts_input_tax",
            "is_municipal",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def _bank(self, check, name: str) -> str:
        try:
            return check(self.cleaned_data.get(name) or "")
        except serializers.ValidationError as error:
            raise forms.ValidationError([str(message) for message in error.detail]) from None

    def clean_iban(self) -> str:
        return self._bank(bank.valid_iban, "iban")

    def clean_bic(self) -> str:
        return self._bank(bank.valid_bic, "bic")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InviteForm(KernForm):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        max_length=254,
        help_text=_("They get an e-mail with a link to accept; nobody joins without consent."),
    )


# -- the application, step by step -----------------------------------------------------


class NewApplicationForm(KernForm):
    """The first step: who applies, to which call, for what."""

    organization = forms.ModelChoiceField(label=_("Applying organisation"), queryset=None)
    call = forms.ModelChoiceField(label=_("Call"), queryset=None)
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args, organizations, calls, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["call"].queryset = calls
        self.fields["organization"].empty_label = _("– choose –")
        self.fields["call"].empty_label = _("– choose –")
        self.fields["call"].label_from_instance = lambda call: f"{call.title} ({call.program.name})"


class ApplicationStepForm(KernMixin, forms.ModelForm):
    """One step's fields of the application; amounts and dates typed the German way.
    The model's rules run on a copy; the service saves and applies the program's."""

    class Meta:
        model = Application
        fields: list[str] = []
        field_classes = {
            "start_date": GermanDateField,
            "end_date": GermanDateField,
            "early_start_from": GermanDateField,
            "own_funds": AmountField,
            "third_party_funds": AmountField,
            "expected_income": AmountField,
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "early_start_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.fields}
        for name in ("own_funds", "third_party_funds", "expected_income"):
            if name in values and values[name] is None:
                values[name] = Decimal("0.00")
        return values


STEP_FIELDS = {
    "project": ["title", "summary", "field_of_action", "target_group", "expected_participants"],
    "dates": ["start_date", "end_date", "early_start_from", "early_start_reason"],
    "financing": ["own_funds", "third_party_funds", "expected_income"],
}


def step_form(step: str, data=None, *, instance: Application) -> ApplicationStepForm:
    names = STEP_FIELDS[step]
    meta = type("Meta", (ApplicationStepForm.Meta,), {"fields": names})
    form_class = type(f"{step.title()}Form", (ApplicationStepForm,), {"Meta": meta})
    form = form_class(data, instance=instance)
    for name in ("own_funds", "third_party_funds", "expected_income"):
        if name in form.fields:
            form.fields[name].required = False
    return form


class LineForm(KernForm):
    """One line of the cost plan; a line left wholly empty is no line."""

    category = forms.ChoiceField(label=_("Cost category"))
    description = forms.CharField(label=_("Description"), max_length=500)
    amount = AmountField(label=_("Amount in euros"))

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("– choose –")), *categories]
        # A line of the plan emptied is a line removed, not a line with errors.
        self.empty_permitted = True

    def has_changed(self) -> bool:
        return any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields)


def line_formset(data=None, *, application: Application, extra: int = 0):
    """The plan's lines with ``extra`` empty ones to fill in (the number is the form's)."""
    categories = [(c.code, c.name) for c in application.program.categories.order_by("code")]
    initial = [
        {"category": line.category.code, "description": line.description, "amount": line.amount}
        for line in application.budget_lines.select_related("category").order_by("position")
    ]
    formset_class = forms.formset_factory(LineForm, extra=extra, max_num=200, absolute_max=200)
    return formset_class(
        data, initial=initial, form_kwargs={"categories": categories}, prefix="lines"
    )


class UploadForm(KernForm):
    annex_type = forms.ModelChoiceField(
        label=_("What is it?"), queryset=None, required=False, empty_label=_("another file")
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, an image or an office document."))
    description = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, annex_types, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annex_type"].queryset = annex_types


# -- the funded project: payouts, receipts, proof of use, changes ------------------------


class PayoutForm(KernForm):
    amount = AmountField(label=_("Amount in euros"))
    needed_by = GermanDateField(
        label=_("Spent by"),
        help_text=_("The day by which the money will be spent (within the spending window)."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class ReceiptForm(KernMixin, forms.ModelForm):
    """One line of the receipts list (DOMAIN.md); the service checks the period."""

    class Meta:
        model = Expenditure
        fields = ["date", "payee", "purpose", "category", "amount", "vat", "receipt_number"]
        field_classes = {"date": GermanDateField, "amount": AmountField, "vat": AmountField}

    def __init__(self, *args, program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = program.categories.order_by("code")
        self.fields["vat"].required = False
        self.fields["vat"].help_text = _("Only if you cannot deduct it as input tax.")
        self.fields["vat"].widget.attrs["aria-describedby"] = f"{self['vat'].auto_id}_helptext"

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["vat"] = values["vat"] or Decimal("0.00")
        return values


class ImportForm(KernForm):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "First line: Datum; Empfänger; Zweck; Kategorie; Betrag; USt; Belegnummer. "
            "You see every line before anything is saved."
        ),
    )


class ProofForm(KernMixin, forms.ModelForm):
    """The proof of use (ANBest-P 6): the report, the participants, the actual
    financing (empty: as planned), and the certification."""

    certify = forms.BooleanField(
        label=_(
            "I certify that the expenditure was necessary, that it was spent economically "
            "and thriftily, and that the details agree with the books and receipts."
        ),
        required=False,
    )

    class Meta:
        model = ProofOfUse
        fields = [
            "narrative",
            "participants",
            "actual_own_funds",
            "actual_third_party_funds",
            "actual_income",
            "purpose_met",
        ]
        field_classes = {
            "actual_own_funds": AmountField,
            "actual_third_party_funds": AmountField,
            "actual_income": AmountField,
        }
        widgets = {"narrative": forms.Textarea(attrs={"rows": 8})}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InterimForm(KernForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    narrative = forms.CharField(
        label=_("Interim report"), max_length=20000, widget=forms.Textarea({"rows": 6})
    )

    def __init__(self, *args, years=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class ChangeForm(KernForm):
    end_date = GermanDateField(
        label=_("New end of the project"),
        required=False,
        help_text=_("Empty if the end stays."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea({"rows": 4}))


# -- the committee -------------------------------------------------------------------------


class VoteForm(KernForm):
    # No choice made for the member: a vote is given on purpose, never by default.
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=[("", _("– choose –")), *VoteChoice.choices]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )


class ReasonForm(KernForm):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea({"rows": 3}))


class PeriodForm(KernForm):
    period_start = GermanDateField(label=_("From"))
    period_end = GermanDateField(label=_("Until"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must not end before it starts."))
        return cleaned


# -- the office's committee work -----------------------------------------------------------


class MeetingForm(KernForm):
    """A meeting's body, time, place, notes and agenda (the applications under review)."""

    error_fields = {"starts_at": "day"}

    body = forms.ModelChoiceField(label=_("Decision body"), queryset=None, empty_label=None)
    day = GermanDateField(label=_("Day"))
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Please enter a time as HH:MM, such as 17:30.")},
    )
    place = forms.CharField(
        label=_("Place"), max_length=Meeting._meta.get_field("place").max_length
    )
    notes = forms.CharField(
        label=_("Notes for the minutes"),
        required=False,
        max_length=Meeting._meta.get_field("notes").max_length,
        widget=forms.Textarea({"rows": 3}),
    )
    agenda = forms.ModelMultipleChoiceField(
        label=_("Agenda: the applications to decide"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, bodies, applications, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["agenda"].queryset = applications
        self.fields["agenda"].label_from_instance = lambda application: (
            f"{application.title} ({application.reference}, {application.organization.name})"
        )

    def clean(self):
        """Day and time become the meeting's ``starts_at`` (local time)."""
        cleaned = super().clean()
        day, time = cleaned.pop("day", None), cleaned.pop("time", None)
        if day and time:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, time))
        return cleaned


def member_label(role) -> str:
    """A member of the body by name, with their seat (voting, advisory, deputy)."""
    name = role.user.get_full_name() or role.user.username
    if role.deputy_for_id:
        deputy = role.deputy_for.get_full_name() or role.deputy_for.username
        return str(_("%(name)s, deputy for %(member)s")) % {"name": name, "member": deputy}
    seat = _("voting") if role.voting else _("advisory")
    chair = _(", chair") if role.chair else ""
    return f"{name} ({seat}{chair})"


class AttendanceForm(KernForm):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(role.user_id), member_label(role)) for role in members
        ]


class DeliveredForm(KernForm):
    """§ 90 Abs. 1 VwVfG: the invitation reached a member by other means than e-mail."""

    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    how = forms.ChoiceField(
        label=_("Delivered"),
        choices=[("post", _("by post")), ("hand", _("by hand")), ("other", _("otherwise"))],
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(role.user_id, member_label(role)) for role in members]


class VotesForm(KernForm):
    """One choice per present voting member on one item; an empty one records nothing."""

    def __init__(self, *args, members, recorded: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = {role.user_id: role.user for role in members}
        for role in members:
            self.fields[f"member-{role.user_id}"] = forms.ChoiceField(
                label=member_label(role),
                required=False,
                choices=[("", _("– not recorded –")), *VoteChoice.choices],
                initial=recorded.get(role.user_id, ""),
                widget=forms.Select(attrs={"class": "kern-form-input__select"}),
            )

    def votes(self) -> dict:
        chosen = {}
        for user_id, user in self.members.items():
            choice = self.cleaned_data.get(f"member-{user_id}")
            if choice:
                chosen[user] = choice
        return chosen


class RecommendationForm(KernForm):
    choice = forms.ChoiceField(
        label=_("The office recommends"),
        choices=[("", _("– choose –")), *Recommendation.Choice.choices],
    )
    amount = AmountField(
        label=_("Recommended grant in euros"),
        required=False,
        help_text=_("Only with an approval; empty: as requested."),
    )
    text = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=Recommendation._meta.get_field("text").max_length,
        widget=forms.Textarea({"rows": 5}),
    )


# -- the office's check of the proof of use --------------------------------------------------


def line_label(line: Expenditure) -> str:
    return f"{line.date:%d.%m.%Y} – {line.payee}: {line.purpose}"


class FindingForm(KernForm):
    """The office's finding on one line of the receipts list."""

    line = forms.TypedChoiceField(label=_("Line of the receipts list"), coerce=int)
    finding = forms.ChoiceField(
        label=_("Finding"), choices=[("", _("– choose –")), *Finding.choices]
    )
    amount = AmountField(
        label=_("Eligible amount in euros"),
        required=False,
        help_text=_("Only for a reduced line: what is eligible of the claim."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=Expenditure._meta.get_field("finding_reason").max_length,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Needed for a reduced or refused line."),
    )

    def __init__(self, *args, lines, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.pk, line_label(line)) for line in lines]


class ReceiptsRequestForm(KernForm):
    lines = forms.TypedMultipleChoiceField(
        label=_("The receipts to see"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every receipt (a check in full)."),
    )
    comment = forms.CharField(
        label=_("Message to the sponsor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, lines, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(line.pk, line_label(line)) for line in lines]


class CheckNoteForm(KernForm):
    """The check note (Prüfvermerk, VV Nr. 11 zu § 44 BHO)."""

    extent = forms.ChoiceField(label=_("Extent of the check"), choices=CheckExtent.choices)
    result = forms.CharField(
        label=_("Result of the check"),
        max_length=ProofOfUse._meta.get_field("check_result").max_length,
        widget=forms.Textarea({"rows": 5}),
    )


# -- payout batches ----------------------------------------------------------------------------


class BatchForm(KernForm):
    """Approved payouts of one program into a batch for the treasury."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)
    payments = forms.TypedMultipleChoiceField(
        label=_("Approved payouts"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every approved payout of the program not yet in a batch."),
    )
    execution_date = GermanDateField(
        label=_("Requested execution date"), required=False, help_text=_("Empty: today.")
    )

    def __init__(self, *args, programs, payouts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["payments"].choices = [
            (
                payout.pk,
                f"{payout.application.title} ({payout.application.reference}, "
                f"{payout.application.organization.name}): {format_eur(payout.amount)}",
            )
            for payout in payouts
        ]


class PaidForm(KernForm):
    paid_on = GermanDateField(label=_("Paid on"), required=False, help_text=_("Empty: today."))


# -- calls and their annex types -----------------------------------------------------------


def _time_field(label, *, required=True, initial=None) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        initial=initial,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Please enter a time as HH:MM, such as 17:30.")},
    )


def _moment(cleaned: dict, day_name: str, time_name: str):
    """Day and time of the form as one aware moment (local time); None if no day."""
    day, time = cleaned.pop(day_name, None), cleaned.pop(time_name, None)
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time or datetime.min.time()))


class CallForm(KernForm):
    """A call for applications (Förderaufruf): title, opening, deadline, budget, the
    body that decides, the funding year, the committee's voting deadline."""

    # The service names the moments; the form shows each error at its day.
    error_fields = {"opens_at": "opens_day", "closes_at": "closes_day", "vote_deadline": "vote_day"}

    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=Call._meta.get_field("title").max_length)
    opens_day = GermanDateField(label=_("Opens on"))
    opens_time = _time_field(_("Opens at"), initial="00:00")
    closes_day = GermanDateField(label=_("Submission deadline"))
    closes_time = _time_field(_("Deadline time"), initial="23:59")
    budget = AmountField(label=_("Budget in euros"))
    body = forms.ModelChoiceField(
        label=_("Decision body"),
        queryset=None,
        required=False,
        empty_label=_("– the program's default body –"),
    )
    funding_year = forms.IntegerField(
        label=_("Funding year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Projects start and end within it; empty: the deadline's year."),
    )
    vote_day = GermanDateField(
        label=_("Committee votes until"),
        required=False,
        help_text=_("The written procedure's deadline; empty: the body's rule."),
    )
    vote_time = _time_field(_("Voting deadline time"), required=False)

    def __init__(self, *args, programs, bodies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = lambda body: f"{body.name} ({body.program.code})"

    def clean(self):
        cleaned = super().clean()
        cleaned["opens_at"] = _moment(cleaned, "opens_day", "opens_time")
        cleaned["closes_at"] = _moment(cleaned, "closes_day", "closes_time")
        cleaned["vote_deadline"] = _moment(cleaned, "vote_day", "vote_time")
        if cleaned["opens_at"] is None:
            cleaned.pop("opens_at")
        if cleaned["closes_at"] is None:
            cleaned.pop("closes_at")
        return cleaned

    @staticmethod
    def initial_of(call: Call) -> dict:
        def local(moment):
            return timezone.localtime(moment) if moment else None

        opens, closes, vote = local(call.opens_at), local(call.closes_at), local(call.vote_deadline)
        return {
            "program": call.program_id,
            "title": call.title,
            "opens_day": opens.date(),
            "opens_time": opens.time(),
            "closes_day": closes.date(),
            "closes_time": closes.time(),
            "budget": call.budget,
            "body": call.body_id,
            "funding_year": call.funding_year,
            "vote_day": vote.date() if vote else None,
            "vote_time": vote.time() if vote else None,
        }


class AnnexTypeForm(KernMixin, forms.ModelForm):
    class Meta:
        model = AnnexType
        fields = ["name", "description", "required"]
        widgets = {"description": forms.Textarea({"rows": 2})}


# -- data protection ----------------------------------------------------------------------------


class HoldForm(KernForm):
    """The office keeps a file beyond its retention period."""

    error_fields = {"retention_hold": "reason"}

    reason = forms.CharField(
        label=_("Why the file is kept"),
        max_length=Application._meta.get_field("retention_hold").max_length,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("E.g. a pending audit by the Court of Audit, or a lawsuit."),
    )


class ErasureForm(KernForm):
    """A person asks for their account to be deleted: their password, and a tick."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I want my account deleted. This cannot be undone."), required=True
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if self.user is None or not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password
