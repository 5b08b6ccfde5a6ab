from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from piis.accounts.forms import PASSWORD_MAX_LENGTH, LoginForm, SecondFactorCodeForm


class PortalLoginForm(LoginForm):
    """The staff login form's checks (django-axes throttling, lengths), in the person's words."""

    error_messages = {
        **LoginForm.error_messages,
        "invalid_login": _("Wrong login name or password. After 5 mistakes you must wait 30 minutes or more."),
    }

    username = UsernameField(
        label=_("Your login name"),
        help_text=_("It starts with P-. It is on the paper from your social worker."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocapitalize": "characters", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ActivationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("8 letters and digits. It is on the paper from your social worker."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class PortalPasswordForm(forms.Form):
    """Choose a password, twice; Django's password rules (at least 12 characters, not too common)."""

    new_password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A short sentence is easy to remember."),
    )
    new_password2 = forms.CharField(
        label=_("Type the same password again"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password2(self):
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords are not the same."))
        if second:
            password_validation.validate_password(second, self.user)
        return second


class PortalCodeForm(SecondFactorCodeForm):
    pass
