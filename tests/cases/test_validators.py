"""National register numbers and BIS numbers (python-stdnum), and the birth date they encode."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from piis.cases.models import Beneficiary
from piis.cases.services import beneficiary_save
from piis.cases.validators import (
    EncodedBirthDate,
    encoded_birth_date,
    normalize_nrn,
    nrn_is_valid,
    nrn_with_check,
    validate_birth_date_agrees,
    validate_nrn,
)
from tests.factories import make_beneficiary

D = datetime.date


def with_check(first_nine: str, *, born_from_2000: bool = False) -> str:
    """Append the modulo-97 check, written out here independently of the code under test."""
    base = int(("2" if born_from_2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


NN_1985 = "85073003328"  # 30 July 1985, serial 033
NN_2017 = "17073003384"  # 30 July 2017: the check is computed on "2" + the nine digits
BIS_SEX_KNOWN = "98472899765"  # month 07 + 40: 28 July 1998
BIS_SEX_UNKNOWN = with_check("982728997")  # month 07 + 20: 28 July 1998


def error_codes(callable_, *args) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        callable_(*args)
    return [error.code for error in caught.value.error_list]


# --- the number alone ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        NN_1985,
        "85.07.30-033.28",
        "85 07 30 033 28",
        NN_2017,
        BIS_SEX_KNOWN,
        BIS_SEX_UNKNOWN,
        "01490700185",  # BIS, sex known, born 7 September 2001
        with_check("850000033"),  # national number, month and day unknown
        with_check("850700033"),  # national number, day unknown
        with_check("000001033"),  # national number, birth date unknown (fictitious 1900/00/01)
        with_check("002001033"),  # BIS, birth date unknown
        with_check("004001033"),  # BIS, birth date unknown, sex known
        with_check("852000033"),  # BIS, month and day unknown
        with_check("854700033"),  # BIS, day unknown
    ],
)
def test_valid_national_and_bis_numbers(number):
    assert nrn_is_valid(number)
    validate_nrn(normalize_nrn(number))


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("85073003329", "nrn_checksum"),
        ("17073003383", "nrn_checksum"),
        # the check of someone born from 2000 on, for a year still to come (2090)
        (with_check("900101001", born_from_2000=True), "nrn_checksum"),
        ("0101010012", "nrn_format"),  # ten digits
        ("850730033281", "nrn_format"),  # twelve digits
        ("abc", "nrn_format"),
        ("", "nrn_format"),
        (with_check("851330033"), "nrn_birth_date"),  # month 13
        (with_check("853330033"), "nrn_birth_date"),  # BIS month 13 + 20
        (with_check("856030033"), "nrn_birth_date"),  # month 60: neither national nor BIS
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, code):
    assert not nrn_is_valid(number)
    assert error_codes(validate_nrn, normalize_nrn(number)) == [code]


def test_numbers_built_for_demo_data_agree_with_the_birth_date_in_both_centuries():
    for birth in (D(1962, 1, 1), D(1985, 7, 30), D(1999, 12, 31), D(2000, 1, 1), D(2007, 2, 28)):
        for serial in (1, 2, 500, 997):
            number = nrn_with_check(birth, serial)
            assert nrn_is_valid(number), number
            assert encoded_birth_date(number) == EncodedBirthDate(birth.year, birth.month, birth.day)
    assert nrn_with_check(D(2003, 4, 5), 12) == with_check("030405012", born_from_2000=True)


# --- what the number says of the birth date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "known"),
    [
        (NN_1985, EncodedBirthDate(1985, 7, 30)),
        (NN_2017, EncodedBirthDate(2017, 7, 30)),
        (with_check("170730033"), EncodedBirthDate(1917, 7, 30)),  # the check tells the century
        (BIS_SEX_KNOWN, EncodedBirthDate(1998, 7, 28)),
        (BIS_SEX_UNKNOWN, EncodedBirthDate(1998, 7, 28)),
        (with_check("850700033"), EncodedBirthDate(1985, 7, None)),
        (with_check("850000033"), EncodedBirthDate(1985, None, None)),
        (with_check("100300033", born_from_2000=True), EncodedBirthDate(2010, 3, None)),
        (with_check("854700033"), EncodedBirthDate(1985, 7, None)),
        (with_check("852000033"), EncodedBirthDate(1985, None, None)),
        (with_check("000001033"), EncodedBirthDate(None, None, None)),
        (with_check("002001033"), EncodedBirthDate(None, None, None)),
        ("85073003329", None),  # not a valid number: nothing is known
    ],
)
def test_the_birth_date_a_number_encodes(number, known):
    assert encoded_birth_date(number) == known


@pytest.mark.parametrize(
    ("number", "birth_date"),
    [
        (NN_1985, D(1985, 7, 30)),
        (NN_2017, D(2017, 7, 30)),
        (BIS_SEX_KNOWN, D(1998, 7, 28)),
        (BIS_SEX_UNKNOWN, D(1998, 7, 28)),
        (with_check("850700033"), D(1985, 7, 14)),  # day unknown: any day of July 1985
        (with_check("850000033"), D(1985, 11, 2)),  # month unknown: any day of 1985
        (with_check("852000033"), D(1985, 11, 2)),
        (with_check("000001033"), D(1971, 5, 6)),  # nothing known
        (with_check("004001033"), D(2004, 5, 6)),
        ("85073003329", D(1990, 1, 1)),  # an invalid number is refused on its own, not compared
    ],
)
def test_birth_dates_that_agree_with_the_number(number, birth_date):
    validate_birth_date_agrees(number, birth_date)


@pytest.mark.parametrize(
    ("number", "birth_date", "shown"),
    [
        (NN_1985, D(1985, 7, 31), "30/07/1985"),
        (NN_1985, D(2085, 7, 30), "30/07/1985"),
        (NN_2017, D(1917, 7, 30), "30/07/2017"),
        (BIS_SEX_KNOWN, D(1998, 8, 28), "28/07/1998"),
        (BIS_SEX_UNKNOWN, D(1998, 7, 27), "28/07/1998"),
        (with_check("850700033"), D(1985, 8, 1), "July 1985"),
        (with_check("854700033"), D(1986, 7, 1), "July 1985"),
        (with_check("850000033"), D(1986, 1, 1), "1985"),
    ],
)
def test_birth_dates_that_disagree_are_refused_on_both_fields_with_what_the_number_says(number, birth_date, shown):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_birth_date_agrees(number, birth_date)
    errors = caught.value.message_dict
    assert set(errors) == {"birth_date", "national_number"}
    assert shown in errors["birth_date"][0]
    assert "does not agree" in errors["national_number"][0]


# --- the form and the service -------------------------------------------------------------------------------------

FORM = {"last_name": "Wauters", "first_name": "Lien", "language": "nl"}


def test_a_bis_number_opens_a_file(cpas_a, worker_a, login):
    data = {**FORM, "birth_date": "1998-07-28", "national_number": "98.47.28-997.65"}
    response = login(worker_a).post(reverse("cases:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Beneficiary.objects.get().national_number == "98472899765"


def test_a_partly_known_birth_date_accepts_any_date_inside_it(cpas_a, worker_a, login):
    data = {**FORM, "birth_date": "1985-07-14", "national_number": with_check("850700033")}
    assert login(worker_a).post(reverse("cases:create"), data).status_code == 302


def test_a_birth_date_that_disagrees_is_refused_and_what_was_typed_is_kept(cpas_a, worker_a, login):
    data = {**FORM, "birth_date": "1985-07-31", "national_number": "85.07.30-033.28", "phone": "0470 12 34 56"}
    response = login(worker_a).post(reverse("cases:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"birth_date", "national_number"} <= set(form.errors)
    assert "30/07/1985" in form.errors["birth_date"][0]
    assert form["birth_date"].value() == "1985-07-31"
    assert form["national_number"].value() == "85.07.30-033.28"
    assert form["phone"].value() == "0470 12 34 56"
    assert not Beneficiary.objects.exists()


def test_an_edit_that_moves_the_birth_date_away_from_the_number_is_refused(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1990, 2, 3))
    data = {**FORM, "birth_date": "1990-02-04", "national_number": beneficiary.national_number}
    response = login(worker_a).post(reverse("cases:edit", args=[beneficiary.pk]), data)
    assert response.status_code == 200 and "birth_date" in response.context["form"].errors
    beneficiary.refresh_from_db()
    assert beneficiary.birth_date == D(1990, 2, 3)


def test_a_refused_number_is_not_compared_with_the_birth_date(cpas_a, worker_a, login):
    """The number already taken is refused for that alone; the old number is not compared with the new date."""
    taken = make_beneficiary(cpas_a, birth_date=D(1970, 6, 6))
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1990, 2, 3))
    data = {**FORM, "birth_date": "1970-06-06", "national_number": taken.national_number}
    form = login(worker_a).post(reverse("cases:edit", args=[beneficiary.pk]), data).context["form"]
    assert list(form.errors) == ["national_number"] and len(form.errors["national_number"]) == 1


def test_a_wrong_check_number_gives_one_message(cpas_a, worker_a, login):
    data = {**FORM, "birth_date": "1985-07-30", "national_number": "85073003329"}
    form = login(worker_a).post(reverse("cases:create"), data).context["form"]
    assert list(form.errors) == ["national_number"] and len(form.errors["national_number"]) == 1


def test_the_service_refuses_a_birth_date_that_disagrees(cpas_a, worker_a):
    beneficiary = Beneficiary(first_name="An", last_name="Peeters", birth_date=D(1985, 7, 29), national_number=NN_1985)
    with pytest.raises(ValidationError) as caught:
        beneficiary_save(membership=worker_a, beneficiary=beneficiary)
    assert {"birth_date", "national_number"} <= set(caught.value.message_dict)
    assert not Beneficiary.objects.exists()
