"""Keeps the beneficiary's portal and the staff application apart.

A session logged in with a portal account carries its id (PORTAL_SESSION_KEY, put there by the `user_logged_in`
receiver whatever login page was used): such a session reaches only the portal's pages (and the language switch);
anything else sends it to the portal's home. A staff session never reaches a portal page: every portal view answers
it 404 (`refuse_staff`, after the staff second factor has been asked like on any page), so staff can never see the
portal as the person. Sits after django-otp's middleware and before SecondFactorMiddleware (which leaves the
portal's optional second factor to piis.portal.decorators) and CurrentCpasMiddleware (which runs the request in the
person's CPAS).
"""

from django.contrib.auth import logout
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

PORTAL_SESSION_KEY = "piis_portal_account_id"
PORTAL_PREFIX = "/portal/"
# Outside /portal/, the pages a portal session may use: the language switch.
PORTAL_OPEN_PREFIXES = ("/i18n/",)


def remember_portal_account(sender, request, user, **kwargs) -> None:
    """user_logged_in: mark the session of a person who has an active portal account (one query per login)."""
    from piis.portal.models import PortalAccount

    if request is None or not hasattr(request, "session"):
        return
    account_id = PortalAccount.objects.filter(user=user, disabled_at__isnull=True).values_list("pk", flat=True).first()
    if account_id is not None:
        request.session[PORTAL_SESSION_KEY] = account_id
    else:
        request.session.pop(PORTAL_SESSION_KEY, None)


class PortalSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from piis.portal.models import PortalAccount

        request.portal_account = None
        path = request.path_info
        in_portal = path.startswith(PORTAL_PREFIX)
        if not request.user.is_authenticated:
            return self.get_response(request)
        account_id = request.session.get(PORTAL_SESSION_KEY)
        if account_id is None:  # a staff session: the portal's views answer 404 (refuse_staff)
            return self.get_response(request)
        account = (
            PortalAccount.objects.select_related("cpas")
            .filter(pk=account_id, user=request.user, disabled_at__isnull=True)
            .first()
        )
        if account is None or request.user.memberships.exists():  # disabled meanwhile, or not a person's account
            logout(request)
            return HttpResponseRedirect(reverse("portal:login"))
        request.portal_account = account
        if not in_portal and not path.startswith(PORTAL_OPEN_PREFIXES) and not _is_static(path):
            return HttpResponseRedirect(reverse("portal:home"))
        return self.get_response(request)


def _is_static(path: str) -> bool:
    from django.conf import settings

    return bool(settings.STATIC_URL) and path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def refuse_staff(request) -> None:
    """A logged-in session that is not the person's (staff): 404 on every portal page, the login page included."""
    if request.user.is_authenticated and getattr(request, "portal_account", None) is None:
        raise Http404
