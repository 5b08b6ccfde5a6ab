"""Forms of the contract lifecycle: hand-over, information and rights, signature, late motivation, amendment, end.

The services raise piis.core.errors.ServiceError; the views put it on the form with `add_error_to_form`, and the
form keeps what the user typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from piis.contracts.enums import AssistanceChoice, EndReason, SignatureMethod
from piis.contracts.rights import rights_list
from piis.core.dates import DateKind
from piis.core.forms import LONG_TEXT_MAX_LENGTH, RangedDateField, ReadVersionMixin, ScanField


class HandOverForm(forms.Form):
    handed_over_on = RangedDateField(label=_("Final draft handed over on"), kind=DateKind.HAPPENED)
    # The one place an amendment's reason is asked (AmendmentStartForm asks none): frozen with the version, printed.
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, max_length=LONG_TEXT_MAX_LENGTH,
                             help_text=_("Who asked for it and what should change."))  # fmt: skip

    def __init__(self, *args, amendment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not amendment:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True


ALL_RIGHTS_LABEL = _("Every one of these rights was explained to the person, on the date above")


class InformationForm(ReadVersionMixin, forms.Form):
    """R28, S-Info 24. "Every right" ticks them all in one click; each right is still stored on its own. It edits
    its version (`versioned`)."""

    version_fields = {"information_given_on": "given_on", "rights_given": "rights"}

    given_on = RangedDateField(label=_("Information given on"), kind=DateKind.HAPPENED)
    all_rights = forms.BooleanField(label=ALL_RIGHTS_LABEL, required=False)
    rights = forms.MultipleChoiceField(
        label=_("Rights explained to the person"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each right once it has been explained, with the content, scope and consequences."),
        required=False,  # none ticked: the service refuses it (RIGHTS_INCOMPLETE), with the reason
    )
    assistance = forms.ChoiceField(
        label=_("Assistance by a person of their choice"),
        choices=AssistanceChoice.choices,
        widget=forms.RadioSelect,
    )
    assisted_by = forms.CharField(label=_("Assisted by"), required=False, max_length=200)

    def __init__(self, *args, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights"].choices = rights_list(on)

    def clean(self):
        data = super().clean()
        if data.get("all_rights"):
            data["rights"] = [code for code, _label in self.fields["rights"].choices]
        return data


class SignatureForm(forms.Form):
    signer = forms.ChoiceField(label=_("Who signs"))
    delegation = forms.TypedChoiceField(label=_("Signed by a delegate"), required=False, coerce=int, empty_value=None)
    signer_name = forms.CharField(
        label=_("Name of the signer"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the name on record for this party."),
    )
    signed_on = RangedDateField(label=_("Signed on"), kind=DateKind.HAPPENED)
    method = forms.ChoiceField(
        label=_("How"), choices=SignatureMethod.choices, widget=forms.RadioSelect, initial=SignatureMethod.PAPER
    )
    scan = ScanField(label=_("Scanned copy (PDF or image)"), required=False)
    late_motivation = forms.CharField(
        label=_("Why the contract is concluded after its deadline"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded for the audit; it does not block the signature."),
    )

    def __init__(self, *args, signers, delegations, ask_late_motivation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = [("", "—"), *signers]
        self.fields["delegation"].choices = [("", _("No: the holder signs")), *delegations]
        if not ask_late_motivation:
            del self.fields["late_motivation"]


class LateMotivationForm(ReadVersionMixin, forms.Form):
    """The contract's (`versioned`) motivation of a late conclusion."""

    late_motivation = forms.CharField(
        label=_("Why the contract is concluded after its deadline"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


class AmendmentStartForm(forms.Form):
    """Nothing to fill in: the reason is asked once, when the amendment is handed over (it is frozen with that version
    and printed in it)."""


class EndForm(forms.Form):
    ended_on = RangedDateField(label=_("Ended on"), kind=DateKind.HAPPENED)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices])


class HandOverWithInformationForm(HandOverForm):
    """The hand-over and, optionally, the information and rights given at the same meeting (R28, S-Info 24), dated
    the hand-over: one form instead of two. Left empty, only the hand-over is recorded and the information is
    recorded later on its own page; partly filled, it is refused with what is missing."""

    all_rights = forms.BooleanField(
        label=_("Every one of these rights was explained to the person at the hand-over"), required=False
    )
    assistance = forms.ChoiceField(
        label=_("Assistance by a person of their choice"),
        choices=AssistanceChoice.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    assisted_by = forms.CharField(label=_("Assisted by"), required=False, max_length=200)

    INFORMATION_FIELDS = ("all_rights", "assistance", "assisted_by")

    @property
    def informs(self) -> bool:
        """Whether the user recorded the information with the hand-over (any of its fields filled)."""
        data = self.cleaned_data
        return bool(data.get("all_rights") or data.get("assistance") or data.get("assisted_by", "").strip())

    def clean(self):
        data = super().clean()
        if self.informs and not data.get("assistance"):
            required = self.fields["assistance"].error_messages["required"]
            self.add_error("assistance", forms.ValidationError(required, code="required"))
        return data
