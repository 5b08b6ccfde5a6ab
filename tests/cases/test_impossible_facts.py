"""The file refuses facts that cannot be: a birth in the future, a decision before the birth or centuries ahead, a
date before the law, a negative amount — each with a translated message on its field, nothing written."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from piis.cases.models import Beneficiary, Exemption, HouseholdMember, IncomePeriod, NeedsAssessment, RiDecision
from piis.cases.validators import nrn_with_check
from tests.cases.test_file_records import RI_DATA
from tests.cases.test_validators import with_check
from tests.factories import make_beneficiary, make_ri_decision

D = datetime.date
pytestmark = pytest.mark.django_db

TODAY = D(2026, 3, 1)
NOTHING_KNOWN = with_check("000001033")  # a BIS number that tells nothing of the birth date
FILE = {"last_name": "Wauters", "first_name": "Lien", "language": "nl"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _errors(response, field):
    assert response.status_code == 200, "the form was accepted"
    return response.context["form"].errors.get(field, [])


def _record_url(beneficiary, kind):
    return reverse("cases:record_create", args=[beneficiary.pk, kind])


# --- births ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3000-01-01", "A date of birth cannot be in the future."),
        ("2026-03-02", "A date of birth cannot be in the future."),
        ("1900-01-01", "A date of birth before 01/03/1906 is not plausible: check the year."),
        ("0001-01-01", "A date of birth before 01/03/1906 is not plausible: check the year."),
    ],
)
def test_a_birth_date_in_the_future_or_absurdly_old_is_refused(worker_a, login, typed, message):
    data = {**FILE, "birth_date": typed, "national_number": NOTHING_KNOWN}
    with translation.override("en"):
        response = login(worker_a).post(reverse("cases:create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert _errors(response, "birth_date") == [message]
    assert not Beneficiary.objects.exists()


def test_a_birth_date_today_or_long_ago_but_plausible_is_accepted(worker_a, login):
    for birth, serial in ((TODAY, 1), (D(1930, 5, 5), 3)):
        data = {**FILE, "birth_date": birth.isoformat(), "national_number": nrn_with_check(birth, serial)}
        assert login(worker_a).post(reverse("cases:create"), data).status_code == 302
    assert Beneficiary.objects.count() == 2


def test_the_birth_date_cannot_be_moved_after_the_files_ri_decision(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2001, 1, 1), national_number=NOTHING_KNOWN)
    make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2026, 1, 10))
    data = {**FILE, "birth_date": "2026-02-01", "national_number": NOTHING_KNOWN}
    with translation.override("en"):
        response = login(worker_a).post(reverse("cases:edit", args=[beneficiary.pk]), data)
        assert _errors(response, "birth_date") == ["The date of birth cannot be after the RI decision of 10/01/2026."]
    beneficiary.refresh_from_db()
    assert beneficiary.birth_date == D(2001, 1, 1)


def test_a_household_member_cannot_be_born_in_the_future(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    data = {"name": "Noa", "relation": "child", "birth_date": "3000-01-01"}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "household"), data)
        assert _errors(response, "birth_date") == ["A date of birth cannot be in the future."]
    assert not HouseholdMember.objects.exists()


# --- RI decisions ---------------------------------------------------------------------------------------------------


def test_an_ri_decision_before_the_birth_is_refused(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2008, 6, 1), national_number=NOTHING_KNOWN)
    data = {**RI_DATA, "requested_on": "2008-05-01", "decided_on": "2008-05-10", "start_on": "2008-06-01"}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "ri"), data)
        errors = response.context["form"].errors
    assert errors["decided_on"] == ["This date is before the person's birth (01/06/2008)."]
    assert errors["requested_on"] == ["This date is before the person's birth (01/06/2008)."]
    assert "start_on" not in errors
    assert not RiDecision.objects.exists()


def test_an_ri_decision_in_3000_is_refused_and_cannot_turn_the_obligation_off(cpas_a, worker_a, login):
    """A 26-year-old's decision dated in 3000 would have the obligation assessed then; it is never stored."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2000, 1, 1), national_number=NOTHING_KNOWN)
    data = {**RI_DATA, "decided_on": "3000-01-10", "notified_on": ""}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "ri"), data)
        assert _errors(response, "decided_on") == [
            "This date is too far ahead: choose a date on or before 01/04/2026."
        ]
    assert not RiDecision.objects.exists()


