from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "piis.contracts"
    label = "contracts"
    verbose_name = _("PIIS contracts")

    def ready(self):
        from piis.cases.access import register_reach
        from piis.contracts.access import CONTRACT_WORKER_REACH

        register_reach(CONTRACT_WORKER_REACH)
