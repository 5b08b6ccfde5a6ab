"""The beneficiary file. Issue 5 extends it (household, RI decisions, obligation, exemptions)."""

import re
import unicodedata
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.cases.enums import (
    SENSITIVE_DOMAINS,
    AssessmentItemKind,
    ExemptionGround,
    HouseholdRelation,
    LifeDomain,
    PeriodKind,
    RiCategory,
)
from piis.cases.validators import mask_nrn, validate_birth_date_agrees, validate_nrn
from piis.core.models import TenantModel

# Hyphens and apostrophes join parts of Belgian names ("Van Damme-Lefèvre", "D'Hondt"); search ignores them.
NAME_JOINERS = re.compile(r"[-\u2010\u2011\u2012\u2013'\u2019\s]+")


def search_key(*parts: str) -> str:
    """Lower-case, accent-free text for name search, hyphens and apostrophes read as spaces ("Dupré-Smet" is found
    by "dupre smet" and by "smet")."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return NAME_JOINERS.sub(" ", plain).strip()


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
    # Need-to-know (piis.cases.access): the assigned worker and the file's team reach it; others break the glass.
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The CPAS's own policy (piis.catalogue): the group for which it proposes an optional PIIS, if any.
    target_group = models.ForeignKey(
        "catalogue.TargetGroup",
        verbose_name=_("target group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="beneficiaries",
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

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Each field, then the date of birth against the number (full_clean: forms and services alike).

        Done here rather than in clean() because only here are the excluded fields known: a ModelForm excludes a
        field it has already refused, and that field's value on the instance is then the old one; comparing it with
        the other would report a disagreement the user never typed. A field that failed is not compared either.
        """
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not {"birth_date", "national_number"} & (set(exclude or ()) | set(errors)):
            try:
                validate_birth_date_agrees(self.national_number, self.birth_date)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def masked_national_number(self) -> str:
        return mask_nrn(self.national_number)


