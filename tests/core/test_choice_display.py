"""get_FOO_display() (core.models.ChoiceDisplay, on every tenant model and the membership) says what Django's says,
for every choice field of the site, in each language, for a value among the choices and one outside them."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from piis.accounts.models import Membership
from piis.core.models import ChoiceDisplay, TenantModel


def _choice_fields():
    for model in apps.get_models():
        if issubclass(model, ChoiceDisplay):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_the_tenant_models_and_the_membership_have_it():
    assert issubclass(Membership, ChoiceDisplay)
    tenant = [model for model in apps.get_models() if issubclass(model, TenantModel)]
    assert len(tenant) > 30 and all(issubclass(model, ChoiceDisplay) for model in tenant)
    assert len(list(_choice_fields())) > 40


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_every_choice_field_displays_as_django_displays_it(language):
    with translation.override(language):
        for model, field in _choice_fields():
            instance = model()
            for value in [choice for choice, _label in field.flatchoices] + ["not-a-choice", None]:
                setattr(instance, field.attname, value)
                for _ in range(2):  # built the first time, from memory the next
                    ours = getattr(instance, f"get_{field.name}_display")()
                    assert ours == models.Model._get_FIELD_display(instance, field), (model, field.name, value)
                    assert type(ours) is type(models.Model._get_FIELD_display(instance, field))
