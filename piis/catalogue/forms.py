from django import forms
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.core.forms import ReadVersionMixin, model_form_fields


class CatalogueEntryForm(ReadVersionMixin, forms.ModelForm):
    """A service of the CPAS or a partner: its kind, name, contact, working languages, capacity, whether active."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CatalogueEntry
        fields = ["kind", "name", "description", "contact", "languages", "capacity", "active"]
        formfield_callback = model_form_fields()
        help_texts = {
            "capacity": _("How many people it can take at once; empty when not limited."),
            "contact": _("A person, a phone number or an address to reach it."),
        }

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
        self.fields["capacity"].max_value = 100000
        self.fields["capacity"].widget.attrs["max"] = 100000


class TargetGroupForm(ReadVersionMixin, forms.ModelForm):
    """A group for which the CPAS proposes an optional PIIS, with its criteria and policy in the CPAS's words."""

    class Meta:
        model = TargetGroup
        fields = ["name", "basis", "criteria", "policy", "active"]
        formfield_callback = model_form_fields()

    def __init__(self, *args, cpas, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpas = cpas
