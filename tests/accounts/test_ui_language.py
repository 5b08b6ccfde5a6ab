"""The interface speaks the staff member's language: their account's language until they pick one in the header;
role labels, form labels and the programme's name follow the active language."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Region, Role
from tests.factories import make_cpas, make_member, make_signatory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ocmw():
    return make_cpas(name="OCMW Lindenhove", region=Region.FLANDERS, working_languages=["nl", "fr"])


def _member(cpas, role=Role.SOCIAL_WORKER, language=""):
    member = make_member(cpas, role)
    member.user.preferred_language = language
    member.user.save()
    return member


def test_before_choosing_a_language_a_flemish_worker_reads_dutch_and_their_role_in_dutch(ocmw, login):
    client = login(_member(ocmw, language="nl"))
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "nl"
    assert "(Maatschappelijk werker)" in page and "Assistant(e) social(e)" not in page


def test_the_language_picked_in_the_header_wins_over_the_account(ocmw, login, settings):
    client = login(_member(ocmw, language="nl"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("core:home")).content.decode()
    assert "(Assistant(e) social(e))" in page and "Maatschappelijk werker" not in page


def test_an_account_without_a_language_keeps_the_browser_language(ocmw, login):
    response = login(_member(ocmw)).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Chef d&#x27;équipe"), ("nl", "Teamverantwoordelijke"), ("de", "Teamleiter(in)"), ("en", "Team lead")],
)
def test_role_labels_follow_the_active_language_in_header_and_home(ocmw, login, settings, language, label):
    client = login(_member(ocmw, Role.TEAM_LEAD, language="nl"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("core:home")).content.decode()
    assert f"({label})" in page  # "Name (Role)" in the header
    assert page.count(label) >= 2  # and the welcome line


@pytest.mark.parametrize(("language", "label"), [("fr", "Signataire"), ("nl", "Ondertekenaar")])
def test_the_delegation_form_names_the_signatory_field_in_the_active_language(ocmw, login, settings, language, label):
    make_signatory(ocmw, function="bcsd_chair", holder_name="Mia Goossens")
    client = login(_member(ocmw, Role.CPAS_ADMIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("accounts:cpas_settings")).content.decode()
    field = page.split('for="id_delegation-signatory"', 1)[1].split("</label>", 1)[0]
    assert label in field and "Signatory" not in field


@pytest.mark.parametrize(("language", "name"), [("fr", "PIIS"), ("nl", "GPMI"), ("de", "IPSE")])
def test_the_header_names_the_programme_in_the_active_language(ocmw, login, settings, language, name):
    client = login(_member(ocmw))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("core:home")).content.decode()
    brand = page.split('class="brand"', 1)[1].split("</a>", 1)[0]
    assert brand.endswith(f">{name}")
    assert f"· {name}</title>" in page
