"""The law on screen: a plain "Legal basis" disclosure (rule title and text of law) where a page explains a rule, no
rule ID or assumption code anywhere, and the working assumptions (to be validated by the legal service) only for the
CPAS administrator and the data-protection officer."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from piis.accounts.enums import Role
from piis.accounts.perms import can_view_legal_assumptions
from piis.core.legal import ASSUMPTIONS, LEGAL_BASIS, assumptions, legal_basis
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_beneficiary, make_income_period, make_member, make_ri_decision

SPEC = Path(__file__).resolve().parents[3] / "shared" / "domain" / "piis-rules.md"
D = datetime.date
RAW_ID = re.compile(r"\((?:R|A)\d+\)|\b(?:hypoth[eè]se|assumption) A\d\b|\bR\d{1,2}\b")


def _at(today):
    return time_machine.travel(datetime.datetime.combine(today, datetime.time(12), tzinfo=ZoneInfo("Europe/Brussels")))


def _visible(html: str) -> str:
    """The text a person reads: no tags, no attributes (data-* attributes may carry codes for tests and styles)."""
    return re.sub(r"<[^>]+>", " ", html)


# --- the table -----------------------------------------------------------------------------------------------------


def test_every_legal_basis_and_assumption_is_a_rule_of_the_law_document():
    if not SPEC.is_file():
        pytest.skip(f"piis-rules.md not found at {SPEC}")
    text = SPEC.read_text(encoding="utf-8")
    headed = set(re.findall(r"^\*\*(R\d+) — ", text, re.M))
    assert set(LEGAL_BASIS) <= headed
    for code, assumption in ASSUMPTIONS.items():
        assert re.search(rf"assumption {code}\b", text), code
        assert assumption.rule in LEGAL_BASIS, code  # the page names the rule each assumption completes


def test_no_title_basis_or_assumption_holds_a_rule_id_or_an_assumption_code():
    with translation.override(None):
        texts = [str(b.title) for b in LEGAL_BASIS.values()] + [str(b.basis) for b in LEGAL_BASIS.values()]
        texts += [str(a.text) for a in ASSUMPTIONS.values()]
    for text in texts:
        assert not RAW_ID.search(text), text
        assert "legal service" not in text and "validate" not in text, text


def test_legal_basis_keeps_the_order_given_once_each_and_skips_unknown_ids():
    assert [b.rule for b in legal_basis("R13", "R1", "R13", "R999")] == ["R13", "R1"]
    assert [a.code for a in assumptions("A2")] == ["A2"] and len(assumptions()) == len(ASSUMPTIONS)


def test_the_tag_renders_a_disclosure_with_title_and_article_never_the_id():
    template = Template('{% load legal %}{% legal_basis "R39" %}{% legal_basis rules %}{% legal_basis "R999" %}')
    with translation.override("en"):
        html = template.render(Context({"rules": ["R56"]}))
    assert html.count("<details") == 2 and "Legal basis" in html
    assert "The reflection period before signing" in html and "art. 6 §3" in html
    assert "Only the person&#x27;s own commitments can ground a sanction" in html and "art. 30 §2" in html
    assert not RAW_ID.search(_visible(html))


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_tag_gives_the_include_s_html_in_each_language_once_rendered_or_from_memory(language):
    """The tag keeps each language's disclosure in memory: the HTML of including core/_legal_basis.html, to the
    byte, the first time and the next, and each language's own."""
    include = Template('{% include "core/_legal_basis.html" %}')
    tag = Template('{% load legal %}{% legal_basis "R9" rules %}|{% legal_basis "R999" %}')
    with translation.override(language):
        expected = include.render(Context({"bases": legal_basis("R9", "R11", "R12")})) + "|"
        expected += include.render(Context({"bases": []}))
        assert tag.render(Context({"rules": ["R11", "R12"]})) == expected
        assert tag.render(Context({"rules": ("R11", "R12")})) == expected
    with translation.override("en" if language != "en" else "fr"):
        assert tag.render(Context({"rules": ["R11", "R12"]})) != expected


# --- who sees what -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.CPAS_ADMIN, True), (Role.DPO, True), (Role.SOCIAL_WORKER, False), (Role.TEAM_LEAD, False),
     (Role.DIRECTOR, False)],
)  # fmt: skip
def test_only_the_cpas_admin_and_the_dpo_see_the_working_assumptions(cpas_a, login, role, allowed):
    member = make_member(cpas_a, role)
    assert can_view_legal_assumptions(member) is allowed
    client = login(member)
    response = client.get(reverse("core:legal_assumptions"))
    home = client.get(reverse("core:home")).content.decode()
    if not allowed:
        assert response.status_code == 403
        assert reverse("core:legal_assumptions") not in home
        return
    assert response.status_code == 200 and reverse("core:legal_assumptions") in home
    with translation.override("en"):
        page = client.get(reverse("core:legal_assumptions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The age is taken on the date of the RI decision." in page
    assert "to be validated by the legal service" in page
    assert "A PIIS is compulsory under 25" in page  # the rule it completes, by its title
    assert not RAW_ID.search(_visible(page))
    member.is_active = False
    member.save()
    assert can_view_legal_assumptions(member) is False


@pytest.mark.django_db
def test_a_social_worker_sees_the_legal_basis_of_the_obligation_but_not_the_assumption(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2001, 4, 2))
    make_income_period(cpas_a, beneficiary=beneficiary, start_on=D(2025, 1, 1), end_on=D(2026, 3, 9))
    make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2026, 3, 10), requested_on=D(2026, 3, 10),
                     start_on=D(2026, 3, 10))  # fmt: skip
    with _at(D(2026, 4, 15)), translation.override("en"):
        response = login(worker).get(reverse("cases:detail", args=[beneficiary.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert [a.code for a in response.context["obligation"].assumptions] == ["A1"]  # computed, kept for the admin
    page = response.content.decode()
    box = page[page.index('id="obligation"') : page.index('id="obligation"') + 6000]
    assert "Legal basis" in box and "A PIIS is compulsory under 25" in box and "The deadline to conclude" in box
    assert "The age is taken on the date of the RI decision." not in page and "legal service" not in page
    assert not RAW_ID.search(_visible(page))
    assert "No PIIS before the RI decision" in page  # the RI section's explanation has its basis too


@pytest.mark.django_db
def test_the_contract_page_gives_the_legal_basis_of_what_it_explains(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    contract = drafted_contract(cpas_a, social_worker=worker.user)
    with translation.override("en"):
        page = login(worker).get(reverse("contracts:detail", args=[contract.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Only the person&#x27;s own commitments can ground a sanction" in html
    assert "Community service cannot be part of a PIIS" in html and "86/2018" in html
    assert not RAW_ID.search(_visible(html))
