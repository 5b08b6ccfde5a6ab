"""The staff side of the portal, reached from the file page: the social worker opens the person's account and
hands over a one-time code and link (shown once, on this page, then never again), gives a new one when the person
lost it or forgot their password, or disables the account. Every step is audited (piis.portal.services). Served
outside /portal/, which staff never reach."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from piis.cases.selectors import beneficiary_get_for_user
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError
from piis.portal.models import PortalAccount
from piis.portal.perms import can_manage_portal_accounts
from piis.portal.services import portal_account_disable, portal_account_open, portal_invitation_issue

ISSUED_SESSION_KEY = "piis_portal_issued"


def _account(beneficiary) -> PortalAccount | None:
    return (
        PortalAccount.objects.filter(cpas=beneficiary.cpas_id, beneficiary=beneficiary)
        .select_related("user")
        .order_by("disabled_at", "-created_at")
        .first()
    )


@cpas_permission_required(can_manage_portal_accounts)
def account(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    current = _account(beneficiary)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open" and (current is None or current.disabled_at is not None):
                current, issued = portal_account_open(
                    membership=request.membership, beneficiary=beneficiary, context=request.path
                )
            elif action == "invite" and current is not None and current.disabled_at is None:
                issued = portal_invitation_issue(membership=request.membership, account=current, context=request.path)
            elif action == "disable" and current is not None and current.disabled_at is None:
                portal_account_disable(membership=request.membership, account=current, context=request.path)
                messages.success(request, _("The portal account is disabled. The person can no longer log in."))
                return redirect("portal_staff:account", beneficiary.pk)
            else:
                return redirect("portal_staff:account", beneficiary.pk)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("portal_staff:account", beneficiary.pk)
        # Shown once: kept in the session only until the page below is displayed.
        request.session[ISSUED_SESSION_KEY] = {
            "beneficiary": beneficiary.pk,
            "login_name": issued.login_name,
            "code": issued.grouped_code,
            "link": request.build_absolute_uri(reverse("portal:activate_link", args=[issued.token])),
            "expires_at": issued.expires_at.isoformat(),
        }
        return redirect("portal_staff:account", beneficiary.pk)
    shown = request.session.pop(ISSUED_SESSION_KEY, None)
    if shown is not None and shown.get("beneficiary") == beneficiary.pk:
        shown["expires_at"] = parse_datetime(shown["expires_at"])
    else:
        shown = None
    context = {
        "beneficiary": beneficiary,
        "account": current,
        "issued": shown,
        "start_url": request.build_absolute_uri(reverse("portal:activate")),
    }
    return render(request, "portal/staff/account.html", context)
