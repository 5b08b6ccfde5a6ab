from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Role
from piis.accounts.models import Team, User
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Beneficiary,
    Exemption,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
)
from piis.cases.validators import normalize_nrn, validate_nrn
from piis.catalogue.models import TargetGroup
from piis.core.dates import DateKind
from piis.core.errors import error_message
from piis.core.forms import ReadVersionMixin, model_form_fields, refuse_before

NRN_TYPED_MAX_LENGTH = 15  # "85.07.30-033.28": 11 digits as printed on the identity card


def _refuse_before_birth(form: forms.BaseModelForm, *fields: str) -> None:
    """A fact of the person's file cannot predate their birth (the file is the form's instance's beneficiary)."""
    beneficiary = getattr(form.instance, "beneficiary", None)
    if beneficiary is not None:
        for field in fields:
            refuse_before(form, field, beneficiary.birth_date, "DATE_BEFORE_BIRTH")


class BeneficiaryForm(ReadVersionMixin, forms.ModelForm):
    """The file's identity. The date of birth must agree with what the national register (or BIS) number tells of
    it: Beneficiary.clean_fields compares them and the form shows the refusal on both fields."""

    class Meta:
        model = Beneficiary
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "national_number",
            "language",
            "email",
            "phone",
            "address",
            "social_worker",
            "team",
            "target_group",
            "notes",
        ]
        formfield_callback = model_form_fields(birth_date=DateKind.BIRTH)

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        if self.instance.pk is None and "language" not in (kwargs.get("initial") or {}):
            # A new file is preset to the CPAS's first working language (the model's default is French), shown
            # selected so that the worker sees in which language the PIIS will be printed.
            self.initial["language"] = cpas.default_language
        self.fields["language"].help_text = _("The PIIS and its PDF are written in this language.")
        self.fields["social_worker"].queryset = User.objects.filter(
            memberships__cpas=cpas, memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD]
        ).order_by("last_name", "first_name")
        self.fields["social_worker"].label_from_instance = lambda user: user.get_full_name() or user.username
        # Need-to-know (piis.cases.access): the assigned worker and the file's team reach it, nobody else.
        self.fields["team"].queryset = Team.objects.for_cpas(cpas)
        self.fields["team"].help_text = _("The members of this team and its lead can open the file.")
        groups = TargetGroup.objects.for_cpas(cpas).filter(active=True)
        if self.instance.target_group_id:
            groups = groups | TargetGroup.objects.for_cpas(cpas).filter(pk=self.instance.target_group_id)
        self.fields["target_group"].queryset = groups.order_by("name")
        self.fields["target_group"].help_text = _(
            "A group for which the CPAS proposes an optional PIIS (its policy). Leave empty when none applies."
        )
        # The number may be typed as printed on the identity card, "85.07.30-033.28": 15 characters, 11 digits.
        number = self.fields["national_number"]
        number.validators = [v for v in number.validators if not isinstance(v, MaxLengthValidator)]
        number.validators.append(MaxLengthValidator(NRN_TYPED_MAX_LENGTH))
        number.max_length = NRN_TYPED_MAX_LENGTH
        number.widget.attrs["maxlength"] = str(NRN_TYPED_MAX_LENGTH)

    def clean_national_number(self):
        number = normalize_nrn(self.cleaned_data["national_number"])
        validate_nrn(number)
        taken = Beneficiary.objects.for_cpas(self.instance.cpas).filter(national_number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A file with this national register number already exists."))
        return number

    def clean(self):
        data = super().clean()
        birth = data.get("birth_date")
        if birth is not None and self.instance.pk is not None:
            decisions = RiDecision.objects.for_cpas(self.instance.cpas).filter(beneficiary=self.instance)
            first = decisions.order_by("decided_on").values_list("decided_on", flat=True).first()
            if first is not None and birth > first:
                self.add_error("birth_date", error_message("BIRTH_AFTER_RI_DECISION", {"date": first}))
        return data


# --- the file's records (issue 5, part A) ------------------------------------------------------------------------


class HouseholdMemberForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "birth_date"]
        formfield_callback = model_form_fields(birth_date=DateKind.BIRTH)


