from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "piis.accounts"
    label = "accounts"
    verbose_name = _("CPAS and users")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from piis.accounts import checks  # noqa: F401  (registers the deployment checks)
        from piis.accounts.middleware import remember_login_time

        user_logged_in.connect(remember_login_time, dispatch_uid="piis.accounts.remember_login_time")
