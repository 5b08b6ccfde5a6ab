"""Input that no field can hold, refused once for the whole application, before any view or the database sees it.

A NUL character (U+0000) cannot be stored in PostgreSQL text (psycopg refuses it), nor compared with it in a query,
and no one types it: it comes from a paste of binary data or from a hostile client. Rather than each form, search
box, filter, redirect target and audit record guarding against it (Django's CharField does, but only there: a search
`q`, an audit export's filters, a feed token in the path or a session cookie went straight to a query and failed
with a server error), this middleware refuses the whole request with a 400 page that says what to remove. It runs
before the session is read (a NUL in the session cookie would otherwise reach the session table), in the browser's
language, and writes nothing.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or NUL in request.path:
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    # Uploaded file names need no check: Django's multipart parser already cuts them at a NUL.
    return any(NUL in key for key in request.FILES)


class RefuseNulMiddleware:
    """400, with a page that says what to do, for a request carrying a NUL character anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            with translation.override(translation.get_language_from_request(request)):
                body = render_to_string("core/refused_input.html", {"language": translation.get_language()})
            return HttpResponseBadRequest(body)
        return self.get_response(request)


# Browser features the application never uses, refused to every page and to anything a page could load (an injected
# frame or script included). Only names Chromium and Firefox recognise, so that the console stays free of warnings.
# WebAuthn (publickey-credentials-*) is left to the browser's default (this origin only) for a second factor.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivateResponseMiddleware:
    """Every response of the application is kept out of every cache and refuses the browser features it never uses.

    Nearly every page, and every file (contract PDF, signature scan, audit CSV, calendar feed), shows a person's
    data, so rather than a list of views that could miss the next one, every response that reaches this middleware
    is `Cache-Control: no-store` (with `Pragma: no-cache` for HTTP/1.0 proxies): neither the browser's disk cache nor
    a proxy keeps a copy, and the back button after logging out does not show a file again. It sits after
    WhiteNoiseMiddleware, so the static files (CSS, JavaScript: no personal data) keep their long cache; a view's own
    Cache-Control is overridden. It also sets Permissions-Policy (PERMISSIONS_POLICY above).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
