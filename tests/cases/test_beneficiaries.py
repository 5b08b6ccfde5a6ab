import datetime

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.cases.models import Beneficiary
from piis.cases.selectors import beneficiary_list
from piis.cases.validators import mask_nrn, nrn_is_valid, nrn_with_check
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("85.07.30-033.28", True),  # born in the 1900s: 97 - 850730033 % 97 = 28
        ("85073003328", True),
        ("85073003329", False),
        ("0101010012", False),  # ten digits
        ("abc", False),
    ],
)
def test_national_number_checksum(number, valid):
    assert nrn_is_valid(number) is valid


def test_national_number_of_people_born_from_2000_uses_the_2_prefix():
    number = nrn_with_check(datetime.date(2003, 4, 5), 12)
    assert nrn_is_valid(number)
    assert int(number[9:]) == 97 - int("2" + number[:9]) % 97


def test_lists_show_only_the_last_digits():
    assert mask_nrn("85073003328") == "•••••••3328"


def test_search_by_name_ignores_case_and_accents(cpas_a, worker_a):
    make_beneficiary(cpas_a, last_name="Dupré", first_name="Léa")
    make_beneficiary(cpas_a, last_name="Janssens", first_name="Jan")
    found = beneficiary_list(membership=worker_a, query="dupre lea")
    assert [b.last_name for b in found] == ["Dupré"]


def test_search_by_national_number_prefix(cpas_a, worker_a):
    target = make_beneficiary(cpas_a)
    make_beneficiary(cpas_a, birth_date=datetime.date(1970, 6, 6))
    assert list(beneficiary_list(membership=worker_a, query=target.national_number[:8])) == [target]


def test_list_never_shows_another_cpas_files(cpas_a, cpas_b, worker_a, login):
    make_beneficiary(cpas_b, last_name="Hidden")
    make_beneficiary(cpas_a, last_name="Visible")
    page = login(worker_a).get(reverse("cases:list")).content.decode()
    assert "VISIBLE" in page and "HIDDEN" not in page


def test_list_page_runs_a_bounded_number_of_queries(cpas_a, worker_a, login, django_assert_max_num_queries):
    other_worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    for i in range(60):
        make_beneficiary(cpas_a, social_worker=(worker_a.user if i % 2 else other_worker.user))
    client = login(worker_a)
    with django_assert_max_num_queries(13):  # 12, and the session's second-factor device (issue 16)
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 60


def test_htmx_search_returns_only_the_rows(cpas_a, worker_a, login):
    make_beneficiary(cpas_a, last_name="Lambert")
    response = login(worker_a).get(reverse("cases:list"), {"q": "lamb"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "LAMBERT" in body and "<html" not in body


def test_invalid_national_number_is_refused_on_the_field_and_input_kept(cpas_a, worker_a, login):
    data = {"last_name": "Wauters", "first_name": "Lien", "birth_date": "1990-02-03", "national_number": "12345678901"}
    response = login(worker_a).post(reverse("cases:create"), {**data, "language": "nl"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "national_number" in form.errors
    assert form["last_name"].value() == "Wauters" and form["first_name"].value() == "Lien"
    assert not Beneficiary.objects.exists()


def test_duplicate_national_number_in_same_cpas_is_refused(cpas_a, worker_a, login):
    existing = make_beneficiary(cpas_a)
    data = {
        "last_name": "X",
        "first_name": "Y",
        "birth_date": "1990-01-01",
        "national_number": existing.national_number,
        "language": "fr",
    }
    response = login(worker_a).post(reverse("cases:create"), data)
    assert "national_number" in response.context["form"].errors


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SOCIAL_WORKER, 200),
        (Role.TEAM_LEAD, 200),
        (Role.DIRECTOR, 200),
        (Role.COUNCIL_SECRETARY, 200),
        (Role.COUNCIL_MEMBER, 403),
        (Role.CPAS_ADMIN, 403),
        (Role.DPO, 403),
    ],
)
def test_who_may_list_files(role, status, cpas_a, login):
    assert login(make_member(cpas_a, role)).get(reverse("cases:list")).status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.SOCIAL_WORKER, 200), (Role.DIRECTOR, 403)])
def test_who_may_create_files(role, status, cpas_a, login):
    assert login(make_member(cpas_a, role)).get(reverse("cases:create")).status_code == status


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
