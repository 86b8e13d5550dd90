"""The office's calls for applications and their annex types (PORTAL.md): the calls of
its programs, a new call, a call's dates, budget and body changed, the annexes it asks
for added, changed, made optional or deleted. Each write is one service of
``grants.services``; its refusals are shown next to the field."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from grants import services
from grants.models import AnnexType, Call, DecisionBody
from portal.forms import AnnexTypeForm, CallForm, form_errors
from portal.office import office_only
from portal.views import portal_page, posted_pk
from projects import selectors


def _calls(user):
    return Call.objects.filter(program__in=selectors.office_programs(user)).select_related(
        "program", "body"
    )


def _bodies(programs):
    return DecisionBody.objects.filter(program__in=programs).select_related("program")


@portal_page
def calls(request: HttpRequest) -> HttpResponse:
    office_only(request)
    found = _calls(request.user).annotate(count=Count("applications")).order_by("-closes_at", "-pk")
    return render(request, "portal/office_calls.html", {"calls": found[:200]})


@portal_page
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    office_only(request)
    programs = selectors.office_programs(request.user).order_by("name")
    form = CallForm(
        request.POST if request.method == "POST" else None,
        programs=programs,
        bodies=_bodies(programs),
        initial={"program": programs.first(), "opens_time": "00:00", "closes_time": "23:59"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = dict(form.cleaned_data)
            program = values.pop("program")
            try:
                call = services.call_create(actor=request.user, program=program, **values)
            except DomainError as error:
                form_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The call is saved; name the annexes it asks for."))
                return redirect("portal:office_call", pk=call.pk)
        else:
            status = 400
    return render(request, "portal/office_call_new.html", {"form": form}, status=status)


@portal_page
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    call = _calls(request.user).filter(pk=pk).first()
    if call is None:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted is not None else None
    programs = selectors.office_programs(request.user).filter(pk=call.program_id)
    details = CallForm(
        posted if action == "details" else None,
        programs=programs,
        bodies=_bodies(programs),
        initial=CallForm.initial_of(call),
    )
    del details.fields["program"]  # a call stays in its program
    annexes = list(call.annex_types.all())
    chosen = posted.get("annex", "") if action in ("annex_save", "annex_delete") else ""
    annex_forms = [
        (
            annex,
            AnnexTypeForm(
                posted if action == "annex_save" and chosen == str(annex.pk) else None,
                instance=annex,
                prefix=f"annex-{annex.pk}",
            ),
        )
        for annex in annexes
    ]
    new_annex = AnnexTypeForm(
        posted if action == "annex_add" else None,
        instance=AnnexType(call=call),
        prefix="new",
    )
    status = 200
    if action is not None:
        form = {"details": details, "annex_add": new_annex}.get(action)
        if action == "annex_save":
            form = next((f for a, f in annex_forms if str(a.pk) == chosen), None)
        try:
            done = _write(request, call, action, form)
        except DomainError as error:
            if form is not None:
                form_errors(form, error)
            else:
                messages.error(request, str(error.detail))
            status = error.status_code
        else:
            if done:
                messages.success(request, done)
                return redirect("portal:office_call", pk=call.pk)
            status = 400
    return render(
        request,
        "portal/office_call.html",
        {"call": call, "details": details, "annex_forms": annex_forms, "new_annex": new_annex},
        status=status,
    )


def _write(request: HttpRequest, call: Call, action: str, form) -> str | None:
    """The posted action through its service: its message, None for an invalid form."""
    actor = request.user
    if action == "annex_delete":
        annex = posted_pk(request, "annex", call.annex_types.all())
        services.annex_type_delete(annex_type=annex, actor=actor)
        return _("The annex “%(name)s” is no longer asked for.") % {"name": annex.name}
    if form is None:
        raise Http404
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    if action == "details":
        if values.get("funding_year") is None:
            values.pop("funding_year", None)
        services.call_update(call=call, actor=actor, **values)
        return _("The call is saved.")
    if action == "annex_add":
        services.annex_type_create(call=call, actor=actor, **values)
        return _("The call now asks for “%(name)s”.") % {"name": values["name"]}
    services.annex_type_update(annex_type=form.instance, actor=actor, **values)
    return _("The annex “%(name)s” is saved.") % {"name": values["name"]}
