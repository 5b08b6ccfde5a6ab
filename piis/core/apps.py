from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "piis.core"
    label = "core"
