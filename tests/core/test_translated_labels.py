"""Every label, choice and help text of the application's forms is marked for translation, so no form shows an
English field name in French or Dutch (the delegation form showed "Signatory *": a foreign key without a verbose
name gets its field name as label)."""

import importlib
import pkgutil

from django import forms
from django.utils.functional import Promise

import piis

# Labels set in the form's __init__ from a translated source.
SET_AT_RUNTIME = {("piis.accounts.forms", "LoginForm", "username")}  # AuthenticationForm: the user model's name


def _piis_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(piis.__path__, "piis."):
        if "forms" in module.name.rsplit(".", 1)[-1]:
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith("piis.")}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def _choices(field: forms.Field):
    if isinstance(field, forms.ModelChoiceField) or not isinstance(field, forms.ChoiceField):
        return
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            yield from ((v, lbl) for v, lbl in label)
        elif value not in ("", None):
            yield value, label


def test_the_forms_are_found():
    names = {cls.__name__ for cls in _piis_forms()}
    assert {"BeneficiaryForm", "DelegationForm", "SignatoryForm", "RiDecisionForm"} <= names


def test_every_form_label_choice_and_help_text_is_translatable():
    untranslated = []
    for cls in _piis_forms():
        for name, field in cls.base_fields.items():
            if isinstance(field.widget, forms.HiddenInput) or (cls.__module__, cls.__name__, name) in SET_AT_RUNTIME:
                continue
            where = f"{cls.__module__}.{cls.__name__}.{name}"
            if not isinstance(field.label, Promise):
                untranslated.append(f"{where}: label {field.label!r}")
            if field.help_text and not isinstance(field.help_text, Promise):
                untranslated.append(f"{where}: help text {field.help_text!r}")
            untranslated += [
                f"{where}: choice {v!r} {lbl!r}" for v, lbl in _choices(field) if not isinstance(lbl, Promise)
            ]
    assert not untranslated, "\n".join(untranslated)
