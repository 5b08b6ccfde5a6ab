from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from piis.audit.enums import AUDIT_VERB_GROUPS
from piis.core.dates import DateKind
from piis.core.forms import RangedDateField

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(forms.Form):
    # Bounds of a search in the calendar: nothing the application records predates the law.
    date_from = RangedDateField(label=pgettext_lazy("date range", "From"), required=False, kind=DateKind.PLANNED)
    date_to = RangedDateField(label=pgettext_lazy("date range", "To"), required=False, kind=DateKind.PLANNED)
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    verb = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All"))]
        + [(group, [(v.value, v.label) for v in verbs]) for group, verbs in AUDIT_VERB_GROUPS],
    )
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    beneficiary_id = forms.IntegerField(label=_("Beneficiary file number"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data
