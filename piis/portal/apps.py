from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "piis.portal"
    label = "portal"
    verbose_name = _("Beneficiary portal")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from piis.portal.middleware import remember_portal_account

        user_logged_in.connect(remember_portal_account, dispatch_uid="piis.portal.remember_portal_account")
