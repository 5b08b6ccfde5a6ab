"""The CPAS's catalogue of its own services and of its partners, and its target groups for an optional PIIS.

A PIIS "articulated to a 360° offer of services" (seed study) points its objectives, steps and commitments to the
entries here (contracts.Objective/Step/Clause.catalogue_entry) and takes its third parties from the partners
(contracts.ThirdParty.catalogue_entry). The target groups are the CPAS's own policy, in its own words, beside the
compulsory groups of the law (the rules core's piis_obligation); a file is put in one (cases.Beneficiary.target_group).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.catalogue.enums import PARTNER_KINDS, EntryKind, TargetGroupBasis
from piis.core.models import TenantModel


class CatalogueEntry(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it offers"), max_length=2000, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    # Codes of the languages the service or partner works in (fr, nl, de, en).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["cpas", "active", "kind"], name="catalogue_cpas_active_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS


class TargetGroup(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("situation"), max_length=20, choices=TargetGroupBasis.choices)
    criteria = models.TextField(_("criteria, in the CPAS's words"), max_length=2000)
    policy = models.TextField(_("what the CPAS proposes"), max_length=2000)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