class HouseholdMember(TenantModel):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=HouseholdRelation.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Assistant(TenantModel):
    """R38 / S-Third 19: the person of the beneficiary's choice who assists them. A role, never a party."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="assistants")
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship or organisation"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    may_receive_file_data = models.BooleanField(
        _("the person consents to share file data with this assistant"), default=False
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assistant of the person's choice")
        verbose_name_plural = _("assistants of the person's choice")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RiDecision(TenantModel):
    """The CPAS's decision granting the integration income: its own record, never gated by a PIIS (R14, S-Dec 11)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="ri_decisions")
    category = models.PositiveSmallIntegerField(_("category"), choices=RiCategory.choices)
    requested_on = models.DateField(_("RI requested on"))
    decided_on = models.DateField(_("decision date"))
    notified_on = models.DateField(_("notification date"), null=True, blank=True)
    start_on = models.DateField(_("RI granted from"))
    end_on = models.DateField(_("RI granted until"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("monthly amount granted (€)"), max_digits=8, decimal_places=2)
    employed_with_top_up = models.BooleanField(_("works and receives the RI as a top-up to wages"), default=False)
    full_time_studies = models.BooleanField(
        _("full-time studies accepted on equity grounds (study PIIS)"), default=False
    )
    notes = models.TextField(_("motivation and notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("RI decision")
        verbose_name_plural = _("RI decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(decided_on__gte=F("requested_on")), name="ri_decided_after_request"),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("decided_on")),
                name="ri_notified_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="ri_end_after_start"
            ),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="ri_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["cpas", "beneficiary", "decided_on"], name="ri_cpas_file_decided")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.decided_on:%d/%m/%Y}"

    def clean(self):
        """Dates in their natural order, as field errors (the database constraints say the same)."""
        errors = {}
        if self.requested_on and self.decided_on and self.decided_on < self.requested_on:
            errors["decided_on"] = _("The decision cannot be dated before the request.")
        if self.decided_on and self.notified_on and self.notified_on < self.decided_on:
            errors["notified_on"] = _("The notification cannot be dated before the decision.")
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end cannot be before the start.")
        if self.full_time_studies and not (self.notes or "").strip():
            # T31 / R22: the equity assessment that accepts the studies is a motivated decision.
            errors["notes"] = _("Give the motivation of the equity assessment that accepts the full-time studies.")
        if errors:
            raise ValidationError(errors)


class IncomePeriod(TenantModel):
    """History before this RI (R2, R3): earlier RI (here or at another CPAS) and CPAS-supported employment."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="income_periods")
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("earlier period")
        verbose_name_plural = _("earlier periods")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_on:%d/%m/%Y}–{self.end_on:%d/%m/%Y}"

    def clean(self):
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end cannot be before the start.")})


class Exemption(TenantModel):
    """R9–R12: a CPAS decision exempting the person from the obligation, for health or equity reasons."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="exemptions")
    ground = models.CharField(_("ground"), max_length=10, choices=ExemptionGround.choices)
    motivation = models.TextField(_("motivation"))
    decided_on = models.DateField(_("decision date"))
    decided_by = models.CharField(_("decided by (organ)"), max_length=200)
    start_on = models.DateField(_("from"))
    review_on = models.DateField(_("review date"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    lifted_on = models.DateField(_("date of the decision lifting it"), null=True, blank=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="exemption_end_after_start"
            ),
            models.CheckConstraint(condition=Q(review_on__gte=F("start_on")), name="exemption_review_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} {self.start_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end cannot be before the start.")
        if self.start_on and self.review_on and self.review_on < self.start_on:
            errors["review_on"] = _("The review cannot be dated before the start of the exemption.")
        if self.decided_on and self.lifted_on and self.lifted_on < self.decided_on:
            errors["lifted_on"] = _("The exemption cannot be lifted before it was decided.")
        if errors:
            raise ValidationError(errors)

    @property
    def effective_end(self):
        """R12 / A2: the later of its last day and the decision lifting it (None while open-ended)."""
        ends = [d for d in (self.end_on, self.lifted_on) if d is not None]
        return max(ends) if ends else None

    def state_on(self, day) -> str:
        """ "upcoming", "active" or "ended" on `day`."""
        if day < self.start_on:
            return "upcoming"
        end = self.effective_end
        return "ended" if end is not None and end < day else "active"


class NeedsAssessment(TenantModel):
    """R25, S-Pers 1–3: the social assessment (bilan social) by life domain, before any draft."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date of the assessment"))
    own_words = models.TextField(_("in the person's own words: what they want"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("social worker"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assessed_on:%d/%m/%Y}"


class AssessmentItem(TenantModel):
    """One aspiration, need, obstacle or strength in one life domain. Sensitive domains need consent (S-Dom 16)."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(_("life domain"), max_length=30, choices=LifeDomain.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentItemKind.choices)
    text = models.TextField(_("description"))
    justification = models.TextField(_("why this sensitive domain is needed"), blank=True)
    consent_given = models.BooleanField(_("the person explicitly consents to record this"), default=False)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["domain", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} — {self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_sensitive(self) -> bool:
        return self.domain in SENSITIVE_DOMAINS

    def clean(self):
        """S-Dom 16: a sensitive domain is recorded only with a justification and the person's explicit consent."""
        if not self.is_sensitive:
            return
        errors = {}
        if not (self.justification or "").strip():
            errors["justification"] = _("A sensitive domain needs a justification: why is it needed for the project?")
        if not self.consent_given:
            errors["consent_given"] = _("A sensitive domain is recorded only with the person's explicit consent.")
        if errors:
            raise ValidationError(errors)


class GlassBreak(TenantModel):
    """A member's explicit, time-limited access to one file beyond need-to-know ("break the glass"), with the
    reason given. Written only by cases.services.break_the_glass, audited as FILE_GLASS_BROKEN and listed for the
    DPO; piis.cases.access honours it until `until`."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    until = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["cpas", "user", "beneficiary", "until"], name="glassbreak_lookup")]

    def __str__(self) -> str:
        return f"{self.beneficiary} ({self.opened_at:%d/%m/%Y %H:%M})"
