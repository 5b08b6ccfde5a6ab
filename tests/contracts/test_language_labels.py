"""What the contract pages and the PDF say in the reader's language: the contract's language by name, the
programme's name per language (PIIS, GPMI, IPSE), a noun over the diff's "what changed" column."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from piis.contracts.pdf import pdf_context
from piis.contracts.services.lifecycle import contract_hand_over
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_amendment_lifecycle import change_cpas_clause, start_and_hand_over
from tests.contracts.test_lifecycle import in_force, matrix  # noqa: F401
from tests.factories import make_clause_template

D = datetime.date
pytestmark = pytest.mark.django_db


def _get(client, settings, language, url) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize(("language", "name"), [("fr", "Néerlandais"), ("nl", "Nederlands"), ("en", "Dutch")])
def test_the_version_page_names_the_contracts_language(cpas_a, worker_a, login, settings, language, name):
    contract = drafted_contract(cpas_a, language="nl")
    version = contract_hand_over(
        membership=worker_a, contract=contract, handed_over_on=D(2026, 3, 2), today=D(2026, 3, 2)
    )
    page = _get(login(worker_a), settings, language, reverse("contracts:version", args=[contract.pk, version.pk]))
    language_row = page.split("<dd>", 3)[2]  # handed over on, then the language
    assert name in language_row and "NL" not in language_row


@pytest.mark.parametrize(("language", "name"), [("fr", "Allemand"), ("nl", "Duits")])
def test_the_clause_library_names_each_template_language(cpas_a, worker_a, login, settings, language, name):
    make_clause_template(cpas_a, language="de", title="Einschreibung", text="Das ÖSHZ zahlt die Gebühren.")
    page = _get(login(worker_a), settings, language, reverse("contracts:library"))
    row = page.split("Einschreibung", 1)[1].split("</tr>", 1)[0]
    assert f"<td>{name}</td>" in row and "<td>DE</td>" not in row


def test_the_diffs_column_is_not_the_verb_change(cpas_a, worker_a, matrix, login, settings):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    url = reverse("contracts:version", args=[contract.pk, version.pk])
    client = login(worker_a)
    for language, verb in (("fr", "Changer"), ("nl", "Wijzigen")):
        page = _get(client, settings, language, url)
        headers = [cell.split("</th>", 1)[0].strip() for cell in page.split('<th scope="col">')[1:]]
        assert headers, "the diff has column headers"
        assert verb not in headers  # the infinitive of the language switcher's button, not a column's name


@pytest.mark.parametrize(("language", "programme"), [("fr", "PIIS"), ("nl", "GPMI"), ("de", "IPSE")])
def test_the_pdf_footer_names_the_programme_in_the_contracts_language(cpas_a, worker_a, language, programme):
    contract = drafted_contract(cpas_a, language=language)
    version = contract_hand_over(
        membership=worker_a, contract=contract, handed_over_on=D(2026, 3, 2), today=D(2026, 3, 2)
    )
    with translation.override(version.language):
        html = render_to_string("contracts/pdf/contract.html", pdf_context(version))
    footer = html.split("@bottom-left", 1)[1].split(";", 1)[0]
    assert f"· {programme} v1" in footer


@pytest.mark.parametrize(("language", "programme"), [("fr", "PIIS"), ("nl", "GPMI")])
def test_a_contract_is_named_after_the_programme_in_the_active_language(cpas_a, language, programme):
    contract = drafted_contract(cpas_a)
    with translation.override(language):
        assert str(contract).startswith(f"{programme} MARTIN Alex (")
