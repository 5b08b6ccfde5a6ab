from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

HALVES = [(1, _("First half (January–June)")), (2, _("Second half (July–December)"))]


class FederalPeriodForm(forms.Form):
    """R76: the statistical flow is delivered twice a year; a half-year of a year since the law (2016)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    half = forms.TypedChoiceField(label=_("Half-year"), choices=HALVES, coerce=int)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in range(today.year, 2015, -1)]
        if not self.is_bound:
            self.initial = {"year": today.year, "half": 1 if today.month <= 6 else 2}

    def period(self) -> tuple[date, date]:
        year, half = self.cleaned_data["year"], self.cleaned_data["half"]
        return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))

    def code(self) -> str:
        return f"{self.cleaned_data['year']}-S{self.cleaned_data['half']}"