class AssistantForm(ReadVersionMixin, forms.ModelForm):
    """R38, S-Third 19: the person of the beneficiary's choice — a role beside the file, never a contract party."""

    class Meta:
        model = Assistant
        fields = ["name", "relationship", "contact", "may_receive_file_data", "active"]
        formfield_callback = model_form_fields()
        help_texts = {
            "may_receive_file_data": _(
                "Tick only if the person has agreed. Without consent the assistant receives no data from the file."
            ),
        }


class RiDecisionForm(ReadVersionMixin, forms.ModelForm):
    """The RI decision on its own statutory conditions: nothing about a PIIS is asked here (R14, S-Dec 11)."""

    class Meta:
        model = RiDecision
        fields = [
            "category",
            "requested_on",
            "decided_on",
            "notified_on",
            "start_on",
            "end_on",
            "monthly_amount",
            "employed_with_top_up",
            "full_time_studies",
            "notes",
        ]
        # A request has happened; the decision may be recorded a little ahead of its date; the RI is granted
        # from and until dates in the calendar.
        formfield_callback = model_form_fields(
            requested_on=DateKind.HAPPENED,
            decided_on=DateKind.DECIDED,
            notified_on=DateKind.DECIDED,
            start_on=DateKind.PLANNED,
            end_on=DateKind.PLANNED,
        )
        help_texts = {
            "full_time_studies": _(
                "The equity assessment decision that accepts full-time studies; give its motivation below."
            ),
        }

    def clean(self):
        data = super().clean()
        _refuse_before_birth(self, "requested_on", "decided_on", "start_on")
        return data


class IncomePeriodForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = IncomePeriod
        fields = ["kind", "start_on", "end_on", "note"]
        formfield_callback = model_form_fields(start_on=DateKind.HAPPENED, end_on=DateKind.PLANNED)

    def clean(self):
        data = super().clean()
        _refuse_before_birth(self, "start_on")
        return data


class ExemptionForm(ReadVersionMixin, forms.ModelForm):
    """R9–R12: a motivated CPAS decision, with a mandatory review date."""

    class Meta:
        model = Exemption
        fields = ["ground", "motivation", "decided_on", "decided_by", "start_on", "review_on", "end_on", "lifted_on"]
        formfield_callback = model_form_fields(
            decided_on=DateKind.DECIDED,
            start_on=DateKind.PLANNED,
            review_on=DateKind.PLANNED,
            end_on=DateKind.PLANNED,
            lifted_on=DateKind.DECIDED,
        )

    def clean(self):
        data = super().clean()
        _refuse_before_birth(self, "decided_on", "start_on")
        return data


class NeedsAssessmentForm(ReadVersionMixin, forms.ModelForm):
    version_related = ("items",)  # the items' formset is saved with the assessment, in its version

    class Meta:
        model = NeedsAssessment
        fields = ["assessed_on", "author", "own_words"]
        formfield_callback = model_form_fields(assessed_on=DateKind.HAPPENED)
        help_texts = {
            "own_words": _("Write down what the person says they want, in their own words (S-Pers 3)."),
        }

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = User.objects.filter(
            memberships__cpas=cpas, memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD]
        ).order_by("last_name", "first_name")
        self.fields["author"].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean(self):
        data = super().clean()
        _refuse_before_birth(self, "assessed_on")
        return data


class AssessmentItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["domain", "kind", "text", "justification", "consent_given"]
        formfield_callback = model_form_fields()
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "justification": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "justification": _("Needed for health, family, relationships and addiction (sensitive domains)."),
            "consent_given": _("Needed for a sensitive domain. Sensitive items are never printed in the contract."),
        }


class BaseAssessmentItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            item = form.instance
            if item.pk and item.objectives.exists():
                form.add_error(None, _("This item is cited by an objective of a contract: it cannot be removed."))
                raise forms.ValidationError(_("An item cited by a contract objective cannot be removed."))


AssessmentItemFormSet = forms.inlineformset_factory(
    NeedsAssessment,
    AssessmentItem,
    form=AssessmentItemForm,
    formset=BaseAssessmentItemFormSet,
    extra=2,
    can_delete=True,
)
