"""The CPAS administrator's API tokens page (CPAS settings): list, issue (the token is shown once), revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from piis.accounts.perms import can_manage_cpas
from piis.api.models import ApiToken, Scope
from piis.api.services import MAX_VALIDITY_DAYS, token_issue
from piis.api.services import token_revoke as revoke_service
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form

ISSUED_SESSION_KEY = "piis_api_token_issued"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Integration"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("It may"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_VALIDITY_DAYS, initial=365
    )


@cpas_permission_required(can_manage_cpas)
def token_list(request):
    form = TokenForm(request.POST or None)
    # Shown once: put in the session by the POST, taken out by the GET it redirects to (a reload issues nothing).
    issued = request.session.pop(ISSUED_SESSION_KEY, None) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        try:
            _token, text = token_issue(
                membership=request.membership,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            request.session[ISSUED_SESSION_KEY] = text
            return redirect("api_tokens:list")
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    tokens = ApiToken.objects.for_cpas(request.cpas).select_related("created_by")
    return render(request, "api/tokens.html", {"form": form, "issued": issued, "tokens": tokens})


@require_POST
@cpas_permission_required(can_manage_cpas)
def token_revoke(request, token_id: int):
    revoke_service(membership=request.membership, token_id=token_id)
    messages.success(request, _("Token revoked: the integration can no longer use it."))
    return redirect("api_tokens:list")
