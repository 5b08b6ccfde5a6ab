"""Deployment checks (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs=None, **kwargs):
    """Production never runs without the second factor (PIIS_MFA_REQUIRED)."""
    if getattr(settings, "PIIS_MFA_REQUIRED", True):
        return []
    return [
        Error(
            "PIIS_MFA_REQUIRED is off: staff would reach personal data with a password alone.",
            hint="Only development settings (piis.settings.dev) may turn the second factor off.",
            id="piis.E001",
        )
    ]
