from django import forms
from django.utils.translation import gettext_lazy as _

from piis.contracts.services.person import TEXT_MAX_LENGTH
from piis.core.forms import ReadVersionMixin


class AmendmentRequestAnswerForm(ReadVersionMixin, forms.Form):
    """The worker answered the person's request for an amendment (the request, `versioned`, is closed)."""

    answer = forms.CharField(
        label=_("What you answered the person"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If the PIIS must change, start an amendment on the contract page: every party must agree."),
    )
