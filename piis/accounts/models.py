"""The tenant (Cpas), its calendar and signatory matrix, users and their role in each CPAS."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from piis.accounts.enums import Language, Region, Role, SignatoryFunction
from piis.accounts.recovery import recovery_digests
from piis.core.models import ChoiceDisplay, TenantModel


def default_languages() -> list[str]:
    return [Language.FR]


class Cpas(models.Model):
    """A public social welfare centre: the tenant. Everything a CPAS owns points here."""

    name = models.CharField(_("name"), max_length=200)
    nis_code = models.CharField(_("NIS code"), max_length=5, unique=True, help_text=_("Five digits."))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    working_languages = models.JSONField(_("working languages"), default=default_languages)

    class Meta:
        verbose_name = _("CPAS")
        verbose_name_plural = _("CPAS")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(nis_code__regex=r"^[0-9]{5}$"), name="cpas_nis_code_five_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def default_language(self) -> str:
        return (self.working_languages or [Language.FR])[0]


class ClosureDay(TenantModel):
    """A local closure day of a CPAS: not a working day for its working-day deadlines (R41, §15.1)."""

    day = models.DateField(_("day"))
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["cpas", "day"], name="closureday_unique_per_cpas")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.label}".strip()


class Signatory(TenantModel):
    """One line of the signatory matrix (R35, O5): a function that signs a PIIS for the CPAS."""

    function = models.CharField(_("function"), max_length=30, choices=SignatoryFunction.choices)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder = models.ForeignKey(
        "accounts.User", verbose_name=_("user account"), null=True, blank=True, on_delete=models.SET_NULL
    )
    required = models.BooleanField(_("signature required"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatory matrix")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["cpas", "function"], name="signatory_function_once_per_cpas")]

    def __str__(self) -> str:
        return f"{self.get_function_display()}: {self.holder_name}"


class SignatoryDelegation(TenantModel):
    """The delegation register (R35): who may sign in place of a signatory, and from/to when."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="delegations")
    delegate_name = models.CharField(_("delegate"), max_length=200)
    delegate = models.ForeignKey(
        "accounts.User", verbose_name=_("user account"), null=True, blank=True, on_delete=models.SET_NULL
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="delegation_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.delegate_name


class User(AbstractUser):
    """A staff account. It may belong to several CPAS, with one role in each (Membership)."""

    preferred_language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Team(TenantModel):
    """A team of social workers in one CPAS (an antenna, a service). Its members work on the files assigned to the
    team (Beneficiary.team); its lead oversees them (a team lead may lead several teams). Need-to-know:
    piis.cases.access."""

    name = models.CharField(_("name"), max_length=120)
    lead = models.ForeignKey(
        "accounts.User",
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_led",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["cpas", "name"], name="team_name_unique_per_cpas")]

    def __str__(self) -> str:
        return self.name


class Membership(ChoiceDisplay, models.Model):
    """A user's role in one CPAS. Not itself under RLS: it is the directory that says which CPAS one may enter."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    cpas = models.ForeignKey(Cpas, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # The team the member works in (social workers, team leads); kept by the CPAS administrator.
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "cpas"], name="membership_one_role_per_cpas")]
        indexes = [models.Index(fields=["cpas", "role"], name="membership_cpas_role")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.cpas} ({self.get_role_display()})"


class RecoveryCodes(StaticDevice):
    """The user's one-time recovery codes: django-otp's static device (same table, same throttling), whose tokens are
    stored as keyed digests (piis.accounts.recovery) and compared as such. A used code is deleted: it works once, even
    when sent twice at the same moment (the second delete finds no row)."""

    class Meta:
        proxy = True
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.token_set.filter(token__in=recovery_digests(str(token))).first()
        if match is None or not self.token_set.filter(pk=match.pk).delete()[0]:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True
