from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.accounts.enums import Role
from piis.accounts.forms import (
    ClosureDayForm,
    CpasSettingsForm,
    DelegationForm,
    LoginForm,
    SignatoryForm,
    TeamForm,
)
from piis.accounts.models import ClosureDay, Cpas, Membership, Signatory, SignatoryDelegation, Team
from piis.accounts.perms import can_manage_cpas
from piis.accounts.services import (
    cpas_object_delete,
    cpas_object_save,
    cpas_settings_update,
    team_remove,
    team_save,
)
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


# The roles that work in a team (the others see files through their own pages: piis.cases.access).
TEAM_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_LEAD)

FORMS = {"cpas": CpasSettingsForm, "closure": ClosureDayForm, "signatory": SignatoryForm, "delegation": DelegationForm}
DELETABLE = {"closure": ClosureDay, "signatory": Signatory, "delegation": SignatoryDelegation}


def _blank_forms(cpas):
    return {
        "cpas": CpasSettingsForm(instance=cpas, prefix="cpas"),
        "closure": ClosureDayForm(cpas=cpas, prefix="closure"),
        "signatory": SignatoryForm(cpas=cpas, prefix="signatory"),
        "delegation": DelegationForm(cpas=cpas, prefix="delegation"),
    }


@cpas_permission_required(can_manage_cpas)
def cpas_settings(request):
    """One page for the CPAS's configuration; each section posts its own form and keeps its input on error."""
    cpas = request.cpas
    forms = _blank_forms(cpas)
    which = request.POST.get("form")
    if request.method == "POST" and which in FORMS:
        # A fresh copy for the CPAS form, so that invalid input never shows up in the page header.
        kwargs = {"instance": Cpas.objects.get(pk=cpas.pk)} if which == "cpas" else {"cpas": cpas}
        form = FORMS[which](request.POST, prefix=which, **kwargs)
        forms[which] = form
        if form.is_valid():
            try:
                if which == "cpas":
                    cpas_settings_update(membership=request.membership, form=form, context=request.path)
                else:
                    cpas_object_save(membership=request.membership, instance=form.instance, context=request.path)
            except ServiceError as error:  # another user wrote first (piis.core.constraints)
                add_error_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:cpas_settings")
        messages.error(request, _("Please correct the errors below."))
    context = {
        "forms": forms,
        "closure_days": ClosureDay.objects.for_cpas(cpas),
        "signatories": Signatory.objects.for_cpas(cpas).prefetch_related("delegations"),
    }
    return render(request, "accounts/cpas_settings.html", context)


@require_POST
@cpas_permission_required(can_manage_cpas)
def cpas_object_remove(request, kind: str, object_id: int):
    model = DELETABLE.get(kind)
    if model is None:
        return redirect("accounts:cpas_settings")
    instance = get_object_or_404(model.objects.for_cpas(request.cpas), pk=object_id)
    try:
        cpas_object_delete(membership=request.membership, instance=instance, context=request.path)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed."))
    return redirect("accounts:cpas_settings")


@cpas_permission_required(can_manage_cpas)
def signatory_edit(request, object_id: int):
    signatory = get_object_or_404(Signatory.objects.for_cpas(request.cpas), pk=object_id)
    form = SignatoryForm(request.POST or None, instance=signatory, cpas=request.cpas)
    if request.method == "POST" and form.is_valid():
        try:
            cpas_object_save(membership=request.membership, instance=form.instance, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:cpas_settings")
    return render(request, "accounts/signatory_form.html", {"form": form, "signatory": signatory})


# --- teams (need-to-know: piis.cases.access) -----------------------------------------------------------------------


@cpas_permission_required(can_manage_cpas)
def team_list(request):
    """The CPAS's teams with their lead and members, and a form to add one."""
    cpas = request.cpas
    form = TeamForm(request.POST or None, cpas=cpas)
    if request.method == "POST" and form.is_valid():
        try:
            team_save(
                membership=request.membership,
                team=form.instance,
                members=form.cleaned_data["members"],
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:teams")
    teams = Team.objects.for_cpas(cpas).select_related("lead")
    members = (
        Membership.objects.filter(cpas=cpas, team__isnull=False).select_related("user").order_by("user__last_name")
    )
    by_team: dict[int, list] = {}
    for member in members:
        by_team.setdefault(member.team_id, []).append(member.user)
    rows = [(team, by_team.get(team.pk, [])) for team in teams]
    without_team = (
        Membership.objects.filter(cpas=cpas, team__isnull=True, is_active=True, role__in=TEAM_ROLES)
        .select_related("user")
        .order_by("user__last_name")
    )
    return render(request, "accounts/teams.html", {"form": form, "rows": rows, "without_team": without_team})


@cpas_permission_required(can_manage_cpas)
def team_edit(request, team_id: int):
    team = get_object_or_404(Team.objects.for_cpas(request.cpas), pk=team_id)
    form = TeamForm(request.POST or None, instance=team, cpas=request.cpas)
    if request.method == "POST" and form.is_valid():
        try:
            team_save(
                membership=request.membership,
                team=form.instance,
                members=form.cleaned_data["members"],
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:teams")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@require_POST
@cpas_permission_required(can_manage_cpas)
def team_delete(request, team_id: int):
    team = get_object_or_404(Team.objects.for_cpas(request.cpas), pk=team_id)
    team_remove(membership=request.membership, team=team, context=request.path)
    messages.success(request, _("Removed."))
    return redirect("accounts:teams")
