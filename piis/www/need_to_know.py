"""Need-to-know (piis.cases.access) on the pages: the break-the-glass page that answers a file beyond one's
need-to-know, the form that opens it for BREAK_GLASS_HOURS with a reason, and the DPO's list of those openings
(it combines the audit's reader and the files: a page of www)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied

from piis.accounts.perms import can_view_audit, can_view_beneficiaries
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.cases.access import BREAK_GLASS_HOURS, NeedToKnowRefused, file_access
from piis.cases.models import GlassBreak
from piis.cases.selectors import beneficiary_get_beyond_need_to_know
from piis.cases.services import break_the_glass
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form

PAGE_SIZE = 50


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need this file now?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy(
            "For example: the assigned worker is absent and the person is at the desk. The data-protection officer "
            "reads every reason."
        ),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


def _safe_next(request, target: str, beneficiary) -> HttpResponseRedirect:
    """Back to the page the member was going to when it is a path of this site, else the file page. Never a view
    name (`redirect()` would try to reverse any word)."""
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe else reverse("cases:detail", args=[beneficiary.pk]))


def _render_page(request, beneficiary, form, *, status: int):
    # The page names the person (so that the member knows which file they are about to open): an audited read.
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.FILE_ACCESS_REFUSED,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        context=request.get_full_path(),
    )
    context = {"beneficiary": beneficiary, "form": form, "hours": BREAK_GLASS_HOURS}
    return render(request, "www/break_glass.html", context, status=status)


def permission_denied_or_break_glass(request, exception=None):
    """handler403: a file of one's CPAS beyond one's need-to-know gets the break-the-glass page (403); any other
    refusal Django's 403 page."""
    if isinstance(exception, NeedToKnowRefused) and getattr(request, "membership", None) is not None:
        next_url = request.get_full_path() if request.method == "GET" else ""
        form = BreakGlassForm(initial={"next": next_url})
        return _render_page(request, exception.beneficiary, form, status=403)
    return permission_denied(request, exception)


@cpas_permission_required(can_view_beneficiaries)
def break_glass(request, beneficiary_id: int):
    """Ask for the reason (GET) and open the file for BREAK_GLASS_HOURS (POST), then go where the member was going."""
    beneficiary = beneficiary_get_beyond_need_to_know(membership=request.membership, beneficiary_id=beneficiary_id)
    if request.method != "POST" and file_access(request.membership, beneficiary) is not None:
        return _safe_next(request, request.GET.get("next", ""), beneficiary)
    form = BreakGlassForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            break_the_glass(
                membership=request.membership,
                beneficiary=beneficiary,
                reason=form.cleaned_data["reason"],
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.warning(request, _("You opened this file by breaking the glass. The access is recorded."))
            return _safe_next(request, form.cleaned_data.get("next", ""), beneficiary)
    return _render_page(request, beneficiary, form, status=200)


@cpas_permission_required(can_view_audit)
def glass_break_list(request):
    """The DPO's list of every break-the-glass opening in the CPAS, newest first: who, which file, why, until when."""
    openings = (
        GlassBreak.objects.for_cpas(request.cpas).select_related("user", "beneficiary").order_by("-opened_at", "-id")
    )
    page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=[opening.beneficiary_id for opening in page],
        context=request.get_full_path(),
        verb=AuditVerb.AUDIT_TRAIL_OPENED,
    )
    return render(request, "www/glass_breaks.html", {"page": page})
