"""Forms of the drafting phase. They parse and present; the rules are checked by services/drafting.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.catalogue.models import CatalogueEntry
from piis.catalogue.selectors import catalogue_entries, partner_entries
from piis.contracts.enums import Obligation, Orientation, Party, Position, ThirdPartyKind
from piis.contracts.models import Clause, ClauseTemplate, Contract, Objective, Step, ThirdParty
from piis.contracts.selectors_drafting import (
    assessment_items_for_objectives,
    assessments_of,
    clause_kind_choices,
    drafting_staff,
    ri_decisions_of,
)
from piis.contracts.snapshot import grounds_sanction
from piis.core.dates import DateKind
from piis.core.errors import error_message
from piis.core.forms import ReadVersionMixin, model_form_fields, refuse_before
from piis.rules import RuleViolation, check_clause_kind, check_clause_sanctionable

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the range comes from Meta.formfield_callback


def _person_label(user) -> str:
    return user.get_full_name() or user.username


def party_choices(contract: Contract, *, with_third_parties=True) -> list[tuple[str, str]]:
    choices = [(Party.BENEFICIARY.value, str(_("The person"))), (Party.CPAS.value, str(_("The CPAS")))]
    if with_third_parties:
        choices += [(f"tp:{tp.pk}", tp.name) for tp in contract.third_parties.all()]
    return choices


def party_value(party: str, third_party_id: int | None) -> str:
    return f"tp:{third_party_id}" if party == Party.THIRD_PARTY else party


def _catalogue_label(entry: CatalogueEntry) -> str:
    return f"{entry.name} — {entry.get_kind_display()}"


def offer_catalogue(form: forms.ModelForm, cpas_id: int, *, partners_only: bool = False) -> None:
    """The form's `catalogue_entry` offers the CPAS's active services and partners (piis.catalogue), and the entry
    already chosen even if it was made inactive since."""
    field: Any = form.fields["catalogue_entry"]
    rows = partner_entries(cpas_id) if partners_only else catalogue_entries(cpas_id, active_only=True)
    current = getattr(form.instance, "catalogue_entry_id", None)
    if current:
        rows = rows | CatalogueEntry.objects.for_cpas(cpas_id).filter(pk=current)
    field.queryset = rows.order_by("name", "id")
    field.label_from_instance = _catalogue_label
    field.empty_label = _("— None —")


class ContractHeaderForm(ReadVersionMixin, forms.ModelForm):
    orientations = forms.MultipleChoiceField(
        label=_("Orientations"),
        choices=Orientation.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One general PIIS may combine several orientations."),
    )

    class Meta:
        model = Contract
        fields = [
            "ri_decision",
            "assessment",
            "orientations",
            "social_worker",
            "substitute_worker",
            "start_on",
            "end_on",
            "path",
            "evaluation_arrangements",
        ]
        widgets = {"start_on": DATE, "end_on": DATE, "evaluation_arrangements": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = model_form_fields(start_on=DateKind.PLANNED, end_on=DateKind.PLANNED)

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.beneficiary = beneficiary
        self.instance.cpas_id = beneficiary.cpas_id
        self.fields["ri_decision"].queryset = ri_decisions_of(beneficiary=beneficiary)
        self.fields["assessment"].queryset = assessments_of(beneficiary=beneficiary)
        self.fields["assessment"].help_text = _("Required before drafting: made after the RI request.")
        staff = drafting_staff(cpas=beneficiary.cpas)
        for name in ("social_worker", "substitute_worker"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = _person_label
        self.fields["start_on"].required = True
        self.fields["end_on"].required = True
        self.fields["path"].help_text = _(
            "Sequenced: the objectives are grouped in stages worked on one after the other. Integrated: several "
            "domains are worked on at once."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The planned end cannot be before the planned start."))
        return data


class ObjectiveForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "observable_result", "due_on", "stage", "catalogue_entry", "assessment_items"]
        widgets = {"due_on": DATE, "assessment_items": forms.CheckboxSelectMultiple}
        formfield_callback = model_form_fields(due_on=DateKind.PLANNED)
        help_texts = {
            "observable_result": _("What anyone can check once it is reached."),
            "assessment_items": _("At least one aspiration, need, obstacle or strength of the needs assessment."),
            "stage": _("In a sequenced path: the stage (1, 2, 3…) this objective belongs to."),
            "catalogue_entry": _("The service of the CPAS or the partner that works on it with the person."),
        }
        error_messages = {
            "assessment_items": {"required": _("Link the objective to at least one item of the needs assessment.")},
            "due_on": {"required": _("Give the objective a due date.")},
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        field = self.fields["assessment_items"]
        field.queryset = assessment_items_for_objectives(contract=contract)
        field.label_from_instance = lambda item: (
            f"{item.get_domain_display()} — {item.get_kind_display()}: {item.text}"
        )
        offer_catalogue(self, contract.cpas_id)
        stage: Any = self.fields["stage"]
        stage.min_value, stage.max_value = 1, 20
        stage.widget.attrs.update({"min": 1, "max": 20})

    def clean(self):
        data = super().clean()
        refuse_before(self, "due_on", self.instance.contract.start_on, "DUE_BEFORE_CONTRACT_START")
        return data


class StepForm(ReadVersionMixin, forms.ModelForm):
    owner_party = forms.ChoiceField(label=_("Who"))
    version_fields = {"owner": "owner_party", "third_party": "owner_party"}

    class Meta:
        model = Step
        fields = ["description", "owner_party", "due_on", "catalogue_entry"]
        widgets = {"due_on": DATE}
        formfield_callback = model_form_fields(due_on=DateKind.PLANNED)

    def __init__(self, *args, objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.objective = objective
        self.fields["owner_party"].choices = party_choices(objective.contract)
        offer_catalogue(self, objective.contract.cpas_id)
        if self.instance.pk:
            self.initial["owner_party"] = party_value(self.instance.owner, self.instance.third_party_id)

    def clean(self):
        data = super().clean()
        refuse_before(self, "due_on", self.instance.objective.contract.start_on, "DUE_BEFORE_CONTRACT_START")
        return data


class ClauseKindField(forms.CharField):
    """A select of the rules core's kinds. Any other value posted (community service under any of its names, T32) is
    refused with the rules core's reason, not a bare "invalid choice"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", Clause._meta.get_field("kind").max_length)
        super().__init__(widget=forms.Select, **kwargs)

    def validate(self, value):
        super().validate(value)
        try:
            check_clause_kind(value)
        except RuleViolation as error:
            raise forms.ValidationError(error_message(error.code), code=error.code) from None


