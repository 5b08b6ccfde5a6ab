from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import Cpas
from piis.core.dates import DateKind
from piis.core.errors import error_message
from piis.core.forms import RangedDateField, ScanField
from piis.transfers.enums import Answer, Channel, Takeover
from piis.transfers.openpiis import max_bytes

ANSWER_DAYS = 14  # the date offered for the person's answer: two weeks after the move was known (changeable)


class MoveForm(forms.Form):
    moved_on = RangedDateField(kind=DateKind.HAPPENED, label=_("Moved on"))
    learned_on = RangedDateField(kind=DateKind.HAPPENED, label=_("The move was known on"))
    new_cpas = forms.ModelChoiceField(
        queryset=Cpas.objects.none(), required=False, label=_("New CPAS (in this application)")
    )
    other_name = forms.CharField(max_length=200, required=False, label=_("Or a CPAS elsewhere: its name"))
    other_nis_code = forms.RegexField(
        regex=r"^[0-9]{5}$", max_length=5, required=False, label=_("Its NIS code"), help_text=_("Five digits.")
    )
    answer_by = RangedDateField(
        kind=DateKind.PLANNED,
        label=_("The person may refuse until"),
        help_text=_("Printed in the letter. Without an answer by then, the PIIS is sent."),
    )
    studies_uninterrupted = forms.BooleanField(
        required=False, label=_("The person goes on with their studies without interruption")
    )

    def __init__(self, *args, cpas, study: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self.fields["new_cpas"]
        assert isinstance(choice, forms.ModelChoiceField)
        choice.queryset = Cpas.objects.exclude(pk=cpas.pk).order_by("name")
        if not study:
            del self.fields["studies_uninterrupted"]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("learned_on", today)
            self.initial.setdefault("answer_by", today + timedelta(days=ANSWER_DAYS))

    def clean(self):
        data = super().clean()
        if data.get("new_cpas") is None and not (data.get("other_nis_code") and data.get("other_name")):
            self.add_error("new_cpas", error_message("TRANSFER_DESTINATION_REQUIRED"))
        return data


class LetterForm(forms.Form):
    sent_on = RangedDateField(kind=DateKind.HAPPENED, label=_("Letter sent on"))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Answer.choices, widget=forms.RadioSelect, label=_("The person's answer"))
    answered_on = RangedDateField(kind=DateKind.HAPPENED, label=_("Date of the answer"))
    channel = forms.ChoiceField(
        choices=[("", "—"), *Channel.choices], required=False, label=_("How"),
        help_text=_("Not needed for no answer."),
    )  # fmt: skip


class RefusalForm(forms.Form):
    refused_on = RangedDateField(kind=DateKind.HAPPENED, label=_("Refused on"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("How"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=Takeover.choices, widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class PackageFileField(ScanField):
    """An open PIIS file (JSON): its size is bounded here; what it holds is checked by openpiis.read_package."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("An open PIIS file (.json) sent by the CPAS the person left."))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".json,application/json"

    def clean(self, data, initial=None):
        upload = forms.FileField.clean(self, data, initial)
        if upload and upload.size > max_bytes():
            raise forms.ValidationError(
                error_message("PACKAGE_TOO_LARGE", {"mb": max_bytes() // (1024 * 1024)}), code="PACKAGE_TOO_LARGE"
            )
        return upload


class ImportForm(forms.Form):
    package = PackageFileField(label=_("Open PIIS file"))
