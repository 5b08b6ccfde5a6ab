from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "piis.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from piis.api.principal import INTEGRATION_REACH
        from piis.cases.access import register_reach

        register_reach(INTEGRATION_REACH)
