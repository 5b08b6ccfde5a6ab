"""The forms of what the person can do on the portal: short, plain labels, every text bounded."""

from django import forms
from django.utils.translation import gettext_lazy as _

from piis.cases.services_person import NAME_MAX_LENGTH
from piis.contracts.services.person import TEXT_MAX_LENGTH as AMENDMENT_MAX_LENGTH
from piis.followup.services_person import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH


def _text(label, max_length: int, *, required: bool, help_text="", rows: int = 4):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MeetingForm(forms.Form):
    reason = _text(
        _("What do you want to talk about?"),
        REASON_MAX_LENGTH,
        required=False,
        rows=3,
        help_text=_("You may leave this empty."),
    )


class AmendmentForm(forms.Form):
    text = _text(
        _("What do you want to change in your PIIS?"),
        AMENDMENT_MAX_LENGTH,
        required=True,
        help_text=_("Write with your own words."),
    )


class CommentForm(forms.Form):
    text = _text(_("Your words about this evaluation"), COMMENT_MAX_LENGTH, required=True)
    disagrees = forms.BooleanField(label=_("I do not agree with this evaluation"), required=False)


class TransferAnswerForm(forms.Form):
    ACCEPT, REFUSE = "accept", "refuse"
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=(
            (ACCEPT, _("Yes, my PIIS goes to my new CPAS")),
            (REFUSE, _("No, I refuse: my PIIS does not go to my new CPAS")),
        ),
        widget=forms.RadioSelect,
    )


class AssistantForm(forms.Form):
    name = forms.CharField(label=_("Name of the person who helps you"), max_length=NAME_MAX_LENGTH)
    relationship = forms.CharField(
        label=_("Who is this person for you?"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("For example: my sister, a friend, a social service."),
    )
    contact = forms.CharField(label=_("Phone or e-mail of this person"), max_length=NAME_MAX_LENGTH, required=False)
    may_receive_file_data = forms.BooleanField(
        label=_("This person may see the information in my file"), required=False
    )
