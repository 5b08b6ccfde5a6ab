"""Forms of the contract lifecycle: hand-over, information and rights, signature, late motivation, amendment, end.

The services raise LifecycleError codes; `add_lifecycle_error` puts the translated message on the right field and
the form keeps what the user typed.
"""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from piis.contracts.enums import AssistanceChoice, EndReason, SignatureMethod
from piis.contracts.rights import rights_list

DATE_WIDGET = {"type": "date"}

ERROR_MESSAGES = {
    "NOT_DRAFTING": _("Only a draft (or an amendment being drafted) can be handed over."),
    "HANDOVER_IN_FUTURE": _("The hand-over date cannot be in the future."),
    "HANDOVER_BEFORE_RI_DECISION": _("The hand-over cannot be dated before the RI decision of %(date)s."),
    "REASON_REQUIRED": _("Give the reason for the amendment."),
    "DRAFTING_PROBLEMS": _("The draft cannot be handed over yet: correct the points listed below."),
    "NOTHING_HANDED_OVER": _("There is no version handed over to withdraw."),
    "VERSION_CLOSED": _("This version is no longer open for information or signatures."),
    "INFORMATION_IN_FUTURE": _("The information cannot be dated in the future."),
    "RIGHTS_INCOMPLETE": _("Every right must be explained to the person: tick each one once it has been explained."),
    "ASSISTANT_NAME_REQUIRED": _("Give the name of the person who assisted."),
    "UNKNOWN_SIGNER": _("Choose who signs from the list."),
    "DELEGATION_INVALID": _("This delegation is not for the chosen signatory or is not valid on the signing date."),
    "ALREADY_SIGNED": _("This party has already signed this version."),
    "SIGNATURE_IN_FUTURE": _("The signature cannot be dated in the future."),
    "SIGNATURE_BEFORE_HANDOVER": _(
        "The signature cannot be dated before the hand-over of the final draft (%(date)s)."
    ),
    "PIIS_BEFORE_RI_DECISION": _(
        "A PIIS cannot be signed before the RI decision (%(ri_decision_on)s). Choose a later signing date."
    ),
    "REFLECTION_PERIOD": _(
        "The reflection period is not over: the person may sign from %(earliest)s. Choose that date or a later one."
    ),
    "RIGHTS_INFORMATION_MISSING": _(
        "Before signing, record that the person was informed of the content, scope and consequences of the contract "
        "and of their rights (section “Information and rights”)."
    ),
    "INFORMATION_NOT_RECORDED": _(
        "Before the amendment is signed, record that the person was informed of its content, scope and consequences."
    ),
    "MOTIVATION_REQUIRED": _("Write why the contract is concluded after its deadline."),
    "NOT_IN_FORCE": _("Only a contract in force can be amended or ended."),
    "AMENDMENT_PENDING": _("An amendment is already being prepared."),
    "END_IN_FUTURE": _("The end date cannot be in the future."),
    "END_BEFORE_SIGNATURE": _("The end date cannot be before the conclusion of the contract (%(date)s)."),
    "UNKNOWN_REASON": _("Choose a reason from the list."),
}


def error_message(code: str, params: dict | None = None) -> str:
    """The translated message of a LifecycleError code, with its dates formatted for the active language."""
    values = {
        key: date_format(value, "DATE_FORMAT") if hasattr(value, "isoformat") else value
        for key, value in (params or {}).items()
    }
    template = ERROR_MESSAGES.get(code, _("This step is not possible now."))
    return str(template) % values if values else str(template)


def add_lifecycle_error(form: forms.Form, error) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error_message(error.code, error.params))


class HandOverForm(forms.Form):
    handed_over_on = forms.DateField(
        label=_("Final draft handed over on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)  # fmt: skip

    def __init__(self, *args, amendment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not amendment:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True


class InformationForm(forms.Form):
    given_on = forms.DateField(
        label=_("Information given on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    rights = forms.MultipleChoiceField(
        label=_("Rights explained to the person"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each right once it has been explained, with the content, scope and consequences."),
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


class SignatureForm(forms.Form):
    signer = forms.ChoiceField(label=_("Who signs"))
    delegation = forms.TypedChoiceField(label=_("Signed by a delegate"), required=False, coerce=int, empty_value=None)
    signer_name = forms.CharField(
        label=_("Name of the signer"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the name on record for this party."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    method = forms.ChoiceField(
        label=_("How"), choices=SignatureMethod.choices, widget=forms.RadioSelect, initial=SignatureMethod.PAPER
    )
    scan = forms.FileField(label=_("Scanned copy (PDF or image)"), required=False)
    late_motivation = forms.CharField(
        label=_("Why the contract is concluded after its deadline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded for the audit; it does not block the signature."),
    )

    def __init__(self, *args, signers, delegations, ask_late_motivation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = [("", "—"), *signers]
        self.fields["delegation"].choices = [("", _("No: the holder signs")), *delegations]
        if not ask_late_motivation:
            del self.fields["late_motivation"]

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and not (scan.name.lower().endswith((".pdf", ".png", ".jpg", ".jpeg"))):
            raise forms.ValidationError(_("Upload a PDF, PNG or JPEG file."))
        return scan


class LateMotivationForm(forms.Form):
    late_motivation = forms.CharField(
        label=_("Why the contract is concluded after its deadline"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AmendmentStartForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who asked for it and what should change."),
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices])
