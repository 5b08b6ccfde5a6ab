"""The append-only audit trail: every write, and every read of a beneficiary file.

Sized for 40M rows a year: on PostgreSQL the table is partitioned by month (see migration 0001 and the
`audit_partitions` command), has a BRIN index on time and B-tree indexes led by cpas_id, and no foreign-key
constraints to business tables (db_constraint=False), so old partitions can be dropped for retention.
UPDATE and DELETE are refused by a database trigger and by the model itself.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.core.models import TenantQuerySet


class AuditEventImmutable(Exception):
    pass


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    cpas = models.ForeignKey(
        "accounts.Cpas", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        db_index=False,
    )
    actor_label = models.CharField(_("who"), max_length=150)
    verb = models.CharField(_("what"), max_length=40, choices=AuditVerb.choices)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.BigIntegerField(_("object id"), null=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    beneficiary_id = models.BigIntegerField(_("beneficiary file"), null=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    context = models.CharField(_("from"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["cpas", "target_type", "target_id", "occurred_at"], name="audit_cpas_target_time"),
            models.Index(fields=["cpas", "beneficiary_id", "occurred_at"], name="audit_cpas_file_time"),
            models.Index(fields=["cpas", "occurred_at"], name="audit_cpas_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.actor_label} {self.verb} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEventImmutable("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("audit events are append-only")
