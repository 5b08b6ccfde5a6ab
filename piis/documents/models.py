"""Documents held in a file or a contract (CV, certificates, attestations, medical certificates), and the letters
sent to the person from the CPAS's templates, each kept as sent (frozen text, PDF and its SHA-256)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.core.models import TenantModel
from piis.documents.enums import SENSITIVE_DOCUMENT_KINDS, DocumentKind, ExitOutcome, LetterKind


class Document(TenantModel):
    """One uploaded document of a file, perhaps of one of its contracts, perhaps the proof of a step or of a
    commitment delivered. Stored through Django's storage; every download is audited (document_opened)."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.CASCADE, related_name="documents")
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("PIIS"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="documents",
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    dated_on = models.DateField(_("date of the document"))
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    step = models.ForeignKey(
        "contracts.Step", verbose_name=_("proof of the step"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proofs",
    )  # fmt: skip
    clause = models.ForeignKey(
        "contracts.Clause", verbose_name=_("proof of the commitment delivered"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proofs",
    )  # fmt: skip
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    added_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated_on", "-id"]
        indexes = [models.Index(fields=["cpas", "beneficiary", "dated_on"], name="document_cpas_file_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sensitive(self) -> bool:
        return self.kind in SENSITIVE_DOCUMENT_KINDS


class LetterTemplate(TenantModel):
    """The CPAS's own wording of one kind of letter in one language (absent: the default shipped,
    documents.letters.DEFAULTS). Only the placeholders of letters.PLACEHOLDERS may appear in it."""

    kind = models.CharField(_("letter"), max_length=30, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=8000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["cpas", "kind", "language"], name="letter_template_once_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class Letter(TenantModel):
    """A letter as sent: the text filled in at sending (frozen), its PDF and the PDF's SHA-256."""

    beneficiary = models.ForeignKey("cases.Beneficiary", on_delete=models.CASCADE, related_name="letters")
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="letters")  # fmt: skip
    kind = models.CharField(_("letter"), max_length=30, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text as sent"))
    pdf = models.FileField(_("letter as sent"), upload_to="letters/%Y/%m/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["cpas", "beneficiary", "sent_on"], name="letter_cpas_file_date")]

    def __str__(self) -> str:
        return self.subject


class Explanation(TenantModel):
    """How a hand-over (its version) or an evaluation was explained to the person, not only written: orally or not,
    in which language, with an interpreter or with the person's assistant (cases.Assistant)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="explanations")
    version = models.OneToOneField("contracts.ContractVersion", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="explanation")  # fmt: skip
    evaluation = models.OneToOneField("followup.Evaluation", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="explanation")  # fmt: skip
    orally = models.BooleanField(_("explained orally"), default=False)
    language = models.CharField(_("in which language"), max_length=60, blank=True)
    interpreter = models.CharField(_("interpreter (name or service)"), max_length=200, blank=True)
    assistant = models.ForeignKey("cases.Assistant", verbose_name=_("with the person's assistant"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("how it was explained")
        verbose_name_plural = _("how it was explained")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__isnull=True, evaluation__isnull=False)
                | models.Q(version__isnull=False, evaluation__isnull=True),
                name="explanation_of_handover_or_evaluation",
            )
        ]

    def __str__(self) -> str:
        return str(_("how it was explained"))


class ContractOutcome(TenantModel):
    """What an ended PIIS led to and where the person went (R: none; for the annual report and the observatory)."""

    contract = models.OneToOneField("contracts.Contract", on_delete=models.CASCADE, related_name="outcome")
    outcome = models.CharField(_("outcome"), max_length=20, choices=ExitOutcome.choices)
    destination = models.CharField(_("destination (employer, school, new CPAS…)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outcome of the PIIS")
        verbose_name_plural = _("outcomes of PIIS")

    def __str__(self) -> str:
        return self.get_outcome_display()
