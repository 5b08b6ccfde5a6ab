from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "piis.demo"
    label = "demo"
    verbose_name = "Demo data"
