from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Role
from piis.accounts.models import User
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


class BeneficiaryForm(forms.ModelForm):
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
            "notes",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

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
        # The number may be typed as printed on the identity card, "85.07.30-033.28": 15 characters, 11 digits.
        number = self.fields["national_number"]
        number.validators = [v for v in number.validators if not isinstance(v, MaxLengthValidator)]
        number.widget.attrs["maxlength"] = "15"

    def clean_national_number(self):
        number = normalize_nrn(self.cleaned_data["national_number"])
        validate_nrn(number)
        taken = Beneficiary.objects.for_cpas(self.instance.cpas).filter(national_number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A file with this national register number already exists."))
        return number


# --- the file's records (issue 5, part A) ------------------------------------------------------------------------

DATE = {"type": "date"}


def _date_widgets(*names: str) -> dict:
    return {name: forms.DateInput(attrs=DATE, format="%Y-%m-%d") for name in names}


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "birth_date"]
        widgets = _date_widgets("birth_date")


class AssistantForm(forms.ModelForm):
    """R38, S-Third 19: the person of the beneficiary's choice — a role beside the file, never a contract party."""

    class Meta:
        model = Assistant
        fields = ["name", "relationship", "contact", "may_receive_file_data", "active"]
        help_texts = {
            "may_receive_file_data": _(
                "Tick only if the person has agreed. Without consent the assistant receives no data from the file."
            ),
        }


class RiDecisionForm(forms.ModelForm):
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
        widgets = _date_widgets("requested_on", "decided_on", "notified_on", "start_on", "end_on")
        help_texts = {
            "full_time_studies": _(
                "The equity assessment decision that accepts full-time studies; give its motivation below."
            ),
        }


class IncomePeriodForm(forms.ModelForm):
    class Meta:
        model = IncomePeriod
        fields = ["kind", "start_on", "end_on", "note"]
        widgets = _date_widgets("start_on", "end_on")


class ExemptionForm(forms.ModelForm):
    """R9–R12: a motivated CPAS decision, with a mandatory review date."""

    class Meta:
        model = Exemption
        fields = ["ground", "motivation", "decided_on", "decided_by", "start_on", "review_on", "end_on", "lifted_on"]
        widgets = _date_widgets("decided_on", "start_on", "review_on", "end_on", "lifted_on")


class NeedsAssessmentForm(forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["assessed_on", "author", "own_words"]
        widgets = _date_widgets("assessed_on")
        help_texts = {
            "own_words": _("Write down what the person says they want, in their own words (S-Pers 3)."),
        }

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = User.objects.filter(
            memberships__cpas=cpas, memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD]
        ).order_by("last_name", "first_name")
        self.fields["author"].label_from_instance = lambda user: user.get_full_name() or user.username


class AssessmentItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["domain", "kind", "text", "justification", "consent_given"]
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
