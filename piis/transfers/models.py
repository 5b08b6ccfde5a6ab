"""A PIIS moving to the newly competent CPAS (R51–R54).

Two sides, each a tenant row of its own CPAS, so that row-level security stays absolute: the old CPAS's `Transfer`
(the move, the letter, the person's answer) and the new CPAS's `IncomingTransfer` (the forwarded request; the
package only when the person did not refuse, R52). A transfer to another deployment has no incoming row here: the
package leaves as an open PIIS file (transfers/openpiis.py) and is imported there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.core.models import TenantModel
from piis.transfers.enums import Answer, Channel, Takeover, TransferStatus

_USER = settings.AUTH_USER_MODEL


class Transfer(TenantModel):
    """At the old CPAS: the person moved; the PIIS goes to the new CPAS unless they refuse."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(_("moved on"))
    learned_on = models.DateField(_("move known on"))
    forward_by = models.DateField(_("to forward by"))
    new_cpas = models.ForeignKey(
        "accounts.Cpas", verbose_name=_("new CPAS"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_name = models.CharField(_("CPAS of another deployment"), max_length=200, blank=True)
    other_nis_code = models.CharField(_("its NIS code"), max_length=5, blank=True)
    language = models.CharField(_("language of the letter"), max_length=2, choices=Language.choices)
    answer_by = models.DateField(_("answer expected by"))
    letter_sent_on = models.DateField(_("letter sent on"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.AWAITING_ANSWER
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    # The open PIIS document as sent (docs/open-piis.md): for another deployment, the file to hand over.
    package = models.JSONField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-learned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_cpas__isnull=False) | ~Q(other_nis_code=""), name="transfer_has_a_destination"
            ),
            models.UniqueConstraint(
                fields=["cpas", "contract"],
                condition=~Q(status="refused"),
                name="transfer_once_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} → {self.destination_name}"

    @property
    def is_standing(self) -> bool:
        """Not refused by the person: under way or done (the contract has at most one, transfer_once_per_contract)."""
        return self.status != TransferStatus.REFUSED

    @property
    def is_sent(self) -> bool:
        return self.status == TransferStatus.SENT

    @property
    def destination_name(self) -> str:
        return self.new_cpas.name if self.new_cpas is not None else self.other_name

    @property
    def destination_nis_code(self) -> str:
        return self.new_cpas.nis_code if self.new_cpas is not None else self.other_nis_code


class IncomingTransfer(TenantModel):
    """At the new CPAS: a forwarded request, then either the package (consent or no refusal) or the refusal only."""

    source_transfer_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    from_name = models.CharField(_("from"), max_length=200)
    from_nis_code = models.CharField(_("its NIS code"), max_length=5)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    national_number = models.CharField(_("national register number"), max_length=11, blank=True)
    moved_on = models.DateField(_("moved on"))
    beneficiary = models.ForeignKey(
        "cases.Beneficiary", verbose_name=_("file here"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.AWAITING_ANSWER
    )
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_channel = models.CharField(_("how"), max_length=20, choices=Channel.choices, blank=True)
    refusal_recorded_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The open PIIS document (docs/open-piis.md), only while content is allowed (R52); never after a refusal.
    package = models.JSONField(null=True, blank=True, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    imported = models.BooleanField(_("imported from a file"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming transfer")
        verbose_name_plural = _("incoming transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | Q(package__isnull=True), name="incoming_refused_has_no_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ← {self.from_name}"


class TakeoverReview(TenantModel):
    """The new CPAS's task on one open commitment of a received PIIS: keep, adapt or drop it, with a reason (R51)."""

    incoming = models.ForeignKey(IncomingTransfer, on_delete=models.CASCADE, related_name="reviews")
    commitment_id = models.CharField(max_length=40, editable=False)
    party = models.CharField(_("whose commitment"), max_length=20, editable=False)
    text = models.TextField(_("commitment"), editable=False)
    decision = models.CharField(_("decision"), max_length=10, choices=Takeover.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("commitment to review for takeover")
        verbose_name_plural = _("commitments to review for takeover")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]
