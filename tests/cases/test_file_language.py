"""A new file speaks the CPAS's first working language (a Flemish OCMW's files are Dutch unless the worker says
otherwise), the choice is shown on the form, and the PIIS is then printed in it."""

import datetime
import re

import pytest
from django.urls import reverse

from piis.accounts.enums import Region, Role
from piis.cases.forms import BeneficiaryForm
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check
from tests.factories import make_beneficiary, make_cpas, make_member

pytestmark = pytest.mark.django_db


def _selected_language(page: str) -> list[str]:
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the form has a language field"
    return re.findall(r'<option value="(\w+)"[^>]*\bselected\b', select.group(1))


@pytest.mark.parametrize(
    ("region", "languages", "expected"),
    [
        (Region.FLANDERS, ["nl", "fr"], "nl"),
        (Region.WALLONIA, ["fr"], "fr"),
        (Region.GERMAN_COMMUNITY, ["de", "fr"], "de"),
        (Region.BRUSSELS, ["fr", "nl"], "fr"),
    ],
)
def test_new_file_form_preselects_the_cpas_first_working_language(region, languages, expected, login):
    cpas = make_cpas(region=region, working_languages=languages)
    page = login(make_member(cpas, Role.SOCIAL_WORKER)).get(reverse("cases:create")).content.decode()
    assert _selected_language(page) == [expected]
    assert 'id="id_language_help"' in page  # what the language is for is said next to the choice


def test_a_file_created_in_a_flemish_ocmw_as_offered_is_dutch_and_its_piis_too(login):
    cpas = make_cpas(region=Region.FLANDERS, working_languages=["nl", "fr"])
    worker = make_member(cpas, Role.SOCIAL_WORKER)
    form = BeneficiaryForm(cpas=cpas)
    data = {
        "last_name": "Peeters",
        "first_name": "Lien",
        "birth_date": "1990-04-05",
        "national_number": nrn_with_check(datetime.date(1990, 4, 5), 12),
        "language": form["language"].value(),  # what the form offers, left as it is
        "social_worker": worker.user.pk,
    }
    response = login(worker).post(reverse("cases:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Beneficiary.objects.get().language == "nl"


def test_editing_a_file_keeps_its_own_language(login):
    cpas = make_cpas(region=Region.FLANDERS, working_languages=["nl", "fr"])
    worker = make_member(cpas, Role.SOCIAL_WORKER)
    file = make_beneficiary(cpas, language="fr")
    page = login(worker).get(reverse("cases:edit", args=[file.pk])).content.decode()
    assert _selected_language(page) == ["fr"]


def test_an_explicit_initial_language_is_kept():
    cpas = make_cpas(region=Region.FLANDERS, working_languages=["nl"])
    assert BeneficiaryForm(cpas=cpas, initial={"language": "de"})["language"].value() == "de"
