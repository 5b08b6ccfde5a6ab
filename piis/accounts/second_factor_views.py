"""The second factor: enrolment (QR code, confirm a code, recovery codes shown once), the code asked after the
password, the user's own page (new recovery codes) and the administrator's reset of a lost device."""

import base64
import io
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.qr import write_qrcode_image

from piis.accounts.forms import SecondFactorCodeForm
from piis.accounts.perms import can_reset_second_factor
from piis.accounts.selectors import (
    member_of_cpas,
    recovery_codes_left,
    recovery_device,
    second_factor_device,
    staff_second_factor_list,
)
from piis.accounts.services import (
    second_factor_code_used,
    second_factor_codes_renew,
    second_factor_enrol,
    second_factor_pending_device,
    second_factor_reset,
)
from piis.core.decorators import cpas_permission_required

NEW_CODES_SESSION_KEY = "piis_new_recovery_codes"


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    from urllib.parse import urlencode

    wanted = request.POST.get("next") or request.GET.get("next")
    return f"{reverse(name)}?{urlencode({'next': wanted})}" if wanted else reverse(name)


def _qr_data_uri(text: str) -> str:
    """The QR code as an SVG data: URI (an <img>, so no inline markup or style for the CSP to refuse)."""
    out = io.BytesIO()
    write_qrcode_image(text, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _time(moment) -> str:
    return time_format(localtime(moment), "H:i:s")


def _is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _lockout_page(request):
    from axes.helpers import get_lockout_response

    return get_lockout_response(request, None, {"username": request.user.get_username()})


def _count_failure(request) -> None:
    """A wrong code counts as a failed login for this name and address (django-axes): five lock them out, like
    five wrong passwords, and AxesMiddleware shows the lockout page."""
    user_login_failed.send(sender=__name__, credentials={"username": request.user.get_username()}, request=request)


@login_required
def verify(request):
    """After the password: the code from the app, or one recovery code."""
    if _is_verified(request):
        return redirect(_next_url(request))
    device = second_factor_device(user=request.user)
    if device is None:
        return redirect(_with_next("accounts:mfa_enrol", request))
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout_page(request)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        used = device if code.isdigit() else recovery_device(user=request.user)
        allowed, details = used.verify_is_allowed() if used is not None else (True, None)
        if not allowed:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait until %(time)s before trying again.")
                % {"time": _time(details["locked_until"])},
            )
        elif used is not None and used.verify_token(code):
            otp_login(request, used)
            request.session.cycle_key()
            AxesProxyHandler.reset_attempts(username=request.user.get_username(), ip_address=request.axes_ip_address)
            if used is not device:
                second_factor_code_used(user=request.user, cpas=request.cpas, context=request.path)
                left = recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s left. Make new ones on your second-factor page.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        else:
            form.add_error("code", _("Wrong code. Type the six digits your app shows now, or a recovery code."))
            _count_failure(request)
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def enrol(request):
    """A user without a second factor sets one up: scan the QR code (or type the secret), confirm with a code."""
    if second_factor_device(user=request.user) is not None:
        return redirect("accounts:mfa_account" if _is_verified(request) else "accounts:mfa_verify")
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout_page(request)
    device = second_factor_pending_device(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        allowed, details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait until %(time)s before trying again.")
                % {"time": _time(details["locked_until"])},
            )
        elif code.isdigit() and device.verify_token(code):
            codes = second_factor_enrol(user=request.user, cpas=request.cpas, device=device, context=request.path)
            otp_login(request, device)
            request.session.cycle_key()
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(_with_next("accounts:mfa_recovery_codes_shown", request))
        else:
            form.add_error("code", _("Wrong code. Type the six digits your app shows now."))
            _count_failure(request)
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped_secret(device),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/mfa_enrol.html", context)


@login_required
def recovery_codes_shown(request):
    """The new recovery codes, shown once: they are gone from the session as soon as this page is drawn."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:mfa_account" if _is_verified(request) else "accounts:mfa_verify")
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
def account(request):
    """The user's own second factor: since when, how many recovery codes are left, new ones."""
    context = {
        "device": second_factor_device(user=request.user),
        "codes_left": recovery_codes_left(user=request.user),
    }
    return render(request, "accounts/mfa_account.html", context)


@require_POST
@login_required
def recovery_codes_renew(request):
    if second_factor_device(user=request.user) is None:
        return redirect("accounts:mfa_enrol")
    codes = second_factor_codes_renew(user=request.user, cpas=request.cpas, context=request.path)
    request.session[NEW_CODES_SESSION_KEY] = codes
    return redirect("accounts:mfa_recovery_codes_shown")


@cpas_permission_required(can_reset_second_factor)
def staff(request):
    """The CPAS administrator's list of members with whether each has a second factor, and the reset."""
    return render(request, "accounts/mfa_staff.html", {"members": staff_second_factor_list(cpas=request.cpas)})


@require_POST
@cpas_permission_required(can_reset_second_factor)
def reset(request, membership_id: int):
    member = member_of_cpas(cpas=request.cpas, membership_id=membership_id)
    second_factor_reset(membership=request.membership, member=member, context=request.path)
    name = member.user.get_full_name() or member.user.get_username()
    messages.success(
        request,
        _("The second factor of %(name)s was reset: they set up a new one at their next login.") % {"name": name},
    )
    return redirect("accounts:mfa_staff")
