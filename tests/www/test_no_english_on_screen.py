"""The main staff pages, rendered in French and in Dutch as the roles that use them, show no English UI word.

The data is neutral: Dutch and French texts, names that are no English word, so that a hit is an untranslated
string of the application (a msgid without translation, a label that is not marked for translation, a raw value).
"""

import datetime
import html
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from piis.accounts.enums import Region, Role
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.services.lifecycle import (
    contract_hand_over,
    contract_sign,
    contract_start_amendment,
    version_record_information,
)
from tests.factories import (
    make_assessment,
    make_assessment_item,
    make_assistant,
    make_beneficiary,
    make_clause,
    make_clause_template,
    make_closure_day,
    make_contract,
    make_cpas,
    make_delegation,
    make_exemption,
    make_household_member,
    make_income_period,
    make_member,
    make_objective,
    make_ri_decision,
    make_signatory,
    make_step,
    make_third_party,
)
from tests.followup.builders import at, make_evaluation, make_meeting_request

D = datetime.date
TODAY = D(2026, 6, 20)
pytestmark = pytest.mark.django_db

# Common English words of a user interface that are neither French nor Dutch words ("is", "of", "in", "on", "an",
# "or", "contract", "date", "page", "status", "team", "open", "per", "change", "version", "signature", "audit",
# "export", "agenda", "type", "total", "item", "notes", "week" are, and stay out).
ENGLISH = frozenset(
    """
    the and with without add edit delete remove save cancel search next previous back show hide view list new
    signatory signatories required optional not none yes late overdue due days day weeks month months year
    years from this that these those your you for to by at its it be been has have had will would should must
    cannot can could which when where what who whom there here since until before after more less only each other
    also any all some than then file files record recorded added removed changed updated deleted draft drafts
    amended amendment commitments commitment objectives objective steps step home settings language languages
    name role roles user users login logout sign signed unsigned received pending ready missing reason reasons
    """.split()  # noqa: SIM905 — a paragraph of words reads better than a list of 130 strings
)

