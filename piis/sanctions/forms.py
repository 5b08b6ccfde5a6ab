"""The forms of the procedure before the council. Plain forms: each step is one service call (services.py), which
checks the law through facts.py; dates have their plausible range (core.forms.RangedDateField), texts a length.
A step that changes a row already recorded carries the version it was read at (core.forms.ReadVersionMixin, the view
passes `versioned=`): a save over someone else's change meanwhile is refused and shown."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.core.dates import DateKind
from piis.core.forms import LONG_TEXT_MAX_LENGTH, RangedDateField, ReadVersionMixin
from piis.sanctions.enums import (
    AnswerKind,
    BreachKind,
    ClosureReason,
    DeliveryMethod,
    EvidenceSource,
    HearingAnswer,
    ProposedOutcome,
)


def _text(label, *, required=True, help_text="", rows=4):
    return forms.CharField(label=label, max_length=LONG_TEXT_MAX_LENGTH, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


class ClauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.text[:160]


class OpenForm(forms.Form):
    clause = ClauseChoiceField(label=_("Commitment not kept"), queryset=None, empty_label=None,
                               widget=forms.RadioSelect)  # fmt: skip
    breach_on = RangedDateField(label=_("Date of the breach"), kind=DateKind.HAPPENED)
    kind = forms.TypedChoiceField(
        label=_("What was not kept"), choices=BreachKind.choices, initial=BreachKind.EFFORT_NOT_MADE,
        required=False, empty_value=BreachKind.EFFORT_NOT_MADE, widget=forms.RadioSelect,
        help_text=_("A result not obtained is a breach only of a commitment that promised the result."),
    )  # fmt: skip
    facts = _text(_("Facts"), help_text=_("What happened, as you would tell the person. Not an evaluation note."))

    def __init__(self, *args, clauses, **kwargs):
        super().__init__(*args, **kwargs)
        from piis.contracts.models import Clause

        self.fields["clause"].queryset = Clause.objects.filter(pk__in=[c.pk for c in clauses])


class BreachForm(ReadVersionMixin, forms.Form):
    breach_on = RangedDateField(label=_("Date of the breach"), kind=DateKind.HAPPENED)
    facts = _text(_("Facts"))


class EvidenceForm(ReadVersionMixin, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=EvidenceSource.choices)
    evaluation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Evaluation"), queryset=None, required=False)
    source_date = RangedDateField(label=_("Date of the source"), kind=DateKind.HAPPENED)
    source_label = forms.CharField(label=_("Source document"), max_length=200, required=False)
    passage = _text(_("Passage"), help_text=_("Only this passage becomes evidence; it is disclosed to the person."))

    def __init__(self, *args, evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = evaluations


class NoticeForm(ReadVersionMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language of the letter"), choices=Language.choices)
    comply_by = RangedDateField(label=_("To comply or explain by"), kind=DateKind.PLANNED)


class NoticeSentForm(ReadVersionMixin, forms.Form):
    sent_on = RangedDateField(label=_("Sent on"), kind=DateKind.HAPPENED)


class NoticeDeliveredForm(ReadVersionMixin, forms.Form):
    delivery_method = forms.ChoiceField(label=_("How it reached the person"), choices=DeliveryMethod.choices)
    delivered_on = RangedDateField(
        label=_("Delivered on"), kind=DateKind.HAPPENED,
        help_text=_("The day the registered letter was presented, or the acknowledgement."),
    )  # fmt: skip


class AnswerForm(ReadVersionMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices, widget=forms.RadioSelect)
    answered_on = RangedDateField(label=_("Date"), kind=DateKind.HAPPENED, required=False)
    answer_text = _text(_("What the person said or wrote"), required=False)
    legitimate_reason_invoked = forms.BooleanField(label=_("The person invokes a legitimate reason"), required=False)


class ReasonForm(ReadVersionMixin, forms.Form):
    found = forms.TypedChoiceField(
        label=_("Is there a legitimate reason?"), choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        help_text=_("A legitimate reason excludes any sanction."),
    )  # fmt: skip
    assessment = _text(_("The CPAS's answer, with its reasons"))


class CommitmentsForm(ReadVersionMixin, forms.Form):
    tied = forms.MultipleChoiceField(
        label=_("Tied to the commitment not kept"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("An unmet commitment tied to the breach excludes the sanction unless you motivate going on."),
    )  # fmt: skip

    def __init__(self, *args, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tied"].choices = [(str(c.pk), c.text[:160]) for c in commitments]


class OverrideForm(ReadVersionMixin, forms.Form):
    motivation = _text(_("Why the procedure goes on despite the unmet commitment"))


class OpinionForm(ReadVersionMixin, forms.Form):
    proposal = forms.ChoiceField(label=_("Proposal"), choices=ProposedOutcome.choices, widget=forms.RadioSelect)
    proposed_months = forms.DecimalField(label=_("Months"), required=False, min_value=Decimal("0.25"),
                                         max_digits=4, decimal_places=2)  # fmt: skip
    proposed_percent = forms.IntegerField(label=_("Share of the RI suspended (%)"), required=False, min_value=1,
                                          max_value=100)  # fmt: skip
    opinion = _text(_("Opinion"), rows=6)

    def clean(self):
        data = super().clean()
        percent = data.get("proposed_percent")
        data["proposed_share"] = (Decimal(percent) / 100).quantize(Decimal("0.01")) if percent else None
        return data


class HearingRightForm(ReadVersionMixin, forms.Form):
    right_notified_on = RangedDateField(label=_("Right to be heard notified on"), kind=DateKind.HAPPENED)
    reply_by = RangedDateField(label=_("To ask for a hearing by"), kind=DateKind.PLANNED, required=False)


class HearingAnswerForm(ReadVersionMixin, forms.Form):
    answer = forms.ChoiceField(label=_("The person's answer"), choices=HearingAnswer.choices)
    asked_on = RangedDateField(label=_("Asked on"), kind=DateKind.HAPPENED, required=False)
    scheduled_on = RangedDateField(label=_("Hearing planned on"), kind=DateKind.PLANNED, required=False)


class HearingHeldForm(ReadVersionMixin, forms.Form):
    held_on = RangedDateField(label=_("Held on"), kind=DateKind.HAPPENED)
    attendees = forms.CharField(label=_("Who attended"), max_length=500)
    assistant = forms.CharField(label=_("The person's assistant"), max_length=200, required=False)
    minutes = _text(_("Minutes"), rows=6)


class ReviewForm(ReadVersionMixin, forms.Form):
    note = _text(_("Your review"), help_text=_("Was the PIIS written to ground this sanction? Say what you checked."))


class CloseForm(ReadVersionMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    note = _text(_("Explanation"))
