from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "piis.catalogue"
    label = "catalogue"
    verbose_name = _("Services, partners and target groups")