def test_an_ri_decision_recorded_a_little_ahead_of_its_date_is_still_accepted(cpas_a, worker_a, login):
    """Recording a decision before its date (the council meets next week) stays possible, within a month."""
    beneficiary = make_beneficiary(cpas_a)
    data = {**RI_DATA, "requested_on": "2026-02-20", "decided_on": "2026-03-20", "notified_on": "2026-03-25",
            "start_on": "2026-03-01"}  # fmt: skip
    response = login(worker_a).post(_record_url(beneficiary, "ri"), data)
    assert response.status_code == 302
    assert RiDecision.objects.get().decided_on == D(2026, 3, 20)


def test_a_request_cannot_be_recorded_ahead_it_has_happened(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    data = {**RI_DATA, "requested_on": "2026-03-05", "decided_on": "2026-03-10", "notified_on": ""}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "ri"), data)
        assert _errors(response, "requested_on") == ["This date is in the future: record it once it has happened."]


@pytest.mark.parametrize("typed", ["1900-01-01", "0001-01-01", "2002-09-30"])
def test_a_decision_before_the_law_is_refused_and_the_message_says_so(cpas_a, worker_a, login, typed):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1960, 1, 1), national_number=NOTHING_KNOWN)
    data = {**RI_DATA, "requested_on": typed, "decided_on": typed, "start_on": typed, "notified_on": ""}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "ri"), data)
        [message] = _errors(response, "decided_on")
    assert "01/10/2002" in message and "law" in message
    assert not RiDecision.objects.exists()


def test_a_negative_amount_gets_a_translated_message_never_the_constraint_name(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    client = login(worker_a)
    for language, expected in (("en", "An amount cannot be negative."), ("fr", None)):
        with translation.override(language):
            response = client.post(
                _record_url(beneficiary, "ri"), {**RI_DATA, "monthly_amount": "-5"}, HTTP_ACCEPT_LANGUAGE=language
            )
            [message] = _errors(response, "monthly_amount")
        assert "ri_amount_not_negative" not in response.content.decode()
        assert "ri_amount_not_negative" not in message and "Constraint" not in message
        if expected:
            assert message == expected
    assert not RiDecision.objects.exists()


# --- earlier periods, exemptions, assessments -------------------------------------------------------------------


def test_an_earlier_period_before_the_birth_is_refused(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2005, 1, 1), national_number=NOTHING_KNOWN)
    data = {"kind": "ri", "start_on": "2004-01-01", "end_on": "2005-06-30"}
    with translation.override("en"):
        response = login(worker_a).post(_record_url(beneficiary, "period"), data)
        assert _errors(response, "start_on") == ["This date is before the person's birth (01/01/2005)."]
    assert not IncomePeriod.objects.exists()


def test_an_exemption_decided_centuries_ahead_or_reviewed_in_9999_is_refused(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    data = {
        "ground": "health",
        "motivation": "Hospitalisation",
        "decided_on": "3000-01-01",
        "decided_by": "Comité spécial",
        "start_on": "2026-02-01",
        "review_on": "9999-12-31",
    }
    response = login(worker_a).post(_record_url(beneficiary, "exemption"), data)
    errors = response.context["form"].errors
    assert {"decided_on", "review_on"} <= set(errors)
    assert not Exemption.objects.exists()


def test_a_needs_assessment_cannot_be_dated_in_the_future(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    data = {
        "assessment-assessed_on": "2026-04-01",
        "assessment-author": worker_a.user_id,
        "assessment-own_words": "Je veux travailler.",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    response = login(worker_a).post(reverse("cases:assessment_create", args=[beneficiary.pk]), data)
    assert "assessed_on" in response.context["form"].errors
    assert not NeedsAssessment.objects.exists()
