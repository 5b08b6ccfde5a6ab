"""The beneficiary file. Issue 5 extends it (household, RI decisions, obligation, exemptions)."""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.cases.validators import mask_nrn, validate_nrn
from piis.core.models import TenantModel


def search_key(*parts: str) -> str:
    """Lower-case, accent-free text for name search ("Dupré" finds "dupre")."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


class Beneficiary(TenantModel):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    national_number = models.CharField(
        _("national register number"), max_length=11, validators=[validate_nrn], help_text=_("11 digits.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    search_name = models.CharField(max_length=210, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "national_number"], name="beneficiary_nrn_unique_per_cpas"),
        ]
        indexes = [
            models.Index(fields=["cpas", "last_name", "first_name"], name="beneficiary_cpas_name"),
            models.Index(fields=["cpas", "social_worker"], name="beneficiary_cpas_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.last_name, self.first_name)
        super().save(*args, **kwargs)

    @property
    def masked_national_number(self) -> str:
        return mask_nrn(self.national_number)
