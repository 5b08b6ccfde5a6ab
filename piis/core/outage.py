"""The page a person gets when the database cannot be reached: a translated 503 with Retry-After, not a 500.

Every request reads the session and opens its transaction in the database (SessionMiddleware, AuthenticationMiddleware,
CurrentCpasMiddleware), so when PostgreSQL is down, restarting or unreachable, the first of them to touch it fails with
django.db's OperationalError (connection refused, server closed the connection, connect timeout) or InterfaceError
(connection already closed). Django turns an exception raised in any middleware or view into a response at that
layer, by calling the 500 handler inside its `except` block; `server_error` below is that handler (piis/urls.py): it
looks at the exception being handled and answers a database outage with a 503 page. That page is rendered without
the request context: no session, no user, no CPAS, no URL reversing, no database; its language comes from the
language cookie or the browser (Accept-Language) only. Every other error keeps Django's 500 page (500.html).

The connection itself recovers alone: CONN_HEALTH_CHECKS replaces a pooled connection that died with the server, and
connect_timeout (settings.base.DATABASE_CONNECT_TIMEOUT) bounds how long a request waits for one, so the 503 comes
within a few seconds. A statement that runs too long is cancelled by PostgreSQL (statement_timeout, set for the web
processes by settings.prod) with an OperationalError too: the same 503 page, the request's transaction rolled back.
"""

import sys

from django.db import InterfaceError, OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

# Seconds a browser or a client library is told to wait before trying again.
RETRY_AFTER_SECONDS = 10


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether `exc` (or an exception it was raised from) says the database cannot be reached or went away."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 page for a database outage, in the language of the cookie or the browser, with Retry-After."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = render_to_string(
            "503.html", {"language": translation.get_language(), "retry_after": RETRY_AFTER_SECONDS}
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _roll_back_open_transactions() -> None:
    """The view's error is answered inside the request's transaction (CurrentCpasMiddleware's atomic block): a
    statement cancelled by statement_timeout has aborted it, so it must end in a rollback, never in an attempt to
    commit (which would fail again and turn the 503 into a 500). A dead connection is dropped by that rollback."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            transaction.set_rollback(True, using=connection.alias)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a database outage gets the 503 page, anything else Django's 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        _roll_back_open_transactions()
        return database_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