SANCTIONABLE_CHOICES = [
    ("default", _("As usual for this kind")),
    ("yes", _("Yes")),
    ("no", _("No")),
]


class ClauseForm(ReadVersionMixin, forms.ModelForm):
    party_code = forms.ChoiceField(label=_("Whose commitment"))
    kind = ClauseKindField(label=_("Kind"))
    may_sanction = forms.ChoiceField(
        label=_("May ground a sanction"),
        choices=SANCTIONABLE_CHOICES,
        help_text=_(
            "As usual: set by the kind of clause — social and health clauses are not sanctionable unless you say "
            "so. Only the person's own commitments can be: those of the CPAS or of a third party never are."
        ),
    )
    template = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version_fields = {"party": "party_code", "third_party": "party_code", "sanctionable": "may_sanction"}

    class Meta:
        model = Clause
        fields = [
            "party_code",
            "objective",
            "kind",
            "text",
            "due_on",
            "obligation",
            "catalogue_entry",
            "proposed_by",
            "position",
            "discussion",
            "may_sanction",
            "delivery_status",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "discussion": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE,
        }
        formfield_callback = model_form_fields(due_on=DateKind.PLANNED)
        help_texts = {
            "discussion": _("Required to make a contested clause sanctionable."),
            "due_on": _("By when it is to be done; printed in the contract. Leave empty for a lasting commitment."),
            "delivery_status": _("Follow-up, not content: it can also be changed while the contract is in force."),
            "obligation": _(
                "Means: the party promises to try, to attend, to take the steps. Result: it promises to obtain "
                "something. A result not obtained is a breach only of a commitment of result."
            ),
        }

    def __init__(self, *args, contract, template: ClauseTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        fields: dict[str, Any] = self.fields  # typed per field class at run time; the stubs know only Field
        fields["party_code"].choices = party_choices(contract)
        fields["objective"].queryset = contract.objectives.order_by("position", "id")
        fields["objective"].empty_label = _("— Not tied to one objective —")
        party = self.initial.get("party_code") or (self.instance.party if self.instance.pk else None)
        self.fields["kind"].widget.choices = clause_kind_choices(party)
        fields["position"].choices = Position.choices
        fields["delivery_status"].required = False
        fields["obligation"].widget = forms.RadioSelect(choices=fields["obligation"].choices)
        fields["obligation"].required = False  # left out: the commitment keeps what it promised (a new one: means)
        offer_catalogue(self, contract.cpas_id)
        self.fields["template"].required = False
        if self.instance.pk:
            self.initial["party_code"] = party_value(self.instance.party, self.instance.third_party_id)
            # R56: a commitment of the CPAS or a third party marked sanctionable before the rule was enforced: "no"
            sanction = grounds_sanction(party=self.instance.party, sanctionable=self.instance.sanctionable)
            self.initial["may_sanction"] = "yes" if sanction else "no"
            del self.fields["template"]
        elif template is not None:
            self.initial.update({"template": template.pk, "kind": template.kind, "text": template.text})
            if template.party in (Party.BENEFICIARY, Party.CPAS):
                self.initial["party_code"] = template.party
            self.initial["proposed_by"] = Party.CPAS  # a library text is the CPAS's proposal

    def clean(self):
        data = super().clean()
        # R55, R56: only the person's own commitment may ground a sanction, never the CPAS's or a third party's.
        party = data.get("party_code")
        if party and data.get("may_sanction") == "yes":
            try:
                check_clause_sanctionable(party=party, sanctionable=True)
            except RuleViolation as error:
                self.add_error("may_sanction", error_message(error.code))
        return data

    def clean_obligation(self) -> str:
        return self.cleaned_data.get("obligation") or self.instance.obligation or Obligation.MEANS

    def clean_delivery_status(self) -> str:
        """Left out (or blank): the commitment keeps the status it has (a new one is planned)."""
        return self.cleaned_data.get("delivery_status") or self.instance.delivery_status

    @property
    def sanctionable(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("may_sanction") or "")


# The kind of third party a partner of the catalogue becomes (catalogue.EntryKind → ThirdPartyKind).
PARTNER_THIRD_PARTY_KIND = {"training": ThirdPartyKind.TRAINING_CENTRE, "school": ThirdPartyKind.SCHOOL}


class ThirdPartyForm(ReadVersionMixin, forms.ModelForm):
    """A third party, typed or created from a partner of the catalogue: choosing one fills the name, kind and
    contact left empty."""

    class Meta:
        model = ThirdParty
        fields = ["catalogue_entry", "name", "kind", "requested_by", "contact", "signatory_name"]
        formfield_callback = model_form_fields()
        help_texts = {"catalogue_entry": _("Choose a partner to fill in its name, kind and contact.")}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        offer_catalogue(self, contract.cpas_id, partners_only=True)
        self.fields["name"].required = False
        self.fields["kind"].required = False

    def clean(self):
        data = super().clean()
        partner = data.get("catalogue_entry")
        if partner is not None:
            if not data.get("name"):
                data["name"] = partner.name
                self.instance.name = partner.name
            if not data.get("kind"):
                data["kind"] = PARTNER_THIRD_PARTY_KIND.get(partner.kind, ThirdPartyKind.ASSOCIATION)
                self.instance.kind = data["kind"]
            if not data.get("contact"):
                data["contact"] = partner.contact
                self.instance.contact = partner.contact
        if not data.get("name") and "name" not in self.errors:
            self.add_error("name", forms.Field.default_error_messages["required"])
        if not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", forms.Field.default_error_messages["required"])
        return data


class ClauseTemplateForm(ReadVersionMixin, forms.ModelForm):
    kind = ClauseKindField(label=_("Kind"))

    class Meta:
        model = ClauseTemplate
        fields = ["title", "party", "kind", "language", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        formfield_callback = model_form_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = clause_kind_choices()
        self.fields["language"] = forms.ChoiceField(label=_("Language"), choices=Language.choices)
        if self.instance.pk:
            self.initial["language"] = self.instance.language
