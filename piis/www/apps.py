from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "piis.www"
    label = "www"
