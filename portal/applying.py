"""A new application in steps, and its changes while the office lets the sponsor edit
(a draft, or a revision the office asked for): the project, its dates, the cost plan
with live totals, the financing, the annexes. Every step saves the draft through
``projects.services.application_update``; nothing typed is lost between steps, and the
program's rules are those of the API (``projects.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from grants.models import AnnexType
from portal.forms import (
    NewApplicationForm,
    UploadForm,
    form_errors,
    line_formset,
    step_form,
)
from portal.views import _posted, portal_page
from projects import selectors
from projects import services as project_services
from projects.models import Application
from projects.services import BudgetLineInput
from projects.states import EDITABLE_STATES
from workflows import attachments

STEPS = [
    ("project", gettext_lazy("Project")),
    ("dates", gettext_lazy("Dates")),
    ("costs", gettext_lazy("Cost plan")),
    ("financing", gettext_lazy("Financing")),
    ("annexes", gettext_lazy("Annexes")),
]
STEP_NAMES = [name for name, _label in STEPS]
MORE_LINES = 3


@portal_page
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organizations_to_apply_for(request.user).order_by("name")
    calls = selectors.open_calls()
    if not organizations.exists():
        messages.info(request, _("Register your organisation first (or accept an invitation)."))
        return redirect("portal:organization_new")
    form = NewApplicationForm(
        _posted(request),
        organizations=organizations,
        calls=calls,
        initial={
            "call": request.GET.get("call") or (calls.first() if calls.count() == 1 else None),
            "organization": organizations.first() if organizations.count() == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = project_services.application_create(
                actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Go on with the project."))
            return redirect("portal:application_step", pk=application.pk, step="project")
    return render(request, "portal/application_new.html", {"form": form, "calls": calls})


def _editable(request: HttpRequest, pk: int) -> Application:
    """The application if the user may change it now; a 404 if they cannot see it."""
    application = (
        selectors.applications_visible_to(request.user)
        .select_related("program", "call", "organization")
        .filter(pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("projects.change_application", application):
        raise Http404
    return application


def _next(step: str) -> str:
    index = STEP_NAMES.index(step)
    return STEP_NAMES[min(index + 1, len(STEP_NAMES) - 1)]


@portal_page
@require_http_methods(["GET", "POST"])
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_NAMES:
        raise Http404
    application = _editable(request, pk)
    if application.state not in EDITABLE_STATES:
        messages.info(request, _("The application can be changed only as a draft or in revision."))
        return redirect("portal:application", pk=application.pk)
    if step == "annexes":
        return _annexes(request, application)
    context: dict = {}
    saved = False
    if step == "costs":
        data = _posted(request)
        adding = data is not None and "more" in data
        if adding:  # another few empty lines; nothing saved yet
            data = data.copy()
            total = data.get("lines-TOTAL_FORMS", "0")
            data["lines-TOTAL_FORMS"] = str(int(total) + MORE_LINES) if total.isdigit() else total
        extra = 0 if application.budget_lines.exists() else MORE_LINES
        formset = line_formset(data, application=application, extra=extra)
        context["formset"] = formset
        if data is not None and not adding and formset.is_valid():
            problems = _save_lines(request, application, formset)
            saved = not problems
            context["plan_errors"] = problems
        context["preview"] = _preview(application, formset)
    else:
        form = step_form(step, _posted(request), instance=application)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            values = form.values()
            application.refresh_from_db()
            try:
                project_services.application_update(
                    application=application, actor=request.user, **values
                )
                saved = True
            except DomainError as error:
                form_errors(form, error)
        if step == "financing":
            context["preview"] = _preview(application, None, form)
    if saved:
        if "draft" in request.POST:
            messages.success(request, _("The draft is saved."))
            return redirect("portal:application_step", pk=application.pk, step=step)
        return redirect("portal:application_step", pk=application.pk, step=_next(step))
    return _render(request, application, step, context, status=400 if request.POST else 200)


def _render(request, application, step, context, status=200) -> HttpResponse:
    return render(
        request,
        "portal/application_step.html",
        {
            "application": application,
            "step": step,
            "steps": STEPS,
            "step_label": dict(STEPS)[step],
            "last": step == STEP_NAMES[-1],
            **context,
        },
        status=status if request.method == "POST" else 200,
    )


def _lines_of(application: Application, formset) -> tuple[list[BudgetLineInput], list[int]]:
    """The filled lines as the service takes them, and the form each came from."""
    categories = {c.code: c for c in application.program.categories.all()}
    lines, origin = [], []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not form.has_changed() or not data or data.get("DELETE"):
            continue
        if data["category"] not in categories or data.get("amount") is None:
            continue
        lines.append(
            BudgetLineInput(categories[data["category"]], data["description"], data["amount"])
        )
        origin.append(index)
    return lines, origin


def _save_lines(request, application: Application, formset) -> list[str]:
    """Save the lines; what the service refuses goes onto its line's field, or into
    the answer (the plan's own problems, shown above the lines)."""
    lines, origin = _lines_of(application, formset)
    application.refresh_from_db()
    try:
        project_services.application_update(
            application=application, actor=request.user, budget_lines=lines
        )
    except DomainError as error:
        general: list[str] = [] if error.errors else [str(error.detail)]
        for field, problems in (error.errors or {}).items():
            parts = field.split(".")
            if len(parts) == 3 and parts[0] == "budget_lines" and int(parts[1]) < len(origin):
                target = formset.forms[origin[int(parts[1])]]
                name = parts[2] if parts[2] in target.fields else None
                for problem in problems:
                    target.add_error(name, str(problem))
            else:
                general.extend(str(problem) for problem in problems)
        return general
    return []


def _preview(application: Application, formset=None, form=None) -> dict:
    """The totals and the program's objections for what the form holds now."""
    fields: dict = {}
    lines = None
    if formset is not None and formset.is_bound:
        for one in formset.forms:
            one.is_valid()
        lines, _origin = _lines_of(application, formset)
    if form is not None and form.is_bound and form.is_valid():
        fields = form.values()
    plan, problems = project_services.cost_plan_preview(
        application=application, lines=lines, **fields
    )
    return {
        "total_costs": plan.total_costs,
        "other_funds": plan.other_funds,
        "requested": plan.requested_amount,
        "max_grant": application.program.max_grant,
        "problems": [str(message) for messages_ in problems.values() for message in messages_],
    }


@portal_page
@require_POST
def application_check(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The live totals (htmx): what the cost or financing plan typed so far gives, and
    what the program's rules say of it. Saves nothing."""
    application = _editable(request, pk)
    if step == "costs":
        preview = _preview(application, line_formset(request.POST, application=application))
    elif step == "financing":
        preview = _preview(application, None, step_form(step, request.POST, instance=application))
    else:
        raise Http404
    return render(request, "portal/partials/plan_totals.html", {"preview": preview})


def _annexes(request: HttpRequest, application: Application) -> HttpResponse:
    annex_types = AnnexType.objects.filter(call=application.call).order_by("position", "name")
    form = UploadForm(request.POST or None, request.FILES or None, annex_types=annex_types)
    if request.method == "POST" and "delete" in request.POST:
        found = attachments.visible_of(application, request.user)
        target = next((f for f in found if str(f.pk) == request.POST["delete"]), None)
        if target is None:
            raise Http404
        try:
            attachments.attachment_delete(attachment=target, actor=request.user)
            messages.success(request, _("The file is deleted."))
        except DomainError as error:
            messages.error(request, str(error.detail))
        return redirect("portal:application_step", pk=application.pk, step="annexes")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _file, new = attachments.attachment_upload(
                application=application,
                actor=request.user,
                upload=form.cleaned_data["file"],
                annex_type=form.cleaned_data["annex_type"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form_errors(form, error)
            status = error.status_code
        else:
            messages.success(
                request,
                _("The file is attached; the virus check follows.")
                if new
                else _("This file is attached already."),
            )
            return redirect("portal:application_step", pk=application.pk, step="annexes")
    elif request.method == "POST":
        status = 400
    files = attachments.visible_of(application, request.user)
    return _render(
        request,
        application,
        "annexes",
        {
            "form": form,
            "files": files,
            "pending": any(f.scan_state == "pending" for f in files),
            "missing_annexes": attachments.missing_annexes(application),
            "may_delete": application.state == "draft",
            "submit_url": reverse(
                "portal:application_transition",
                kwargs={
                    "pk": application.pk,
                    "name": "submit" if application.state == "draft" else "resubmit",
                },
            ),
        },
        status=status,
    )
