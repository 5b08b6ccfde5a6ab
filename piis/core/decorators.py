from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def cpas_permission_required(check):
    """Login required, a current CPAS, and `check(membership)` true; otherwise 403 (page) — objects give 404."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.membership is None or not check(request.membership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
