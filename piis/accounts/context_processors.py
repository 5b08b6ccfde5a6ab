from django.conf import settings


def second_factor(request):
    """`second_factor_off`: the banner of development settings without the second factor. `second_factor_pending`:
    a logged-in session that has not passed it yet (the header then shows no menu)."""
    user = getattr(request, "user", None)
    verified = bool(user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)())
    return {
        "second_factor_off": not settings.PIIS_MFA_REQUIRED,
        "second_factor_pending": bool(
            settings.PIIS_MFA_REQUIRED and user is not None and user.is_authenticated and not verified
        ),
    }
