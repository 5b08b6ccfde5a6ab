from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "piis.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # Each app's personal_data.py registers its part of a person's access export (piis.core.personal_data).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("personal_data")
