from django import forms
from django.utils.translation import gettext_lazy as _

from piis.privacy.models import MAX_YEARS, MIN_YEARS, RetentionPeriod


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or national register number"), max_length=100, required=False)


class RetentionPeriodForm(forms.ModelForm):
    """One kind's period (the stale-save refusal of piis.core.concurrency follows when it lands)."""

    class Meta:
        model = RetentionPeriod
        fields = ["years"]
        widgets = {"years": forms.NumberInput(attrs={"min": MIN_YEARS, "max": MAX_YEARS})}
