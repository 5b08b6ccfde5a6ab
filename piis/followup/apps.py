from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "piis.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from piis.followup import signals

        signals.connect()
