"""`portal_login_required`: the only way into a portal page that shows the person's data."""

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from piis.portal.middleware import refuse_staff
from piis.portal.selectors import portal_beneficiary, portal_second_factor_device

SECOND_FACTOR_SESSION_KEY = "piis_portal_second_factor_ok"


def portal_login_required(view):
    """The person is logged in with an active portal account (piis.portal.middleware put it on the request), and
    has passed their second factor if they chose one. The view then gets `request.portal_account`,
    `request.beneficiary` (their own file, read inside their CPAS's row-level security: CurrentCpasMiddleware set
    `app.cpas_id` to the account's CPAS) and `request.cpas`. Objects a view looks up must hang off
    `request.beneficiary`; anything else is 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        refuse_staff(request)
        account = getattr(request, "portal_account", None)
        if account is None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('portal:login')}?{query}")
        if not request.user.is_verified() and portal_second_factor_device(user=request.user) is not None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('portal:second_factor')}?{query}")
        request.cpas = account.cpas
        request.beneficiary = portal_beneficiary(account=account)
        speak_person_language(request, request.beneficiary.language)
        return view(request, *args, **kwargs)

    return wrapped


def speak_person_language(request, language: str) -> None:
    """Until the person picks a language in the header, the portal speaks the language of their file."""
    from django.conf import settings

    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(language)
        request.LANGUAGE_CODE = language
