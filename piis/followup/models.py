"""Follow-up of a PIIS in force: evaluations (R43–R48), meeting requests (R41), reminders and calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel
from piis.followup.enums import Delivery, EvaluationMode, MeetingStatus, Progress, RequestedBy


class Evaluation(TenantModel):
    """R45, R48: an evaluation with the person. A difficulty recorded here never creates a breach (S-Dec 12)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=20, choices=EvaluationMode.choices)
    beneficiary_present = models.BooleanField(_("the person took part"), default=True)
    assistant_present = models.CharField(_("assistant of the person's choice present"), max_length=200, blank=True)
    third_parties = models.ManyToManyField(
        "contracts.ThirdParty", verbose_name=_("third parties present"), blank=True, related_name="evaluations"
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    adjustments = models.TextField(_("agreed adjustments"), blank=True)
    beneficiary_comment = models.TextField(_("the person's own comment"), blank=True)
    # Empty when an integration recorded it through the API (piis.api): `recorded_by_label` then names it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_label = models.CharField(_("recorded by (integration)"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The key of the request that recorded it (an integration's Idempotency-Key): the same request sent again finds
    # this evaluation instead of recording a second one, which would count twice in the contract year (R45).
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["cpas", "contract", "held_on"], name="evaluation_cpas_contract_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.get_mode_display()}"


class ObjectiveProgress(TenantModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="progress")
    objective = models.ForeignKey("contracts.Objective", on_delete=models.PROTECT, related_name="progress")
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("progress on an objective")
        verbose_name_plural = _("progress on objectives")
        constraints = [
            models.UniqueConstraint(fields=["cpas", "evaluation", "objective"], name="progress_once_per_objective")
        ]


class CommitmentReview(TenantModel):
    """Whether the CPAS and third parties delivered what they committed to (R57 relies on it later)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="commitments")
    clause = models.ForeignKey("contracts.Clause", on_delete=models.PROTECT, related_name="reviews")
    delivery = models.CharField(_("delivered?"), max_length=20, choices=Delivery.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("commitment review")
        verbose_name_plural = _("commitment reviews")
        constraints = [models.UniqueConstraint(fields=["cpas", "evaluation", "clause"], name="review_once_per_clause")]


class MeetingRequest(TenantModel):
    """R41: the person may ask for a meeting at any time; it must be held within the legal working days."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="meeting_requests")
    requested_on = models.DateField(_("requested on"))
    requested_by = models.CharField(_("requested by"), max_length=20, choices=RequestedBy.choices)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # Computed by the rules core (meeting_deadline, with the CPAS's closure days) when recorded; stored so that the
    # agenda of a whole caseload is one indexed query.
    deadline = models.DateField(_("to be held by"))
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.OPEN)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # Empty when an integration recorded it through the API (piis.api): `recorded_by_label` then names it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_label = models.CharField(_("recorded by (integration)"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The key of the form that recorded it (drawn when the form was shown): the same form sent again — its response
    # lost, the button pressed twice — finds this request instead of recording a second one.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # Asked by the person themselves through their portal (recorded_by is then the person's own account).
    from_portal = models.BooleanField(_("asked by the person through the portal"), default=False)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("requested_on")), name="meeting_deadline_after_request"
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(held_on__gte=F("requested_on")),
                name="meeting_held_after_request",
            ),
        ]
        indexes = [models.Index(fields=["cpas", "status", "deadline"], name="meeting_cpas_status_deadline")]

    def __str__(self) -> str:
        return f"{self.requested_on:%d/%m/%Y} → {self.deadline:%d/%m/%Y}"


class EvaluationComment(TenantModel):
    """The person's own words on an evaluation, or their disagreement with it: written through the portal, shown
    beside the worker's text, never overwritten nor deleted (a later comment is a new row)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="person_comments")
    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your comment"), max_length=2000)
    disagrees = models.BooleanField(_("I do not agree with this evaluation"), default=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The key of the form that sent it: the same form sent twice finds this comment instead of adding a second.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("the person's comment on an evaluation")
        verbose_name_plural = _("the person's comments on evaluations")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["cpas", "evaluation"], name="evalcomment_cpas_evaluation")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A person's comment on an evaluation is never changed: add a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A person's comment on an evaluation is never deleted.")


class Reminder(TenantModel):
    """One reminder sent to one user about one deadline: the unique key makes send_reminders idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cpas", "user", "key"], name="reminder_once")]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(TenantModel):
    """A worker's private iCalendar feed of deadlines (token URL); revoking it makes the URL answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cpas", "user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_active"
            )
        ]


class DeadlineFile(TenantModel):
    """The day a file's deadlines (Deadline) were last computed for, empty when something about the file changed
    since (piis.followup.deadlines marks it on every write and recomputes it on commit or when next read), and the
    first day on which they may change with time alone (`valid_until`, agenda.file_deadlines; empty: never).

    The rows are fresh on day D when computed_for ≤ D < valid_until: the nightly run and the pages recompute only
    the files that are not (deadlines.fresh_on)."""

    beneficiary = models.OneToOneField("cases.Beneficiary", on_delete=models.CASCADE, related_name="deadline_file")
    computed_for = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["cpas", "computed_for"], name="deadlinefile_cpas_computed"),
            # The nightly run: the files whose day has come.
            models.Index(fields=["cpas", "valid_until"], name="deadlinefile_cpas_valid"),
        ]


class Deadline(TenantModel):
    """One deadline of a file on the agenda of one worker (a deadline shown to two workers has two rows), as the
    per-file computation of piis.followup.deadlines found it on `DeadlineFile.computed_for`: everything an agenda
    line needs, so that an agenda is one indexed, paged query. What is worded (`kind`, `params`) is worded when
    read, in the reader's language; `detail` is the person's or the worker's own text (not translated)."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    due_on = models.DateField()
    object_id = models.BigIntegerField()
    overdue = models.BooleanField(default=False)
    at_risk = models.BooleanField(default=False)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # A worker's agenda, most urgent first, paged by 50; the team load per worker.
            models.Index(
                fields=["cpas", "worker", "-overdue", "due_on", "kind", "object_id"], name="deadline_worker_agenda"
            ),
            # The nightly reminders: what falls due within a few days, over the CPAS.
            models.Index(fields=["cpas", "due_on"], name="deadline_cpas_due"),
            # The files of a worker's caseload that have rows (deadlines.worker_files), read on every home page and
            # agenda: from the index alone, not 450 rows of the table for a caseload of 150 (0.35 -> 0.04 ms).
            models.Index(fields=["cpas", "worker", "beneficiary"], name="deadline_worker_files"),
        ]
