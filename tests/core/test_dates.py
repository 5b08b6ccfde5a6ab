"""Plausible date ranges (piis.core.dates) and the one form field that applies them (piis.core.forms), on every
date field of every form of piis."""

import datetime
import importlib
import pkgutil

import pytest
import time_machine
from django import forms
from django.utils import translation

import piis
from piis.core.dates import (
    OLDEST_AGE_YEARS,
    PLANNING_HORIZON_YEARS,
    RECORD_AHEAD_DAYS,
    DateKind,
    date_problem,
    date_range,
    law_first_date,
)
from piis.core.forms import RangedDateField, RangedDateInput, refuse_before
from piis.rules import PARAMETERS, Parameter, add_years

D = datetime.date
TODAY = D(2026, 11, 27)


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in piis: all of its modules imported (settings and migrations aside)."""
    for module in pkgutil.walk_packages(piis.__path__, "piis."):
        name = module.name
        if ".migrations" in name or name.startswith(("piis.settings", "piis.wsgi", "piis.asgi")):
            continue
        importlib.import_module(name)
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("piis.") and "base_fields" in dir(cls):
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


# --- the law's first date -------------------------------------------------------------------------------------------


def test_the_law_first_date_is_the_earliest_parameter_in_force_not_a_year_written_here():
    effective = [day for p in PARAMETERS.values() if p.flag is None for day, _value in p.values]
    assert law_first_date() == min(effective)
    assert law_first_date() == D(2002, 10, 1)  # the DIS law (piis-rules.md §0.1), as the table says today


@pytest.mark.parametrize(("flag", "expected"), [("some_flag", D(2002, 10, 1)), (None, D(1990, 1, 1))])
def test_the_first_date_follows_the_table_and_ignores_values_not_yet_adopted(monkeypatch, flag, expected):
    earlier = Parameter(
        "PX99", "test_earlier", "test", "count", ((D(1990, 1, 1), 1),), ("R1",), ("S",), "low", flag=flag
    )
    monkeypatch.setitem(PARAMETERS, earlier.name, earlier)
    law_first_date.cache_clear()
    try:
        assert law_first_date() == expected
    finally:
        monkeypatch.undo()
        law_first_date.cache_clear()


# --- the range of each kind -----------------------------------------------------------------------------------------


def test_each_kind_of_date_has_its_range():
    birth = date_range(DateKind.BIRTH, today=TODAY)
    assert (birth.earliest, birth.latest) == (add_years(TODAY, -OLDEST_AGE_YEARS), TODAY)
    happened = date_range(DateKind.HAPPENED, today=TODAY)
    assert (happened.earliest, happened.latest) == (law_first_date(), TODAY)
    decided = date_range(DateKind.DECIDED, today=TODAY)
    assert decided.latest == TODAY + datetime.timedelta(days=RECORD_AHEAD_DAYS)
    planned = date_range(DateKind.PLANNED, today=TODAY)
    assert (planned.earliest, planned.latest) == (law_first_date(), add_years(TODAY, PLANNING_HORIZON_YEARS))


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        (DateKind.BIRTH, D(3000, 1, 1), "BIRTH_IN_FUTURE"),
        (DateKind.BIRTH, TODAY + datetime.timedelta(days=1), "BIRTH_IN_FUTURE"),
        (DateKind.BIRTH, D(1, 1, 1), "BIRTH_TOO_OLD"),
        (DateKind.BIRTH, D(1900, 1, 1), "BIRTH_TOO_OLD"),
        (DateKind.HAPPENED, D(1900, 1, 1), "DATE_BEFORE_LAW"),
        (DateKind.HAPPENED, D(2002, 9, 30), "DATE_BEFORE_LAW"),
        (DateKind.HAPPENED, TODAY + datetime.timedelta(days=1), "DATE_IN_FUTURE"),
        (DateKind.HAPPENED, D(9999, 12, 31), "DATE_IN_FUTURE"),
        (DateKind.DECIDED, D(3000, 1, 1), "DATE_TOO_FAR_AHEAD"),
        (DateKind.DECIDED, D(1, 1, 1), "DATE_BEFORE_LAW"),
        (DateKind.PLANNED, D(2100, 1, 1), "DATE_TOO_FAR_AHEAD"),
        (DateKind.PLANNED, D(1999, 1, 1), "DATE_BEFORE_LAW"),
    ],
)
def test_a_date_outside_its_range_is_refused_with_a_catalogue_code(kind, value, code):
    problem = date_problem(kind, value, today=TODAY)
    assert problem is not None and problem.code == code


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (DateKind.BIRTH, D(1990, 1, 1)),
        (DateKind.BIRTH, TODAY),
        (DateKind.HAPPENED, D(2002, 10, 1)),
        (DateKind.HAPPENED, TODAY),
        (DateKind.DECIDED, TODAY + datetime.timedelta(days=RECORD_AHEAD_DAYS)),  # recorded ahead, as today
        (DateKind.PLANNED, D(2030, 6, 30)),
    ],
)
def test_a_plausible_date_passes(kind, value):
    assert date_problem(kind, value, today=TODAY) is None


def test_the_message_before_the_law_names_its_first_date():
    problem = date_problem(DateKind.HAPPENED, D(1900, 1, 1), today=TODAY)
    with translation.override("en"):
        assert "01/10/2002" in problem.message and "law" in problem.message


# --- the form field -------------------------------------------------------------------------------------------------


class _Form(forms.Form):
    on = RangedDateField(kind=DateKind.HAPPENED)
    start = RangedDateField(kind=DateKind.PLANNED, required=False)


@time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("typed", ["1900-01-01", "0001-01-01", "9999-12-31", "3000-01-01"])
def test_the_field_refuses_an_implausible_date_with_the_message(typed):
    form = _Form({"on": typed})
    assert not form.is_valid()
    assert form.errors["on"][0] in {
        date_problem(DateKind.HAPPENED, datetime.date.fromisoformat(typed), today=TODAY).message
    }


@time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC), tick=False)
def test_the_field_accepts_a_date_in_range_and_an_empty_optional_one():
    form = _Form({"on": "2026-11-27", "start": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"on": TODAY, "start": None}


@time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC), tick=False)
def test_the_browser_input_offers_only_the_range_computed_on_the_day_it_is_shown():
    html = str(_Form()["on"])
    assert 'type="date"' in html and 'min="2002-10-01"' in html and 'max="2026-11-27"' in html
    with time_machine.travel(datetime.datetime(2027, 1, 5, 12, tzinfo=datetime.UTC), tick=False):
        assert 'max="2027-01-05"' in str(_Form()["on"])


def test_a_date_before_another_is_refused_on_its_field():
    form = _Form({"on": "2026-01-01"})
    form.is_valid()
    refuse_before(form, "on", D(2026, 2, 1), "DATE_BEFORE_BIRTH")
    assert "01/02/2026" in form.errors["on"][0]
    other = _Form({"on": "2026-03-01"})
    other.is_valid()
    refuse_before(other, "on", D(2026, 2, 1), "DATE_BEFORE_BIRTH")
    refuse_before(other, "on", None, "DATE_BEFORE_BIRTH")
    assert other.is_valid()


# --- every date field of every form ---------------------------------------------------------------------------------


def test_the_scan_finds_the_forms_of_every_app():
    names = {cls.__name__ for cls in form_classes()}
    assert {"BeneficiaryForm", "RiDecisionForm", "MeetingRequestForm", "SignatureForm", "AuditFilterForm"} <= names
    assert {"ContractHeaderForm", "DelegationForm", "EvaluationForm"} <= names


def test_every_date_field_of_every_form_has_a_plausible_range():
    """A new date field cannot forget its range: declare it as RangedDateField(kind=…), or name it in the
    ModelForm's `Meta.formfield_callback = model_form_fields(<field>=DateKind.…)`."""
    missing = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
        and not (isinstance(field, RangedDateField) and isinstance(field.widget, RangedDateInput))
    ]
    assert missing == []
    ranged = [f for cls in form_classes() for f in cls.base_fields.values() if isinstance(f, RangedDateField)]
    assert len(ranged) >= 30  # the scan saw the forms' date fields
