"""Login throttling that cannot be turned against a colleague (django-axes hooks, named in the settings).

- `client_ip`: the address a lockout is keyed on, with the user name. X-Forwarded-For is believed only as far as
  TRUSTED_PROXY_COUNT reverse proxies vouch for it, so a forged header neither hides an attacker nor lets one lock
  out the address of someone else.
- `login_cool_off`: how long a lockout lasts; it doubles with every further AXES_FAILURE_LIMIT failures for the same
  name and address since their last successful login (looked back at most a day), up to a day.
"""

from datetime import timedelta
from ipaddress import ip_address

from django.conf import settings
from django.utils import timezone

LOOK_BACK = timedelta(days=1)
LONGEST_COOL_OFF = timedelta(days=1)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address. Behind N trusted proxies, each appending the address it received from to
    X-Forwarded-For, the Nth entry from the right is what the outermost proxy saw: the client. Entries further left
    came from the client itself and are ignored. Without trusted proxies (the default), REMOTE_ADDR. A header
    shorter than N entries or with an invalid entry where the client should be falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return _valid_ip(hops[-count]) or remote


def _attempt_username(request) -> str | None:
    credentials = getattr(request, "axes_credentials", None) or {}
    if credentials.get("username"):
        return credentials["username"]
    if request.method == "POST" and request.POST.get("username"):
        return request.POST["username"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:  # the second-factor step
        return user.get_username()
    return None


def failures_since_last_login(*, username: str | None, ip: str | None, now=None) -> int:
    """Failed attempts for this name from this address since their last successful login, within LOOK_BACK."""
    from axes.models import AccessFailureLog, AccessLog

    now = now or timezone.now()
    since = now - LOOK_BACK
    last_login = (
        AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last_login is not None:
        since = last_login
    return AccessFailureLog.objects.filter(username=username, ip_address=ip, attempt_time__gt=since).count()


def cool_off_for(failures: int) -> timedelta:
    """AXES_COOLOFF_MINUTES for the first lockout, doubled for every further AXES_FAILURE_LIMIT failures."""
    base = timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    doublings = max(0, failures // max(1, settings.AXES_FAILURE_LIMIT) - 1)
    if doublings >= 16:
        return LONGEST_COOL_OFF
    return min(base * (2**doublings), LONGEST_COOL_OFF)


def login_cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: the lockout for the name and address of this request."""
    if request is None:
        return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    failures = failures_since_last_login(username=_attempt_username(request), ip=ip)
    return cool_off_for(failures)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the translated lockout page (429), saying how long this lockout lasts."""
    from django.shortcuts import render

    minutes = max(1, int(login_cool_off(request).total_seconds() // 60))
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
