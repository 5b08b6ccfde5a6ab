"""The council's forms: a sitting, what goes on its agenda, a hearing on another matter, a decision, its
notification, the minutes, an appeal and its judgment, the register's year. Plain forms: each is one service call
(services_council), which asks the law through facts.py; dates have their plausible range, texts a length.
Shares are typed as percentages (what a council says: "50 %") and given to the services as fractions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.core.dates import DateKind
from piis.core.forms import LONG_TEXT_MAX_LENGTH, RangedDateField, ReadVersionMixin
from piis.sanctions.enums import (
    MATTER_OUTCOMES,
    SANCTION_OUTCOMES,
    AppealOutcome,
    DecisionOutcome,
    Deferral,
    DeliveryMethod,
    HearingAnswer,
    ItemKind,
    Organ,
    SuspensionGround,
)


def _text(label, *, required=True, help_text="", rows=4):
    return forms.CharField(label=label, max_length=LONG_TEXT_MAX_LENGTH, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


def _percent(label, *, help_text=""):
    return forms.IntegerField(label=label, min_value=1, max_value=99, required=False, help_text=help_text)


def fraction(percent: int | None) -> Decimal | None:
    return None if percent is None else (Decimal(percent) / 100).quantize(Decimal("0.01"))


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class SittingForm(ReadVersionMixin, forms.Form):
    organ = forms.ChoiceField(label=_("Organ"), choices=Organ.choices)
    sits_on = RangedDateField(label=_("Date"), kind=DateKind.PLANNED)
    starts_at = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    members = MemberChoiceField(label=_("Members convened"), queryset=None, required=False,
                                widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class DossierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.beneficiary} — {obj.breach.breach_on:%d/%m/%Y}"


class AddDossierForm(forms.Form):
    dossier = DossierChoiceField(label=_("Dossier ready for the council"), queryset=None, empty_label=None)
    summary = _text(_("Summary for the council"), required=False, rows=3)

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.contract.beneficiary} — {obj.text[:120]}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name}"


class ExemptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.beneficiary} — {obj}"


class AddMatterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Matter"), choices=[(k, label) for k, label in ItemKind.choices if k != ItemKind.SANCTION]
    )
    beneficiary = PersonChoiceField(label=_("Person"), queryset=None)
    clauses = ClauseChoiceField(label=_("Commitments the person objects to"), queryset=None, required=False,
                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    exemption = ExemptionChoiceField(label=_("Exemption to decide"), queryset=None, required=False)
    person_reasons = _text(_("The person's reasons"), required=False, rows=3,
                           help_text=_("As the person gave them (a refusal to sign, an objection)."))  # fmt: skip
    summary = _text(_("Summary for the council"), required=False, rows=3)

    def __init__(self, *args, people, clauses, exemptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = people
        self.fields["clauses"].queryset = clauses
        self.fields["exemption"].queryset = exemptions


class ItemHearingForm(forms.Form):
    right_notified_on = RangedDateField(label=_("Right to be heard notified on"), kind=DateKind.HAPPENED)
    answer = forms.ChoiceField(label=_("The person's answer"), choices=HearingAnswer.choices)
    held_on = RangedDateField(label=_("Hearing held on"), kind=DateKind.HAPPENED, required=False)
    attendees = forms.CharField(label=_("Who attended"), max_length=500, required=False)
    assistant = forms.CharField(label=_("The person's assistant"), max_length=200, required=False)
    minutes = _text(_("Minutes of the hearing"), required=False)


class DeferredChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Decision of %(date)s, deferred until %(end)s") % {
            "date": obj.decided_on.strftime("%d/%m/%Y"),
            "end": obj.probation_end.strftime("%d/%m/%Y") if obj.probation_end else "—",
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    months = forms.DecimalField(label=_("Months of suspension"), max_digits=4, decimal_places=2, required=False,
                                min_value=Decimal("0.01"))  # fmt: skip
    share = _percent(_("Share of the RI suspended (%)"), help_text=_("Partial suspension only."))
    deferral = forms.ChoiceField(label=_("Deferral"), choices=Deferral.choices, initial=Deferral.NONE)
    deferred_share = _percent(_("Share of the suspension deferred (%)"), help_text=_("Partial deferral only."))
    probation_end = RangedDateField(label=_("Deferral until"), kind=DateKind.PLANNED, required=False)
    executes_deferral_of = DeferredChoiceField(label=_("Also executes the deferred suspension of"), queryset=None,
                                               required=False)  # fmt: skip
    start_on = RangedDateField(label=_("The suspension starts on"), kind=DateKind.PLANNED, required=False)
    ground = forms.ChoiceField(label=_("Ground of the suspension"), choices=SuspensionGround.choices,
                               initial=SuspensionGround.PIIS_NON_COMPLIANCE)  # fmt: skip
    motivation = _text(_("Motivation"), rows=6, help_text=_("Printed in the letter to the person."))
    labour_court = forms.CharField(label=_("Competent labour court"), max_length=200)
    letter_language = forms.ChoiceField(label=_("Language of the letter"), choices=Language.choices)

    def __init__(self, *args, item, deferred, **kwargs):
        super().__init__(*args, **kwargs)
        sanction = item.kind == ItemKind.SANCTION
        allowed = SANCTION_OUTCOMES if sanction else MATTER_OUTCOMES
        self.fields["outcome"].choices = [(k, label) for k, label in DecisionOutcome.choices if k in allowed]
        self.fields["executes_deferral_of"].queryset = deferred
        if not sanction:
            for name in ("months", "share", "deferral", "deferred_share", "probation_end", "executes_deferral_of",
                         "start_on", "ground"):  # fmt: skip
                del self.fields[name]


class NotifiedForm(forms.Form):
    letter_sent_on = RangedDateField(label=_("Letter sent on"), kind=DateKind.HAPPENED)
    delivery_method = forms.ChoiceField(label=_("How it reached the person"), choices=DeliveryMethod.choices)
    notified_on = RangedDateField(
        label=_("Notified on"), kind=DateKind.HAPPENED,
        help_text=_("The day the registered letter was presented, or the acknowledgement signed."),
    )  # fmt: skip
    start_on = RangedDateField(label=_("The suspension starts on"), kind=DateKind.PLANNED, required=False)

    def __init__(self, *args, executed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not executed:
            del self.fields["start_on"]


class MinutesForm(ReadVersionMixin, forms.Form):
    version_fields = {"minutes_notes": "notes"}

    present = forms.CharField(label=_("Members present"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    notes = _text(_("Other business and remarks"), required=False)


class AppealForm(forms.Form):
    lodged_on = RangedDateField(label=_("Appeal lodged on"), kind=DateKind.HAPPENED)
    court = forms.CharField(label=_("Labour court"), max_length=200)
    reference = forms.CharField(label=_("Court reference"), max_length=100, required=False)


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The court's decision"), choices=[(k, v) for k, v in AppealOutcome.choices if k != "pending"]
    )
    outcome_on = RangedDateField(label=_("Judgment on"), kind=DateKind.HAPPENED)
    note = _text(_("What the court decided"), required=False, rows=3)


class RegisterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2002, max_value=2100)

    def value(self) -> int | None:
        if self.is_valid():
            return self.cleaned_data.get("year")
        return timezone.localdate().year
