"""A PIIS contract: live draft content (objectives, steps, clauses, third parties) and signed versions.

The live rows are what the social worker edits. Handing over a final draft freezes them into a ContractVersion
(`snapshot`, JSON): the version is what the parties read, sign and get as a PDF, and what an amendment is
compared against. The contract in force is its latest version whose signatures are complete.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from piis.contracts.enums import (
    AssistanceChoice,
    CommitmentStatus,
    ContractStatus,
    EndReason,
    Obligation,
    Party,
    PathKind,
    Position,
    SignatureMethod,
    ThirdPartyKind,
    VersionKind,
)
from piis.core.models import TenantModel


class Contract(TenantModel):
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="contracts")
    ri_decision = models.ForeignKey(
        "cases.RiDecision", verbose_name=_("RI decision"), on_delete=models.PROTECT, related_name="contracts"
    )
    assessment = models.ForeignKey(
        "cases.NeedsAssessment",
        verbose_name=_("needs assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    orientations = models.JSONField(_("orientations"), default=list)
    status = models.CharField(_("status"), max_length=30, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("social worker"), on_delete=models.PROTECT, related_name="+"
    )
    substitute_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute social worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_on = models.DateField(_("planned start"), null=True, blank=True)
    end_on = models.DateField(_("planned end"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=12, choices=PathKind.choices, blank=True)
    evaluation_arrangements = models.TextField(_("evaluation arrangements"), blank=True)
    beneficiary_comments = models.TextField(_("the person's comments and objections (printed)"), blank=True)
    late_motivation = models.TextField(_("why the contract is concluded late"), blank=True)
    signed_on = models.DateField(_("concluded on"), null=True, blank=True)
    # In force, with the next version being drafted: the live clauses are editable again; the signed version stays in
    # force until every party has consented to the amendment (R49).
    editing_amendment = models.BooleanField(default=False, editable=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PIIS contract")
        verbose_name_plural = _("PIIS contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="contract_end_after_start",
            ),
            # One PIIS being negotiated or in force per person at a time.
            models.UniqueConstraint(
                fields=["cpas", "beneficiary"],
                condition=~Q(status="ended"),
                name="contract_one_open_per_beneficiary",
            ),
        ]
        indexes = [
            models.Index(fields=["cpas", "status"], name="contract_cpas_status"),
            models.Index(fields=["cpas", "social_worker", "status"], name="contract_cpas_worker_status"),
            # A worker's open PIIS (need-to-know reach: cases.access, the home page's count): the ended ones, most
            # of a worker's PIIS after a few years, are not in it (issue 15).
            models.Index(
                fields=["cpas", "social_worker"],
                include=["beneficiary"],
                condition=~Q(status="ended"),
                name="contract_open_by_worker",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('PIIS')} {self.beneficiary} ({self.get_status_display()})"


class ThirdParty(TenantModel):
    """R34, S-Third 18: a third party joins as a party, at the request of the person or the CPAS, and signs."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="third_parties")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ThirdPartyKind.choices)
    requested_by = models.CharField(
        _("added at the request of"),
        max_length=20,
        choices=[(Party.BENEFICIARY, _("the person")), (Party.CPAS, _("the CPAS"))],
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    signatory_name = models.CharField(_("who signs for it"), max_length=200, blank=True)
    # The partner of the catalogue it was created from (piis.catalogue), if any.
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry",
        verbose_name=_("from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("third party")
        verbose_name_plural = _("third parties")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def party_code(self) -> str:
        """How the rules core names this party (any string other than beneficiary/cpas is a third party)."""
        return f"third_party:{self.pk}"


class Objective(TenantModel):
    """R27, S-Pers 2 and 5: an objective cites the needs assessment and is dated and checkable."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    observable_result = models.CharField(_("observable result"), max_length=300)
    due_on = models.DateField(_("due date"))
    assessment_items = models.ManyToManyField(
        "cases.AssessmentItem", verbose_name=_("needs it answers"), related_name="objectives"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # A sequenced path (Contract.path) groups its objectives in stages 1, 2, 3… worked on one after the other.
    stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True)
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry",
        verbose_name=_("from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Not a field: the objective's number on the drafting page, set by contracts.selectors_drafting._stages.
    display_number: int

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Step(TenantModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("who"), max_length=20, choices=Party.choices)
    third_party = models.ForeignKey(ThirdParty, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("by"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry",
        verbose_name=_("from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner="third_party", third_party__isnull=False)
                | (~Q(owner="third_party") & Q(third_party__isnull=True)),
                name="step_third_party_iff_owner",
            )
        ]

    def __str__(self) -> str:
        return self.description


class ClauseTemplate(TenantModel):
    """The CPAS's clause library: saves typing; how much of a contract is unmodified template text is measured."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30)
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    language = models.CharField(_("language"), max_length=2, default="fr")
    text = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("clause template")
        verbose_name_plural = _("clause library")
        ordering = ["party", "title"]

    def __str__(self) -> str:
        return self.title


class Clause(TenantModel):
    """A commitment of one party, negotiated on its own (S-Neg 6), possibly tied to an objective."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), null=True, blank=True, on_delete=models.CASCADE, related_name="clauses"
    )
    party = models.CharField(_("whose commitment"), max_length=20, choices=Party.choices)
    third_party = models.ForeignKey(
        ThirdParty,
        verbose_name=_("third party"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="clauses",
    )
    kind = models.CharField(_("kind"), max_length=30)
    text = models.TextField(_("text"))
    proposed_by = models.CharField(_("proposed by"), max_length=20, choices=Party.choices)
    position = models.CharField(
        _("the person's position"), max_length=20, choices=Position.choices, default=Position.AGREED
    )
    discussion = models.TextField(_("record of the discussion"), blank=True)
    sanctionable = models.BooleanField(_("may ground a sanction"), default=False)
    # What it promises (frozen, printed): to try or attend (means) or to obtain (result); a breach of a result
    # is accepted only for a commitment of result. Commitments recorded before: means (migration 0006).
    obligation = models.CharField(
        _("what it promises"), max_length=10, choices=Obligation.choices, default=Obligation.MEANS
    )
    catalogue_entry = models.ForeignKey(
        "catalogue.CatalogueEntry",
        verbose_name=_("from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Content (frozen in each version, printed): by when the commitment is to be delivered.
    due_on = models.DateField(_("due date"), null=True, blank=True)
    # Follow-up (never in a version): whether it was delivered, and since when; changes while the contract is in
    # force (a sanction procedure reads it, R57).
    delivery_status = models.CharField(
        _("delivery"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.PLANNED
    )
    delivery_status_on = models.DateField(_("delivery status since"), null=True, blank=True)
    template = models.ForeignKey(
        ClauseTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="clauses"
    )
    template_text = models.TextField(blank=True, editable=False)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="third_party", third_party__isnull=False)
                | (~Q(party="third_party") & Q(third_party__isnull=True)),
                name="clause_third_party_iff_party",
            ),
            # R23: the annulled community-service clause cannot exist, whatever the form lets through.
            models.CheckConstraint(condition=~Q(kind="community_service"), name="clause_no_community_service"),
            # A delivery status other than "planned" says since when.
            models.CheckConstraint(
                condition=Q(delivery_status=CommitmentStatus.PLANNED) | Q(delivery_status_on__isnull=False),
                name="clause_delivery_status_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ContractVersion(TenantModel):
    """A frozen text of the contract: the final draft handed over (initial or amendment), what parties sign."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=VersionKind.choices)
    reason = models.TextField(_("reason for the amendment"), blank=True)
    snapshot = models.JSONField(default=dict)
    language = models.CharField(_("language of the contract"), max_length=2)
    handed_over_on = models.DateField(_("final draft handed over on"))
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # R28 / S-Neg 8 / T27: information on content, scope and consequences, and on the rights, before signature.
    information_given_on = models.DateField(_("information given on"), null=True, blank=True)
    information_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rights_given = models.JSONField(_("rights explained"), default=list, blank=True)
    assistance = models.CharField(_("assistance"), max_length=20, choices=AssistanceChoice.choices, blank=True)
    assisted_by = models.CharField(_("assisted by"), max_length=200, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    superseded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # A signed version never changes: its PDF is laid out once, on its first request after conclusion, and kept in
    # the default storage with its SHA-256 (evidence for inspection); later requests are served from there
    # (contracts.pdf_store). Empty for a version not concluded, whose PDF is laid out on each request.
    pdf_file = models.FileField(upload_to="contracts/pdf/", max_length=200, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "contract", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class Signature(TenantModel):
    """One party's signature (or consent, for an amendment) on one version. No external e-signature service."""

    version = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signatory = models.ForeignKey(
        "accounts.Signatory",
        verbose_name=_("for the CPAS, as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegation = models.ForeignKey(
        "accounts.SignatoryDelegation",
        verbose_name=_("as delegate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    third_party = models.ForeignKey(ThirdParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    method = models.CharField(_("how"), max_length=10, choices=SignatureMethod.choices)
    scan = models.FileField(_("scanned copy"), upload_to="signatures/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.signed_on:%d/%m/%Y}"

    @property
    def party_code(self) -> str:
        if self.party == Party.THIRD_PARTY:
            return f"third_party:{self.third_party_id}"
        if self.party == Party.CPAS and self.signatory is not None:
            return self.signatory.function
        return self.party


class AmendmentRequest(TenantModel):
    """The person asks, in their own words, for a change to their PIIS in force (R49 needs every party's consent:
    the request starts nothing by itself). Written through the portal; the worker marks it answered, with a note."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amendment_requests")
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what you would like to change"), max_length=2000)
    requested_on = models.DateField(_("asked on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer given to the person"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The key of the form that sent it: the same form sent twice finds this request instead of recording a second.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("amendment asked for by the person")
        verbose_name_plural = _("amendments asked for by the person")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["cpas", "contract", "answered_on"], name="amendreq_cpas_contract")]

    def __str__(self) -> str:
        return f"{self.requested_on:%d/%m/%Y}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
