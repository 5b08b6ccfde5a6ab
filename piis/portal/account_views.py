"""The person's way in: a one-time code or link from their social worker, then a password they choose; later the
password (django-axes throttles it like the staff login) and, if they turned it on, a code from an app."""

import base64
import io
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.qr import write_qrcode_image

from piis.accounts.services import second_factor_pending_device
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.errors import ServiceError, add_error_to_form
from piis.core.rls import set_current_cpas
from piis.portal.decorators import portal_login_required
from piis.portal.forms import ActivationCodeForm, PortalCodeForm, PortalLoginForm, PortalPasswordForm
from piis.portal.middleware import refuse_staff
from piis.portal.models import PortalAccount, PortalInvitation
from piis.portal.selectors import portal_second_factor_device
from piis.portal.services import portal_invitation_find, portal_password_set

INVITATION_SESSION_KEY = "piis_portal_invitation_id"
# Wrong codes are counted by django-axes under this name and the client's address: five lock the address out of
# the activation page for a while, whatever code it tries next.
ACTIVATION_THROTTLE_NAME = "portal-activation"


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/portal/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("portal:home")


def _lockout_page(request, username: str):
    from axes.helpers import get_lockout_response

    return get_lockout_response(request, None, {"username": username})


def login(request):
    refuse_staff(request)
    if getattr(request, "portal_account", None) is not None:
        return redirect("portal:home")
    form = PortalLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        has_account = PortalAccount.objects.filter(user=user, disabled_at__isnull=True).exists()
        if not has_account or user.memberships.exists():  # a staff account never enters the portal
            form.add_error(None, form.error_messages["invalid_login"])
        else:
            auth_login(request, user)  # piis.portal.middleware.remember_portal_account marks the session
            return redirect(_next_url(request))
    return render(request, "portal/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout(request):
    refuse_staff(request)
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("portal:login")


def activate_with_code(request):
    """The person types the code handed over by their social worker."""
    refuse_staff(request)
    credentials = {"username": ACTIVATION_THROTTLE_NAME}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout_page(request, ACTIVATION_THROTTLE_NAME)
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = portal_invitation_find(code=form.cleaned_data["code"])
        if invitation is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            add_error_to_form(form, ServiceError("PORTAL_INVITATION_UNUSABLE", field="code"))
        else:
            request.session[INVITATION_SESSION_KEY] = invitation.pk
            return redirect("portal:set_password")
    return render(request, "portal/activate.html", {"form": form})


def activate_with_link(request, token: str):
    """The one-time link: opening it spends nothing (a mail scanner may open it first); setting the password does."""
    refuse_staff(request)
    credentials = {"username": ACTIVATION_THROTTLE_NAME}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout_page(request, ACTIVATION_THROTTLE_NAME)
    invitation = portal_invitation_find(token=token)
    if invitation is None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        messages.error(request, str(ServiceError("PORTAL_INVITATION_UNUSABLE").message))
        return redirect("portal:activate")
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    return redirect("portal:set_password")


def set_password(request):
    """With a valid invitation in the session: the person chooses their password, and is logged in."""
    refuse_staff(request)
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    invitation = (
        PortalInvitation.objects.select_related("account__user").filter(pk=invitation_id).first()
        if isinstance(invitation_id, int)
        else None
    )
    if invitation is None or not invitation.is_usable() or invitation.account.disabled_at is not None:
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.error(request, str(ServiceError("PORTAL_INVITATION_UNUSABLE").message))
        return redirect("portal:activate")
    set_current_cpas(invitation.cpas_id)  # the person's CPAS, for the audit row of this transaction
    user = invitation.account.user
    form = PortalPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            portal_password_set(
                invitation_id=invitation.pk, password=form.cleaned_data["new_password2"], context=request.path
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            user.refresh_from_db()
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your password is saved. Your login name is %(name)s. Write it down.") % {"name": user.username},
            )
            return redirect("portal:home")
    return render(request, "portal/set_password.html", {"form": form, "login_name": user.username})


def second_factor(request):
    """After the password, for a person who turned the extra code on: the six digits of their app."""
    refuse_staff(request)
    account = getattr(request, "portal_account", None)
    if account is None:
        return redirect("portal:login")
    device = portal_second_factor_device(user=request.user)
    if device is None or request.user.is_verified():
        return redirect(_next_url(request))
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout_page(request, request.user.get_username())
    form = PortalCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("code", _("Wrong code. Type the six digits your app shows now."))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "portal/second_factor.html", {"form": form, "next": request.GET.get("next", "")})


def _qr_data_uri(text: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(text, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@portal_login_required
def second_factor_settings(request):
    """Turn the extra code on (scan, confirm a code) or off (confirm a code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = portal_second_factor_device(user=request.user)
    form = PortalCodeForm(request.POST or None)
    if device is None:
        pending = second_factor_pending_device(user=request.user)
        if request.method == "POST" and form.is_valid():
            if pending.verify_token(form.cleaned_data["code"]):
                TOTPDevice.objects.filter(user=request.user).exclude(pk=pending.pk).delete()
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                _second_factor_changed(request, on=True)
                messages.success(request, _("The extra code is on. You will type it after your password."))
                return redirect("portal:home")
            form.add_error("code", _("Wrong code. Type the six digits your app shows now."))
        secret = b32encode(pending.bin_key).decode("ascii")
        context = {
            "form": form,
            "on": False,
            "qr": _qr_data_uri(pending.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }
        return render(request, "portal/second_factor_settings.html", context)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=request.user).delete()
            _second_factor_changed(request, on=False)
            messages.success(request, _("The extra code is off."))
            return redirect("portal:home")
        form.add_error("code", _("Wrong code. Type the six digits your app shows now."))
    return render(request, "portal/second_factor_settings.html", {"form": form, "on": True})


def _second_factor_changed(request, *, on: bool) -> None:
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.PORTAL_SECOND_FACTOR_CHANGED,
        target=request.portal_account,
        changes={"on": on},
        beneficiary_id=request.beneficiary.pk,
        context=request.path,
    )
