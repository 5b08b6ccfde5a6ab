from django import forms
from django.utils.translation import gettext_lazy as _

from piis.contracts.enums import CommitmentStatus
from piis.core.dates import DateKind
from piis.core.forms import RangedDateField, ReadVersionMixin, model_form_fields
from piis.followup.enums import Delivery, Progress, RequestedBy
from piis.followup.models import Evaluation
from piis.followup.selectors import KIND_LABELS
from piis.followup.services import DeliveryEntry, ProgressEntry


class EvaluationForm(ReadVersionMixin, forms.ModelForm):
    """An evaluation (R48), with one progress choice per objective and one delivery choice per CPAS or third-party
    commitment of the contract (fields `progress_<id>`, `delivery_<id>` and their notes)."""

    version_related = ("progress", "commitments")  # the answers per objective and commitment, saved with it

    class Meta:
        model = Evaluation
        fields = [
            "held_on",
            "mode",
            "beneficiary_present",
            "assistant_present",
            "third_parties",
            "other_participants",
            "difficulties",
            "adjustments",
            "beneficiary_comment",
        ]
        widgets = {"third_parties": forms.CheckboxSelectMultiple}
        formfield_callback = model_form_fields(held_on=DateKind.HAPPENED)
        help_texts = {
            "assistant_present": _("Name of the person who assisted them, if any."),
            "difficulties": _("Recording a difficulty here never starts a sanction procedure."),
            "adjustments": _("Adjustments that change the contract are made by an amendment, agreed by every party."),
            "beneficiary_comment": _("In the person's own words; printed with the evaluation."),
        }

    def __init__(self, *args, contract, objectives, commitments, assistants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.objectives = list(objectives)
        self.commitments = list(commitments)
        self.fields["third_parties"].queryset = contract.third_parties.all()
        if assistants:
            names = ", ".join(a.name for a in assistants)
            self.fields["assistant_present"].help_text = _("Assistants on the file: %(names)s.") % {"names": names}
        existing_progress, existing_delivery = {}, {}
        if self.instance.pk:
            existing_progress = {p.objective_id: p for p in self.instance.progress.all()}
            existing_delivery = {c.clause_id: c for c in self.instance.commitments.all()}
        blank = [("", _("Not assessed"))]
        for objective in self.objectives:
            row = existing_progress.get(objective.pk)
            self.fields[f"progress_{objective.pk}"] = forms.ChoiceField(
                label=_("Progress"),
                choices=blank + list(Progress.choices),
                required=False,
                initial=row.progress if row else "",
            )
            self.fields[f"progress_note_{objective.pk}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False, initial=row.note if row else ""
            )
        for clause in self.commitments:
            row = existing_delivery.get(clause.pk)
            self.fields[f"delivery_{clause.pk}"] = forms.ChoiceField(
                label=_("Delivered?"),
                choices=[("", _("Not reviewed"))] + list(Delivery.choices),
                required=False,
                initial=row.delivery if row else "",
            )
            self.fields[f"delivery_note_{clause.pk}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False, initial=row.note if row else ""
            )

    def objective_rows(self):
        return [(o, self[f"progress_{o.pk}"], self[f"progress_note_{o.pk}"]) for o in self.objectives]

    def commitment_rows(self):
        return [(c, self[f"delivery_{c.pk}"], self[f"delivery_note_{c.pk}"]) for c in self.commitments]

    def main_fields(self):
        return [self[name] for name in self._meta.fields]

    def progress_entries(self) -> list[ProgressEntry]:
        data = self.cleaned_data
        return [ProgressEntry(o, data[f"progress_{o.pk}"], data[f"progress_note_{o.pk}"]) for o in self.objectives]

    def delivery_entries(self) -> list[DeliveryEntry]:
        data = self.cleaned_data
        return [DeliveryEntry(c, data[f"delivery_{c.pk}"], data[f"delivery_note_{c.pk}"]) for c in self.commitments]


class MeetingRequestForm(forms.Form):
    requested_on = RangedDateField(label=_("Requested on"), kind=DateKind.HAPPENED)
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=RequestedBy.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)


class MeetingHeldForm(ReadVersionMixin, forms.Form):
    """The requested meeting took place (its request, `versioned`, is closed)."""

    held_on = RangedDateField(label=_("Held on"), kind=DateKind.HAPPENED)


class MeetingWithdrawForm(ReadVersionMixin, forms.Form):
    """The person withdrew the request (`versioned`)."""

    withdrawn_on = RangedDateField(label=_("Withdrawn on"), kind=DateKind.HAPPENED)


class CommitmentDeliveryForm(ReadVersionMixin, forms.Form):
    """Whether a commitment of a PIIS in force was delivered (contracts.Clause.delivery_status), and since when."""

    version_fields = {"delivery_status": "status", "delivery_status_on": "on"}

    status = forms.ChoiceField(label=_("Delivery"), choices=CommitmentStatus.choices)
    on = RangedDateField(label=_("Since"), kind=DateKind.HAPPENED)


# Planning horizons offered by the filter (conveniences, not legal figures); overdue deadlines always show.
HORIZONS = (("", _("Any date")), ("7", _("Next 7 days")), ("30", _("Next 30 days")), ("90", _("Next 90 days")))


class AgendaFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *KIND_LABELS.items()], required=False)
    horizon = forms.ChoiceField(label=_("Due within"), choices=HORIZONS, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        if members:
            self.fields["worker"] = forms.ChoiceField(
                label=_("Social worker"),
                choices=[("", _("Choose a worker"))]
                + [(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members],
                required=False,
            )

    def value(self, name: str) -> str:
        if self.is_valid():
            return self.cleaned_data.get(name) or ""
        return ""
