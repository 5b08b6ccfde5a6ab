import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from piis.accounts.selectors import membership_for_request
from piis.core.deferred import AfterCommit
from piis.core.rls import set_current_cpas

SESSION_KEY = "current_cpas_id"


class CurrentCpasMiddleware:
    """Puts the current CPAS and the user's membership in it on the request.

    The CPAS comes from the session (a user with several CPAS switches explicitly, see www.home.switch_cpas);
    a user with one CPAS simply has it. The whole request then runs in one transaction in which the CPAS is
    set for PostgreSQL row-level security (SET LOCAL semantics, so it cannot leak to the next request through a
    pooled connection), and writes commit together with their audit rows and the session. A view that returns
    `core.deferred.AfterCommit` has its slow part run after that transaction, and its end in a second one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership, request.memberships = None, []
        if request.user.is_authenticated:
            request.membership, request.memberships = membership_for_request(
                user=request.user, wanted_cpas_id=request.session.get(SESSION_KEY)
            )
            _speak_preferred_language(request)
        request.cpas = request.membership.cpas if request.membership else None
        portal_account = getattr(request, "portal_account", None)  # piis.portal.middleware: the person's session
        if request.cpas is None and portal_account is not None:
            request.cpas = portal_account.cpas
        cpas_id = request.cpas.pk if request.cpas else None
        with transaction.atomic():
            set_current_cpas(cpas_id)
            response = self.get_response(request)
            if not isinstance(response, AfterCommit):
                _save_session(request, response)
        if isinstance(response, AfterCommit):  # slow work without the database: no transaction, so no lock, held
            result = response.work()
            with transaction.atomic():
                set_current_cpas(cpas_id)
                response = response.finish(result)
                _save_session(request, response)
        return response


def _save_session(request, response) -> None:
    """The session saved as the last write of the request's transaction, rather than in a transaction of its own
    after it (piis.accounts.sessions): one commit to wait for instead of two."""
    save = getattr(getattr(request, "session", None), "save_with_request", None)
    if save is not None:
        save(response)


def _speak_preferred_language(request) -> None:
    """Until the user picks a language in the header (LocaleMiddleware's cookie), pages are in the language of
    their account rather than the browser's or the site's default, so a Flemish OCMW's staff read Dutch roles and
    labels from the first page on."""
    language = request.user.preferred_language
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(language)
        request.LANGUAGE_CODE = language


LOGIN_AT_SESSION_KEY = "piis_login_at"


def remember_login_time(sender, request, user, **kwargs) -> None:
    """user_logged_in: the session's start, for SessionLifetimeMiddleware's absolute limit."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_SESSION_KEY] = int(time.time())


def _to_page(request, url: str):
    """A redirect that htmx follows as a whole-page navigation instead of swapping the target page into a fragment."""
    if request.headers.get("HX-Request") == "true":  # HtmxMiddleware comes later in MIDDLEWARE
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionLifetimeMiddleware:
    """A session ends SESSION_MAX_SECONDS (12 hours) after its login, however active it has been; the idle limit
    (30 minutes) is the session cookie's age, renewed by every request. A session without a login time (opened
    before this limit existed) ends at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_SESSION_KEY)
            if not isinstance(started, int) or time.time() - started > settings.SESSION_MAX_SECONDS:
                logout(request)
                hours = settings.SESSION_MAX_SECONDS // 3600
                messages.info(
                    request, _("Sessions last at most %(hours)s hours. Please log in again.") % {"hours": hours}
                )
                return _to_page(
                    request, f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)


# Pages a session may reach before it has passed the second factor: nothing on them shows data.
SECOND_FACTOR_OPEN_URL_NAMES = frozenset({"login", "logout", "mfa_verify", "mfa_enrol", "set_language"})


class SecondFactorMiddleware:
    """With PIIS_MFA_REQUIRED, a logged-in staff session that has not passed the second factor (django-otp's
    `user.is_verified()`) reaches only the login, enrolment, verification, logout and language pages (and static
    files, which WhiteNoise serves before this); every other page redirects to the second factor, keeping where the
    user was going."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PIIS_MFA_REQUIRED
            and request.user.is_authenticated
            and getattr(request, "portal_account", None) is None  # the portal's second factor is optional
            and not request.user.is_verified()
            and not _is_open_before_second_factor(request.path_info)
        ):
            target = reverse("accounts:mfa_verify")
            return _to_page(request, f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _is_open_before_second_factor(path: str) -> bool:
    if settings.STATIC_URL and path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # the 404 page shows nothing
    return match.url_name in SECOND_FACTOR_OPEN_URL_NAMES
