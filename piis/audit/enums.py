from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    READ = "read", _("Read")
    EXPORT = "export", _("Exported")
