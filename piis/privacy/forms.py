from django import forms
from django.utils.translation import gettext_lazy as _

from piis.core.forms import ReadVersionMixin
from piis.privacy.models import MAX_YEARS, MIN_YEARS, RetentionPeriod


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or national register number"), max_length=100, required=False)


class RetentionPeriodForm(ReadVersionMixin, forms.ModelForm):
    """One kind's period. A stale save (another administrator changed it meanwhile) is refused with both values."""

    class Meta:
        model = RetentionPeriod
        fields = ["years"]
        widgets = {"years": forms.NumberInput(attrs={"min": MIN_YEARS, "max": MAX_YEARS})}