# Not read as words: scripts and styles, and <code>, which shows identifiers on purpose (a field's name in the
# audit trail when its model gives it no translated name, the path a request came from).
HIDDEN_ELEMENTS = {"script", "style", "template", "code"}
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # "week-ends", "aujourd'hui" are one word
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """What a person sees or hears: text nodes outside script/style/code, and the attributes read out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        values = dict(attrs)
        self.chunks += [values[name] for name in READ_ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.chunks.append(values["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def english_words(page: str) -> list[str]:
    """[text chunk] of every visible text that holds a word of ENGLISH."""
    parser = _Text()
    parser.feed(page)
    return [
        html.unescape(chunk) for chunk in parser.chunks if any(word.lower() in ENGLISH for word in WORD.findall(chunk))
    ]


def test_the_detector_finds_english_and_ignores_markup():
    page = """<html><head><title>Dossiers</title><style>.the { color: red }</style></head><body>
    <script>var required = "the";</script><h1 class="and">Nieuw dossier</h1><p>Add a file</p>
    <button aria-label="Delete">×</button><input type="submit" value="Opslaan"><p>Le contrat est signé</p>
    <p>Pas les week-ends</p><code>signed_on</code><p>Signatory</p></body>"""
    assert english_words(page) == ["Add a file", "Delete", "Signatory"]


# --- a Flemish OCMW with every kind of record the main pages show ------------------------------------------------


def _person(cpas, worker, last, first, decided_on):
    beneficiary = make_beneficiary(cpas, last_name=last, first_name=first, language="nl", social_worker=worker.user)
    decision = make_ri_decision(cpas, beneficiary=beneficiary, decided_on=decided_on)
    return beneficiary, decision


def _drafted(cpas, worker, beneficiary, decision, *, third_party=False):
    assessment = make_assessment(
        cpas, beneficiary=beneficiary, author=worker.user, assessed_on=decision.decided_on, own_words="Ik wil werken."
    )
    contract = make_contract(cpas, ri_decision=decision, social_worker=worker.user, assessment=assessment)
    need = make_assessment_item(cpas, assessment=assessment, text="Werken in de logistiek")
    make_assessment_item(
        cpas,
        assessment=assessment,
        domain="health",
        kind="obstacle",
        text="Rugpijn",
        justification="Nodig voor de planning",
        consent_given=True,
    )
    objective = make_objective(
        cpas,
        contract=contract,
        title="Een opleiding volgen",
        observable_result="Attest van de opleiding",
        due_on=decision.decided_on + datetime.timedelta(days=170),
    )
    objective.assessment_items.add(need)
    make_step(
        cpas,
        objective=objective,
        description="Twee centra bezoeken",
        due_on=decision.decided_on + datetime.timedelta(60),
    )
    make_clause(cpas, contract=contract, objective=objective, kind="training", text="Ik volg de opleiding.")
    make_clause(
        cpas,
        contract=contract,
        objective=objective,
        party="cpas",
        kind="cost_coverage",
        text="Het OCMW betaalt het inschrijvingsgeld.",
        proposed_by="cpas",
    )
    if third_party:
        third = make_third_party(cpas, contract=contract, name="Opleidingscentrum Kompas", signatory_name="Kompas")
        make_clause(
            cpas,
            contract=contract,
            objective=objective,
            party="third_party",
            third_party=third,
            kind="training",
            text="Het centrum begeleidt de persoon.",
            proposed_by="cpas",
        )
    return contract


def _sign_all(worker, version, matrix, on):
    contract_sign(membership=worker, version=version, signer="beneficiary", signed_on=on, method="paper", today=on)
    for line in matrix:
        contract_sign(
            membership=worker, version=version, signer=f"signatory:{line.pk}", signed_on=on, method="paper", today=on
        )


def _inform(worker, version, on):
    version_record_information(
        membership=worker, version=version, given_on=on, rights=list(RIGHT_CODES), assistance="declined", today=on
    )


@pytest.fixture
def ocmw():
    """A Flemish OCMW (Dutch, then French) with files and contracts in each state the pages show."""
    cpas = make_cpas(name="OCMW Lindenhove", region=Region.FLANDERS, working_languages=["nl", "fr"])
    people = {}
    for role, (first, last) in {
        Role.SOCIAL_WORKER: ("Kato", "Peeters"),
        Role.TEAM_LEAD: ("Lien", "Claes"),
        Role.CPAS_ADMIN: ("Rik", "Maes"),
        Role.DPO: ("Noor", "Wouters"),
        Role.DIRECTOR: ("Jef", "Janssens"),
    }.items():
        member = make_member(cpas, role, username=f"{first.lower()}.{last.lower()}")
        member.user.first_name, member.user.last_name = first, last
        member.user.save()
        people[role] = member
    worker = people[Role.SOCIAL_WORKER]
    matrix = [
        make_signatory(cpas, function="bcsd_chair", holder_name="Mia Goossens"),
        make_signatory(
            cpas, function="algemeen_directeur", holder_name="Jef Janssens", holder=people[Role.DIRECTOR].user
        ),
    ]
    make_delegation(cpas, signatory=matrix[0], delegate_name="Bart Jacobs")
    make_closure_day(cpas, day=D(2026, 7, 11), label="Feestdag")
    make_clause_template(
        cpas, title="Inschrijvingsgeld", language="nl", text="Het OCMW betaalt het inschrijvingsgeld."
    )

    # In force since March, two evaluations, an amendment handed over (the diff shows), a meeting requested.
    with time_machine.travel(D(2026, 3, 2), tick=False):
        first, decision = _person(cpas, worker, "Vermeulen", "Ilse", D(2026, 1, 10))
        make_household_member(cpas, beneficiary=first, name="Lotte", relation="child", birth_date=D(2016, 4, 1))
        make_assistant(cpas, beneficiary=first, name="Wim Smets", relationship="Broer")
        make_income_period(cpas, beneficiary=first)
        make_exemption(
            cpas,
            beneficiary=first,
            motivation="Operatie gepland.",
            decided_by="Bijzonder comité",
            start_on=D(2025, 9, 1),
            decided_on=D(2025, 9, 1),
            review_on=D(2025, 10, 1),
            end_on=D(2025, 11, 30),
        )
        contract = _drafted(cpas, worker, first, decision, third_party=True)
        version = contract_hand_over(
            membership=worker, contract=contract, handed_over_on=D(2026, 3, 2), today=D(2026, 3, 2)
        )
        _inform(worker, version, D(2026, 3, 2))
    with time_machine.travel(D(2026, 3, 9), tick=False):
        _sign_all(worker, version, matrix, D(2026, 3, 9))
        third = contract.third_parties.get()
        contract_sign(
            membership=worker,
            version=version,
            signer=f"third_party:{third.pk}",
            signed_on=D(2026, 3, 9),
            method="paper",
            today=D(2026, 3, 9),
        )
    make_evaluation(cpas, contract=contract, held_on=D(2026, 4, 10), difficulties="Vervoer is moeilijk.")
    make_evaluation(cpas, contract=contract, held_on=D(2026, 5, 12), mode="phone", adjustments="Later beginnen.")
    make_meeting_request(
        cpas,
        beneficiary=first,
        recorded_by=worker.user,
        requested_on=D(2026, 6, 15),
        deadline=D(2026, 6, 25),
        subject="Vraag over de opleiding",
    )
    with time_machine.travel(D(2026, 6, 1), tick=False):
        contract_start_amendment(membership=worker, contract=contract, reason="Nieuwe data")
        clause = contract.clauses.get(party="cpas")
        clause.text = "Het OCMW betaalt ook het materiaal."
        clause.save()
        contract_hand_over(
            membership=worker,
            contract=contract,
            handed_over_on=D(2026, 6, 1),
            today=D(2026, 6, 1),
            reason="Nieuwe data",
        )

    # A draft, a final draft in its reflection period, one awaiting signatures, a file without a PIIS yet.
    second, decision = _person(cpas, worker, "Wuyts", "Sander", D(2026, 5, 20))
    draft = _drafted(cpas, worker, second, decision)
    third_person, decision = _person(cpas, worker, "Dierckx", "Hanne", D(2026, 5, 2))
    handed_over = _drafted(cpas, worker, third_person, decision)
    with time_machine.travel(D(2026, 6, 17), tick=False):
        contract_hand_over(
            membership=worker, contract=handed_over, handed_over_on=TODAY - datetime.timedelta(3), today=D(2026, 6, 17)
        )
    fourth, decision = _person(cpas, worker, "Aerts", "Joris", D(2026, 3, 1))
    awaiting = _drafted(cpas, worker, fourth, decision)
    with time_machine.travel(D(2026, 5, 4), tick=False):
        version = contract_hand_over(
            membership=worker, contract=awaiting, handed_over_on=D(2026, 5, 4), today=D(2026, 5, 4)
        )
        _inform(worker, version, D(2026, 5, 4))
    with time_machine.travel(D(2026, 5, 11), tick=False):
        contract_sign(
            membership=worker,
            version=version,
            signer="beneficiary",
            signed_on=D(2026, 5, 11),
            method="paper",
            today=D(2026, 5, 11),
            late_motivation="De persoon was ziek.",
        )
    fifth, _decision = _person(cpas, worker, "Mertens", "Fien", D(2026, 4, 2))
    return {
        "people": people,
        "files": [first, second, third_person, fourth, fifth],
        "contracts": [contract, draft, handed_over, awaiting],
    }


def _pages(ocmw):
    people = ocmw["people"]
    pages = [(role, reverse("core:home")) for role in people]
    pages += [
        (Role.SOCIAL_WORKER, reverse("cases:list")),
        (Role.SOCIAL_WORKER, reverse("followup:agenda")),
        (Role.TEAM_LEAD, reverse("followup:team")),
        (Role.CPAS_ADMIN, reverse("accounts:cpas_settings")),
    ]
    pages += [(Role.SOCIAL_WORKER, reverse("cases:detail", args=[b.pk])) for b in ocmw["files"]]
    for contract in ocmw["contracts"]:
        pages.append((Role.SOCIAL_WORKER, reverse("contracts:detail", args=[contract.pk])))
        pages += [
            (Role.SOCIAL_WORKER, reverse("contracts:version", args=[contract.pk, version.pk]))
            for version in contract.versions.all()
        ]
    pages.append((Role.SOCIAL_WORKER, reverse("contracts:library")))
    # The audit trail last: the pages above have written their "opened" events into it.
    pages.append((Role.DPO, reverse("audit:list")))
    return pages


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_main_pages_show_no_english_word(language, ocmw, client, settings):
    found = {}
    with at(TODAY):
        for role, url in _pages(ocmw):
            membership = ocmw["people"][role]
            client.force_login(membership.user)
            session = client.session
            session["current_cpas_id"] = membership.cpas_id
            session.save()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Language"] == language
            hits = english_words(response.content.decode())
            if hits:
                found[f"{role} {url}"] = hits
    assert not found, f"English on screen in {language}: {found}"
