from django.conf import settings
from django.db import transaction
from django.utils import translation

from piis.accounts.selectors import membership_for_request
from piis.core.deferred import AfterCommit
from piis.core.rls import set_current_cpas

SESSION_KEY = "current_cpas_id"


class CurrentCpasMiddleware:
    """Puts the current CPAS and the user's membership in it on the request.

    The CPAS comes from the session (a user with several CPAS switches explicitly, see www.home.switch_cpas);
    a user with one CPAS simply has it. The whole request then runs in one transaction in which the CPAS is
    set for PostgreSQL row-level security (SET LOCAL semantics, so it cannot leak to the next request through a
    pooled connection), and writes commit together with their audit rows. A view that returns
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
        cpas_id = request.cpas.pk if request.cpas else None
        with transaction.atomic():
            set_current_cpas(cpas_id)
            response = self.get_response(request)
        if isinstance(response, AfterCommit):  # slow work without the database: no transaction, so no lock, held
            result = response.work()
            with transaction.atomic():
                set_current_cpas(cpas_id)
                response = response.finish(result)
        return response


def _speak_preferred_language(request) -> None:
    """Until the user picks a language in the header (LocaleMiddleware's cookie), pages are in the language of
    their account rather than the browser's or the site's default, so a Flemish OCMW's staff read Dutch roles and
    labels from the first page on."""
    language = request.user.preferred_language
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(language)
        request.LANGUAGE_CODE = language
