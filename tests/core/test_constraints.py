"""Database constraints speak the error vocabulary (piis.core.constraints): a translated message on the field it
concerns, never the constraint's name — from a form, a service's full_clean or the database itself."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from piis.audit.models import AuditEvent
from piis.cases.models import RiDecision
from piis.cases.services import file_record_save
from piis.core.constraints import (
    CONSTRAINT_ERRORS,
    constraint_name,
    constraint_service_error,
    constraint_validation_error,
)
from piis.core.error_catalogue import CATALOGUE
from piis.core.errors import ServiceError
from tests.factories import make_beneficiary, make_closure_day, make_ri_decision

D = datetime.date
pytestmark = pytest.mark.django_db


def _all_constraints():
    return [(model, c) for model in apps.get_models() for c in model._meta.constraints]


def test_every_constraint_of_every_model_has_a_catalogue_code():
    names = {c.name for model, c in _all_constraints() if model.__module__.startswith("piis.")}
    assert "ri_amount_not_negative" in names and len(names) >= 20
    assert sorted(names - set(CONSTRAINT_ERRORS)) == []
    assert {entry.code for entry in CONSTRAINT_ERRORS.values()} - set(CATALOGUE) == set()


def test_every_field_named_by_the_mapping_is_a_field_of_a_model_with_that_constraint():
    for model, constraint in _all_constraints():
        entry = CONSTRAINT_ERRORS.get(constraint.name)
        if entry is not None and entry.field is not None:
            model._meta.get_field(entry.field)  # FieldDoesNotExist otherwise


def test_full_clean_puts_the_catalogue_message_on_the_field_not_the_constraint_name(cpas_a):
    decision = make_ri_decision(cpas_a)
    decision.monthly_amount = Decimal("-5")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        decision.full_clean()
    assert caught.value.message_dict == {"monthly_amount": ["An amount cannot be negative."]}
    assert caught.value.error_dict["monthly_amount"][0].code == "AMOUNT_NEGATIVE"


def test_a_constraint_on_a_field_the_form_does_not_show_is_a_message_for_the_whole_form(cpas_a):
    key, error = constraint_validation_error("ri_amount_not_negative", exclude={"monthly_amount"})
    assert key == NON_FIELD_ERRORS and error.code == "AMOUNT_NEGATIVE"
    key, error = constraint_validation_error("contract_one_open_per_beneficiary")
    assert key == NON_FIELD_ERRORS and error.code == "ONE_OPEN_CONTRACT"


def test_a_unique_constraint_says_what_is_taken(cpas_a):
    closure = make_closure_day(cpas_a, day=D(2026, 12, 24))
    duplicate = type(closure)(cpas=cpas_a, day=closure.day, label="again")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        duplicate.validate_constraints()
    assert caught.value.message_dict == {"day": ["This day is already a closure day."]}


def test_an_unmapped_constraint_gets_a_generic_message_never_its_name(caplog):
    with translation.override("en"):
        key, error = constraint_validation_error("some_new_constraint")
    assert key == NON_FIELD_ERRORS and "some_new_constraint" not in error.messages[0]
    assert "some_new_constraint" in caplog.text  # logged for the developers


def test_the_database_refusal_names_its_constraint_on_every_backend(cpas_a):
    decision = make_ri_decision(cpas_a)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        RiDecision.objects.filter(pk=decision.pk).update(monthly_amount=Decimal("-1"))
    assert constraint_name(caught.value) == "ri_amount_not_negative"
    beneficiary = make_beneficiary(cpas_a)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make_beneficiary(cpas_a, national_number=beneficiary.national_number, birth_date=beneficiary.birth_date)
    assert constraint_name(caught.value) == "beneficiary_nrn_unique_per_cpas"
    error = constraint_service_error(caught.value)
    assert (error.code, error.field) == ("FILE_NUMBER_EXISTS", "national_number")


def test_an_unknown_database_error_is_not_turned_into_a_message():
    assert constraint_service_error(IntegrityError("something else")) is None
    assert constraint_service_error(ValidationError({"name": ValidationError("x", code="blank")})) is None
    coded = constraint_service_error(
        ValidationError({NON_FIELD_ERRORS: ValidationError("x", code="ONE_OPEN_CONTRACT")})
    )
    assert (coded.code, coded.field) == ("ONE_OPEN_CONTRACT", None)


def test_a_write_the_database_refuses_reaches_the_service_as_a_service_error(cpas_a, worker_a, monkeypatch):
    """Two users at once: the form and full_clean saw no conflict, the database refuses; nothing is written."""
    beneficiary = make_beneficiary(cpas_a)
    decision = RiDecision(
        category=1,
        requested_on=D(2026, 1, 5),
        decided_on=D(2026, 1, 10),
        start_on=D(2026, 1, 5),
        monthly_amount=Decimal("-10"),
    )
    monkeypatch.setattr(RiDecision, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ServiceError) as caught:
        file_record_save(membership=worker_a, beneficiary=beneficiary, record=decision)
    assert (caught.value.code, caught.value.field) == ("AMOUNT_NEGATIVE", "monthly_amount")
    assert not RiDecision.objects.exists() and not AuditEvent.objects.filter(target_type="cases.ridecision").exists()
