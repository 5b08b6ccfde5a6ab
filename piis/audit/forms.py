from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AUDIT_VERB_GROUPS
from piis.core.dates import DateKind
from piis.core.forms import RangedDateField

DATE = forms.DateInput(attrs={"type": "date"})


class GroupedSelect(forms.Select):
    """A select whose options are made once per language and selected value, in Python: Django's per-option
    templates cost ~150 template renders and thousands of gettext calls for the ~150 audit actions on every page of
    the trail (issue 15: most of the page's time). Same markup as forms.Select (optgroups, `selected`)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        chosen = "" if value is None else str(value)  # as forms.Select: none means the empty choice
        return mark_safe(f"<select{flatatt(final)}>{self._options(get_language() or '', chosen)}</select>")

    def _options(self, language: str, chosen: str) -> str:
        values = tuple(
            str(value)
            for key, label in self.choices
            for value in ([v for v, _text in label] if isinstance(label, (list, tuple)) else [key])
        )
        key = (values, language, chosen if chosen in values else None)  # another value selects nothing: bounded
        markup = _MARKUP.get(key)
        if markup is None:
            if len(_MARKUP) > 1000:
                _MARKUP.clear()
            markup = _MARKUP[key] = self._markup(key[2])
        return markup

    def _markup(self, chosen: str | None) -> str:
        def option(value, label) -> str:
            selected = " selected" if str(value) == chosen else ""
            return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'

        parts = []
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(key)}">')
                parts.extend(option(value, text) for value, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(key, label))
        return "".join(parts)


# Options markup per (choices, language, selected value).
_MARKUP: dict[tuple, str] = {}


class AuditFilterForm(forms.Form):
    # Bounds of a search in the calendar: nothing the application records predates the law.
    date_from = RangedDateField(label=pgettext_lazy("date range", "From"), required=False, kind=DateKind.PLANNED)
    date_to = RangedDateField(label=pgettext_lazy("date range", "To"), required=False, kind=DateKind.PLANNED)
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    verb = forms.ChoiceField(
        label=_("Action"),
        required=False,
        widget=GroupedSelect,
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
