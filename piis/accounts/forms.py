from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language, Role
from piis.accounts.models import ClosureDay, Cpas, Signatory, SignatoryDelegation, Team, User
from piis.core.dates import DateKind
from piis.core.forms import ReadVersionMixin, model_form_fields

PASSWORD_MAX_LENGTH = 4096  # far beyond any passphrase; a megabyte posted as a password is not hashed

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoginForm(AuthenticationForm):
    password = forms.CharField(
        label=AuthenticationForm.base_fields["password"].label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong user name or password. After 5 failures this name is locked on this computer for 30 minutes "
            "or longer."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm shows the user name's length but does not check it: a longer name would reach
        # django-axes, which records a failed attempt's name in 255 characters (a server error).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class CpasSettingsForm(ReadVersionMixin, forms.ModelForm):
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Cpas
        fields = ["name", "region", "working_languages"]
        formfield_callback = model_form_fields()


class ClosureDayForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["day", "label"]
        widgets = {"day": DATE_WIDGET}
        formfield_callback = model_form_fields(day=DateKind.PLANNED)

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas

    def clean_day(self):
        day = self.cleaned_data["day"]
        if ClosureDay.objects.for_cpas(self.instance.cpas).filter(day=day).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This day is already a closure day."))
        return day


def _staff_of(cpas):
    return User.objects.filter(memberships__cpas=cpas, memberships__is_active=True).order_by("last_name")


class SignatoryForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["function", "holder_name", "holder", "required", "position"]

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["holder"].queryset = _staff_of(cpas)

    def clean_function(self):
        function = self.cleaned_data["function"]
        taken = Signatory.objects.for_cpas(self.instance.cpas).filter(function=function)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This function is already in the signatory matrix."))
        return function


class DelegationForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = SignatoryDelegation
        fields = ["signatory", "delegate_name", "delegate", "valid_from", "valid_until"]
        # The model's foreign key has no verbose name (adding one would need a migration): the form names it.
        labels = {"signatory": capfirst(_("signatory"))}
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}
        formfield_callback = model_form_fields(valid_from=DateKind.PLANNED, valid_until=DateKind.PLANNED)

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["signatory"].queryset = Signatory.objects.for_cpas(cpas)
        self.fields["delegate"].queryset = _staff_of(cpas)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date must be on or after the start date."))
        return data


def _user_label(user) -> str:
    return user.get_full_name() or user.username


class TeamForm(ReadVersionMixin, forms.ModelForm):
    """A team of the CPAS: its name, its lead (a member whose role is team lead) and its members (the CPAS's social
    workers and team leads; each works in one team)."""

    version_related = ("members",)  # who works in it (Membership.team) is saved with it

    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A member works in one team: ticking them here moves them from their current team."),
    )

    class Meta:
        model = Team
        fields = ["name", "lead"]
        formfield_callback = model_form_fields()

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        staff = _staff_of(cpas)
        self.fields["lead"].queryset = staff.filter(memberships__cpas=cpas, memberships__role=Role.TEAM_LEAD)
        self.fields["lead"].label_from_instance = _user_label
        self.fields["members"].queryset = staff.filter(
            memberships__cpas=cpas, memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD]
        )
        self.fields["members"].label_from_instance = _user_label
        if self.instance.pk:
            self.initial["members"] = list(
                User.objects.filter(memberships__cpas=cpas, memberships__team=self.instance).values_list(
                    "pk", flat=True
                )
            )


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app (six digits) or, at the verification step, a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()
