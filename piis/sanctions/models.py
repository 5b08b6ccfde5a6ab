"""The non-compliance procedure (R55–R67, R75; §18 S-Dec 12–15, S-Time 21–22): a dossier apart from the support file.

A `SanctionDossier` is opened on one breach (`BreachReport`) of one of the person's own sanctionable commitments of a
PIIS in force (the rules core decides, through sanctions/facts.py). Everything the council will read is in the
dossier: passages a worker extracted from the support file (`EvidenceExtract`, disclosed to the person), the formal
notice (`FormalNotice`, R63), the person's answer and the CPAS's answer to a legitimate reason (`PersonAnswer`, R57,
S-Dec 14), the check of the CPAS's and third parties' commitments (`CommitmentCheck` and its lines, R57, S-Dec 13),
the social worker's opinion (`WorkerOpinion`, R56.4) and the hearing (`Hearing`, R40, R56.5). The council part
(sittings, items, decisions, appeals, payment exports) decides and executes (R58–R62, R66–R67, R75).

Each pre-council record is one row per dossier (a OneToOne), corrected in place by its service with an audit row;
the audit trail keeps every earlier value.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.core.models import TenantModel
from piis.sanctions.enums import (
    AnswerKind,
    AppealOutcome,
    BreachKind,
    ClosureReason,
    CommitmentDelivery,
    DecisionOutcome,
    Deferral,
    DeliveryMethod,
    DossierStatus,
    EvidenceSource,
    HearingAnswer,
    ItemKind,
    Organ,
    PaymentLineKind,
    ProposedOutcome,
    SittingStatus,
    SuspensionGround,
)

_USER = settings.AUTH_USER_MODEL


class SanctionDossier(TenantModel):
    """One procedure on one breach of one person's PIIS. Not part of the support file: its own permission
    (sanctions.perms.can_view_dossier), its own audit events."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="sanction_dossiers")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="sanction_dossiers")
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(_USER, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+")
    # S-Time 22: the PIIS was signed or amended less than the alert period before the procedure opened. Computed when
    # the dossier is opened (the date of the signature or amendment it was measured from is kept), reviewed by a team
    # lead before the dossier may go to the council.
    recent_piis_on = models.DateField(_("PIIS signed or amended on"), null=True, blank=True)
    recent_piis_reviewed_on = models.DateField(_("reviewed by the team lead on"), null=True, blank=True)
    recent_piis_reviewed_by = models.ForeignKey(
        _USER, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recent_piis_review_note = models.TextField(_("team lead's review"), blank=True)
    ready_on = models.DateField(_("ready for the council on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sanction dossier")
        verbose_name_plural = _("sanction dossiers")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DossierStatus.CLOSED) | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="dossier_closed_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["cpas", "status"], name="dossier_cpas_status"),
            models.Index(fields=["cpas", "beneficiary"], name="dossier_cpas_beneficiary"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.opened_on:%d/%m/%Y}"


class BreachReport(TenantModel):
    """S-Dec 12: a breach is its own record (never created by an evaluation): the commitment breached, the facts,
    the date. The commitment's text and the date it came into force are copied from the version in force on the
    breach date, so the dossier shows what the person had agreed to even after an amendment (S-Time 21)."""

    dossier = models.OneToOneField(SanctionDossier, on_delete=models.CASCADE, related_name="breach")
    clause = models.ForeignKey(
        "contracts.Clause", verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="breaches"
    )
    clause_text = models.TextField(_("the commitment as agreed"))
    clause_in_force_from = models.DateField(_("commitment in force from"), null=True, blank=True)
    contract_version = models.PositiveSmallIntegerField(_("version of the contract"), null=True, blank=True)
    breach_on = models.DateField(_("date of the breach"))
    # What was not kept: the effort or the result (a result only for a commitment of result, rules.check_breach).
    kind = models.CharField(
        _("what was not kept"), max_length=20, choices=BreachKind.choices, default=BreachKind.EFFORT_NOT_MADE
    )
    facts = models.TextField(_("facts"))
    reported_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("breach report")
        verbose_name_plural = _("breach reports")

    def __str__(self) -> str:
        return f"{self.breach_on:%d/%m/%Y}"


class EvidenceExtract(TenantModel):
    """A passage a worker extracted from the support file into the dossier (S-Dec 12): only extracted passages are
    evidence, and each is disclosed to the person (shown in the formal notice or handed over)."""

    dossier = models.ForeignKey(SanctionDossier, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(_("source"), max_length=20, choices=EvidenceSource.choices)
    evaluation = models.ForeignKey(
        "followup.Evaluation",
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_date = models.DateField(_("date of the source"))
    source_label = models.CharField(_("source document"), max_length=200, blank=True)
    passage = models.TextField(_("passage"))
    extracted_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    extracted_on = models.DateField(_("extracted on"))
    disclosed_on = models.DateField(_("disclosed to the person on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extracted passage")
        verbose_name_plural = _("extracted passages")
        ordering = ["source_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=EvidenceSource.EVALUATION) | Q(evaluation__isnull=False),
                name="evidence_evaluation_named",
            ),
            models.CheckConstraint(
                condition=Q(disclosed_on__isnull=True) | Q(disclosed_on__gte=F("source_date")),
                name="evidence_disclosed_after_source",
            ),
        ]

    def __str__(self) -> str:
        return self.passage[:80]


class FormalNotice(TenantModel):
    """R63, R56.2: the formal notice, a letter in the person's language naming the obligation, the facts, the date to
    comply or explain, the right to a meeting and to be heard, the possible range and the right to be assisted.

    `letter` is the PDF as sent (frozen when the sending is recorded); before that the letter is laid out from the
    dossier on demand. `max_months` is the cap the core gave on that day (R58/R59), printed in the letter."""

    dossier = models.OneToOneField(SanctionDossier, on_delete=models.CASCADE, related_name="notice")
    language = models.CharField(_("language of the letter"), max_length=2, choices=Language.choices)
    comply_by = models.DateField(_("to comply or explain by"))
    max_months = models.DecimalField(_("longest possible suspension (months)"), max_digits=4, decimal_places=2)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    delivery_method = models.CharField(
        _("how it reached the person"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    letter = models.FileField(_("letter as sent"), upload_to="sanctions/notices/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("formal notice")
        verbose_name_plural = _("formal notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(comply_by__gt=F("sent_on")), name="notice_comply_after_sending"
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True)
                | (Q(sent_on__isnull=False) & Q(delivered_on__gte=F("sent_on"))),
                name="notice_delivered_after_sending",
            ),
        ]
        indexes = [models.Index(fields=["cpas", "comply_by"], name="notice_cpas_comply_by")]

    def __str__(self) -> str:
        return f"{self.comply_by:%d/%m/%Y}"


class PersonAnswer(TenantModel):
    """The person's answer to the notice, or their silence; a legitimate reason they invoke is answered by the CPAS
    with a text (S-Dec 14: yes/no + text before any decision). A legitimate reason found excludes a sanction (R57)."""

    dossier = models.OneToOneField(SanctionDossier, on_delete=models.CASCADE, related_name="answer")
    kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind.choices)
    answered_on = models.DateField(_("date"), null=True, blank=True)
    answer_text = models.TextField(_("what the person said or wrote"), blank=True)
    legitimate_reason_invoked = models.BooleanField(_("the person invokes a legitimate reason"), default=False)
    legitimate_reason_found = models.BooleanField(_("the reason is legitimate"), null=True, blank=True)
    legitimate_reason_assessment = models.TextField(_("the CPAS's answer to the reason given"), blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer of the person")
        verbose_name_plural = _("answers of the person")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AnswerKind.SILENCE) | Q(answered_on__isnull=False), name="answer_dated"
            ),
            # The CPAS's answer to a legitimate reason is a yes or no with its text, never one without the other.
            models.CheckConstraint(
                condition=Q(legitimate_reason_found__isnull=True, legitimate_reason_assessment="")
                | (Q(legitimate_reason_found__isnull=False) & ~Q(legitimate_reason_assessment="")),
                name="answer_reason_assessed_with_text",
            ),
        ]


class CommitmentCheck(TenantModel):
    """R57, S-Dec 13: the CPAS's and third parties' commitments due before the breach, with their delivery status as
    the follow-up recorded it when checked (lines). An unmet one tied to the breached commitment excludes the sanction
    unless an override motivation is written."""

    dossier = models.OneToOneField(SanctionDossier, on_delete=models.CASCADE, related_name="commitment_check")
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    override_motivation = models.TextField(_("why the procedure goes on despite an unmet commitment"), blank=True)
    override_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    override_on = models.DateField(_("motivated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("check of the CPAS's commitments")
        verbose_name_plural = _("checks of the CPAS's commitments")


class CommitmentCheckLine(TenantModel):
    commitment_check = models.ForeignKey(CommitmentCheck, on_delete=models.CASCADE, related_name="lines")
    clause = models.ForeignKey("contracts.Clause", on_delete=models.PROTECT, related_name="+")
    party = models.CharField(_("whose commitment"), max_length=20)
    clause_text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, choices=CommitmentDelivery.choices)
    delivery_on = models.DateField(_("delivery status since"), null=True, blank=True)
    # Tied to the breached commitment (same objective, or marked by the worker): unmet and tied excludes (R57).
    tied = models.BooleanField(_("tied to the breached commitment"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("commitment checked")
        verbose_name_plural = _("commitments checked")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "commitment_check", "clause"], name="check_line_once_per_clause")
        ]


class WorkerOpinion(TenantModel):
    """R56.4: the social worker's opinion and proposal to the decision organ."""

    dossier = models.OneToOneField(SanctionDossier, on_delete=models.CASCADE, related_name="opinion")
    opinion = models.TextField(_("opinion"))
    proposal = models.CharField(_("proposal"), max_length=30, choices=ProposedOutcome.choices)
    proposed_months = models.DecimalField(_("months"), max_digits=4, decimal_places=2, null=True, blank=True)
    proposed_share = models.DecimalField(
        _("share of the RI suspended"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("social worker's opinion")
        verbose_name_plural = _("social workers' opinions")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_share__isnull=True) | (Q(proposed_share__gt=0) & Q(proposed_share__lte=1)),
                name="opinion_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(proposed_months__isnull=True) | Q(proposed_months__gt=0), name="opinion_months_positive"
            ),
        ]


class Hearing(TenantModel):
    """R40, R56.5: the person is told of the right to be heard and, if they ask, heard (assisted if they wish, R38)
    before the decision. Belongs to a sanction dossier, or to another matter on a sitting's agenda (a refusal to sign
    a compulsory PIIS is decided after hearing the person)."""

    dossier = models.OneToOneField(
        SanctionDossier, null=True, blank=True, on_delete=models.CASCADE, related_name="hearing"
    )
    item = models.OneToOneField(
        "sanctions.SittingItem", null=True, blank=True, on_delete=models.CASCADE, related_name="hearing"
    )
    right_notified_on = models.DateField(_("right to be heard notified on"))
    reply_by = models.DateField(_("to ask for a hearing by"), null=True, blank=True)
    answer = models.CharField(
        _("the person's answer"), max_length=20, choices=HearingAnswer.choices, default=HearingAnswer.PENDING
    )
    asked_on = models.DateField(_("asked on"), null=True, blank=True)
    scheduled_on = models.DateField(_("hearing planned on"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendees = models.CharField(_("who attended"), max_length=500, blank=True)
    assistant = models.CharField(_("the person's assistant"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False, item__isnull=True) | Q(dossier__isnull=True, item__isnull=False),
                name="hearing_of_one_matter",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(held_on__gte=F("right_notified_on")),
                name="hearing_held_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(asked_on__isnull=True) | Q(asked_on__gte=F("right_notified_on")),
                name="hearing_asked_after_notification",
            ),
        ]
        indexes = [models.Index(fields=["cpas", "scheduled_on"], name="hearing_cpas_scheduled")]


class CouncilSitting(TenantModel):
    """A sitting of the council or of its committee (R56.6): a date, an agenda prepared by the secretary, members."""

    organ = models.CharField(_("organ"), max_length=20, choices=Organ.choices, default=Organ.SPECIAL_COMMITTEE)
    sits_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SittingStatus.choices, default=SittingStatus.PLANNED)
    secretary = models.ForeignKey(
        _USER, verbose_name=_("secretary"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members: models.ManyToManyField = models.ManyToManyField(
        _USER, verbose_name=_("members convened"), blank=True, related_name="+"
    )
    present = models.CharField(_("members present"), max_length=1000, blank=True)
    minutes_notes = models.TextField(_("other business and remarks"), blank=True)
    minutes_closed_on = models.DateField(_("minutes closed on"), null=True, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["-sits_on", "-id"]
        indexes = [models.Index(fields=["cpas", "sits_on"], name="sitting_cpas_date")]

    def __str__(self) -> str:
        return f"{self.get_organ_display()} {self.sits_on:%d/%m/%Y}"


class SittingItem(TenantModel):
    """One point of a sitting's agenda: a sanction dossier, or another PIIS matter for the council (a person's refusal
    to sign a compulsory PIIS, with their reasons; clauses imposed over the person's objection; an exemption the CPAS
    reserves to the council)."""

    sitting = models.ForeignKey(CouncilSitting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("matter"), max_length=20, choices=ItemKind.choices)
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(SanctionDossier, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clauses = models.ManyToManyField("contracts.Clause", verbose_name=_("clauses"), blank=True, related_name="+")
    exemption = models.ForeignKey("cases.Exemption", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person_reasons = models.TextField(_("the person's reasons"), blank=True)
    summary = models.TextField(_("summary for the council"), blank=True)
    added_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["sitting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ItemKind.SANCTION, dossier__isnull=False)
                | (~Q(kind=ItemKind.SANCTION) & Q(dossier__isnull=True)),
                name="item_dossier_iff_sanction",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.EXEMPTION) | Q(exemption__isnull=False), name="item_exemption_named"
            ),
            models.UniqueConstraint(fields=["cpas", "sitting", "dossier"], name="item_dossier_once_per_sitting"),
        ]


class Decision(TenantModel):
    """The sitting's decision on one item. On a sanction: no sanction, or a total or partial suspension for a number
    of months within the core's cap (R58, R59), with a total or partial deferral (R61), a start inside the window
    (R62), the motivation, the ground code (R75), then the notification and the appeal deadline (R66, R67)."""

    item = models.OneToOneField(SittingItem, on_delete=models.PROTECT, related_name="decision")
    dossier = models.ForeignKey(
        SanctionDossier, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    share = models.DecimalField(_("share of the RI suspended"), max_digits=3, decimal_places=2, null=True, blank=True)
    months = models.DecimalField(_("months"), max_digits=4, decimal_places=2, null=True, blank=True)
    max_months = models.DecimalField(
        _("longest allowed (months)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    recidivism = models.BooleanField(_("repeated breach within a year"), default=False)
    deferral = models.CharField(_("deferral"), max_length=10, choices=Deferral.choices, default=Deferral.NONE)
    deferred_share = models.DecimalField(
        _("share of the suspension deferred"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    probation_end = models.DateField(_("deferral until"), null=True, blank=True)
    start_on = models.DateField(_("suspension starts on"), null=True, blank=True)
    end_on = models.DateField(_("suspension ends on"), null=True, blank=True)
    ground = models.CharField(
        _("ground of the suspension"), max_length=30, choices=SuspensionGround.choices, blank=True
    )
    motivation = models.TextField(_("motivation"))
    # A deferred suspension is executed only by a new decision, after a new breach and the full procedure (R61).
    executes_deferral_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="executed_by"
    )
    labour_court = models.CharField(_("competent labour court"), max_length=200, blank=True)
    letter_language = models.CharField(_("language of the letter"), max_length=2, choices=Language.choices, blank=True)
    letter_sent_on = models.DateField(_("letter sent on"), null=True, blank=True)
    delivery_method = models.CharField(
        _("how it reached the person"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    appeal_deadline_legal = models.DateField(_("appeal deadline (legal)"), null=True, blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    letter = models.FileField(_("letter as sent"), upload_to="sanctions/decisions/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)), name="decision_share_in_range"
            ),
            models.CheckConstraint(
                condition=Q(deferred_share__isnull=True) | (Q(deferred_share__gt=0) & Q(deferred_share__lte=1)),
                name="decision_deferred_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gt=0), name="decision_months_positive"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["total_suspension", "partial_suspension"])
                | (Q(months__isnull=False) & Q(share__isnull=False) & ~Q(ground="")),
                name="decision_suspension_complete",
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("decided_on")),
                name="decision_notified_after_decided",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | (Q(start_on__isnull=False) & Q(end_on__gte=F("start_on"))),
                name="decision_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["cpas", "beneficiary", "decided_on"], name="decision_cpas_person_date"),
            models.Index(fields=["cpas", "appeal_deadline"], name="decision_cpas_appeal_deadline"),
        ]


class Appeal(TenantModel):
    """R66: an appeal to the labour court against a decision, with the court's outcome; an annulment reverses the
    sanction and its payment export."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    court = models.CharField(_("labour court"), max_length=200)
    reference = models.CharField(_("court reference"), max_length=100, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("judgment on"), null=True, blank=True)
    outcome_note = models.TextField(_("what the court decided"), blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-lodged_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=AppealOutcome.PENDING) | Q(outcome_on__isnull=False), name="appeal_outcome_dated"
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("lodged_on")),
                name="appeal_outcome_after_lodging",
            ),
        ]


class PaymentExport(TenantModel):
    """One CSV of suspension periods handed to the payment service (its layout is documented in docs/sanctions.md).
    Its lines are kept, so an annulment can be reversed in a later export and both are provable."""

    exported_at = models.DateTimeField(auto_now_add=True)
    exported_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)

    class Meta:
        verbose_name = _("payment export")
        verbose_name_plural = _("payment exports")
        ordering = ["-exported_at", "-id"]


class PaymentLine(TenantModel):
    """One suspension period (or its reversal) as exported: the periods actually executed, net of any deferral."""

    export = models.ForeignKey(PaymentExport, on_delete=models.PROTECT, related_name="lines")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payment_lines")
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentLineKind.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    share = models.DecimalField(_("share suspended"), max_digits=3, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2, null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["export", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="payment_line_end_after_start"),
            models.CheckConstraint(
                condition=Q(kind=PaymentLineKind.SUSPENSION, reverses__isnull=True)
                | Q(kind=PaymentLineKind.REVERSAL, reverses__isnull=False),
                name="payment_line_reversal_names_line",
            ),
        ]
