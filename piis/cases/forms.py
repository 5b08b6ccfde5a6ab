from django import forms
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Role
from piis.accounts.models import User
from piis.cases.models import Beneficiary
from piis.cases.validators import normalize_nrn


class BeneficiaryForm(forms.ModelForm):
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
        self.fields["social_worker"].queryset = User.objects.filter(
            memberships__cpas=cpas, memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD]
        ).order_by("last_name", "first_name")
        self.fields["social_worker"].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean_national_number(self):
        number = normalize_nrn(self.cleaned_data["national_number"])
        taken = Beneficiary.objects.for_cpas(self.instance.cpas).filter(national_number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A file with this national register number already exists."))
        return number
