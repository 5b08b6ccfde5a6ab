# ruff: noqa: E501 (the former template's lines, as they were)
"""{% objective_card %} and {% clause_row %} (www_contract) write the HTML contracts/_drafting.html's loops wrote, to
the byte and with the same message ids (issue 15: the loops were most of the drafting section's time)."""

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.utils import translation

from piis.contracts.enums import CommitmentStatus
from piis.contracts.selectors_drafting import drafting_context
from piis.www.templatetags.www_contract import clause_row, objective_card
from tests.catalogue.builders import make_catalogue_entry
from tests.factories import (
    make_assessment_item,
    make_clause,
    make_clause_template,
    make_contract,
    make_member,
    make_objective,
    make_step,
    make_third_party,
)

pytestmark = pytest.mark.django_db

# The loops' bodies the tags replaced, as they were (with their indentation: the tags write from the first tag on).
FORMER_OBJECTIVE = """\
            <article class="objective card" id="objective-{{ objective.pk }}">
                <h3>{{ objective.display_number }}. {{ objective.title }}</h3>
                <dl class="facts">
                    {% if objective.catalogue_entry %}
                        <dt>{% translate "With" %}</dt>
                        <dd>
                            {{ objective.catalogue_entry.name }}
                            {% if objective.catalogue_entry.contact %}— {{ objective.catalogue_entry.contact }}{% endif %}
                        </dd>
                    {% endif %}
                    <dt>{% translate "Observable result" %}</dt>
                    <dd>
                        {{ objective.observable_result }}
                    </dd>
                    <dt>{% translate "Due date" %}</dt>
                    <dd>
                        {{ objective.due_on|date:"SHORT_DATE_FORMAT" }}
                    </dd>
                    <dt>{% translate "Needs it answers" %}</dt>
                    <dd>
                        <ul class="plain">
                            {% for item in objective.assessment_items.all %}
                                <li>{{ item.get_domain_display }} — {{ item.get_kind_display }}: {{ item.text }}</li>
                            {% empty %}
                                <li>
                                    <span class="badge badge-bad">{% translate "none" %}</span>
                                </li>
                            {% endfor %}
                        </ul>
                    </dd>
                </dl>
                <h4>{% translate "Steps" %}</h4>
                {% if objective.steps.all %}
                    <table class="list">
                        <thead>
                            <tr>
                                <th scope="col">{% translate "Step" %}</th>
                                <th scope="col">{% translate "Who" %}</th>
                                <th scope="col">{% translate "By" %}</th>
                                {% if d.editable %}
                                    <th scope="col">
                                        <span class="visually-hidden">{% translate "Actions" %}</span>
                                    </th>
                                {% endif %}
                            </tr>
                        </thead>
                        <tbody>
                            {% for step in objective.steps.all %}
                                <tr>
                                    <th scope="row">
                                        {{ step.description }}
                                        {% if step.catalogue_entry %}
                                            <br>
                                            <span class="small">{% translate "With" %}: {{ step.catalogue_entry.name }}</span>
                                        {% endif %}
                                    </th>
                                    <td>
                                        {% if step.third_party %}
                                            {{ step.third_party.name }}
                                        {% else %}
                                            {{ step.get_owner_display }}
                                        {% endif %}
                                    </td>
                                    <td>{{ step.due_on|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
                                    {% if d.editable %}
                                        <td class="actions">
                                            <a href="{% url 'contracts:step_edit' step.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ step.description }}</span></a>
                                            <form method="post"
                                                  action="{% url 'contracts:step_delete' step.pk %}"
                                                  class="inline">
                                                {% csrf_token %}
                                                <button type="submit" class="link">
                                                    {% translate "Remove" %}<span class="visually-hidden"> {{ step.description }}</span>
                                                </button>
                                            </form>
                                        </td>
                                    {% endif %}
                                </tr>
                            {% endfor %}
                        </tbody>
                    </table>
                {% else %}
                    <p class="small">{% translate "No step yet." %}</p>
                {% endif %}
                {% if d.editable %}
                    <p class="actions">
                        <a class="button" href="{% url 'contracts:step_add' objective.pk %}">{% translate "Add a step" %}</a>
                        <a href="{% url 'contracts:objective_edit' objective.pk %}">{% translate "Edit the objective" %}</a>
                    </p>
                    <form method="post"
                          action="{% url 'contracts:objective_delete' objective.pk %}"
                          class="inline">
                        {% csrf_token %}
                        <button type="submit" class="link">
                            {% translate "Remove the objective" %}<span class="visually-hidden"> {{ objective.title }}</span>
                        </button>
                    </form>
                {% endif %}
            </article>"""

FORMER_CLAUSE_ROW = """\
                                <tr id="clause-{{ clause.pk }}">
                                    <td>
                                        {{ clause.text|linebreaksbr }}
                                        {% if clause.discussion %}
                                            <p class="small">
                                                <strong>{% translate "Discussion:" %}</strong> {{ clause.discussion }}
                                            </p>
                                        {% endif %}
                                        {% if clause.catalogue_entry %}
                                            <p class="small">
                                                {% translate "With" %}: {{ clause.catalogue_entry.name }}
                                            </p>
                                        {% endif %}
                                    </td>
                                    <td>{{ clause.kind_label }}</td>
                                    <td>{{ clause.objective.title|default:"—" }}</td>
                                    <td>
                                        <span class="badge">{% blocktranslate with who=clause.get_proposed_by_display %}proposed by: {{ who }}{% endblocktranslate %}</span>
                                        <span class="badge badge-{{ clause.position }}">{{ clause.get_position_display }}</span>
                                        <span class="badge obligation-{{ clause.obligation }}">{{ clause.get_obligation_display }}</span>
                                        {% if clause.grounds_sanction %}
                                            <span class="badge badge-warn">{% translate "may ground a sanction" %}</span>
                                        {% else %}
                                            <span class="badge">{% translate "not sanctionable" %}</span>
                                        {% endif %}
                                        {% if clause.unmodified_template %}
                                            <span class="badge">{% translate "template text" %}</span>
                                        {% endif %}
                                    </td>
                                    <td>
                                        {% commitment_delivery clause %}
                                    </td>
                                    {% if d.editable %}
                                        <td class="actions">
                                            <a href="{% url 'contracts:clause_edit' clause.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ clause.text|truncatechars:40 }}</span></a>
                                            <form method="post"
                                                  action="{% url 'contracts:clause_delete' clause.pk %}"
                                                  class="inline">
                                                {% csrf_token %}
                                                <button type="submit" class="link">
                                                    {% translate "Remove" %}<span class="visually-hidden"> {{ clause.text|truncatechars:40 }}</span>
                                                </button>
                                            </form>
                                        </td>
                                    {% endif %}
                                </tr>"""

TRICKY = 'L\'entretien <b>chez</b> & "Dupont"'


def _draft(cpas, *, path: str = ""):
    """A draft with what the loops print one way or another: a catalogue entry with and without a contact, needs and
    none, steps with a catalogue entry, a third party, a date or none, commitments with a discussion, several lines,
    a catalogue entry, no objective, the library's text unmodified, of each party."""
    worker = make_member(cpas)
    contract = (
        make_contract(cpas, social_worker=worker.user, path=path)
        if path
        else make_contract(cpas, social_worker=worker.user)
    )
    centre = make_third_party(cpas, contract=contract, name=f"Centre {TRICKY}")
    with_contact = make_catalogue_entry(cpas, name=f"Atelier {TRICKY}", contact="02 <555> & 01")
    without_contact = make_catalogue_entry(cpas, name="Service emploi", contact="")
    first = make_objective(cpas, contract=contract, title=f"Trouver {TRICKY}", catalogue_entry=with_contact, stage=1)
    first.assessment_items.add(
        make_assessment_item(cpas, assessment=contract.assessment, text=f"Vente {TRICKY}"),
        make_assessment_item(cpas, assessment=contract.assessment, domain="health", kind="obstacle", text="Dos"),
    )
    second = make_objective(cpas, contract=contract, observable_result=TRICKY, catalogue_entry=without_contact)
    make_step(cpas, objective=first, description=f"Visiter {TRICKY}", catalogue_entry=with_contact,
              due_on=datetime.date(2026, 5, 4))  # fmt: skip
    make_step(cpas, objective=first, description="Signer", owner="third_party", third_party=centre)
    make_step(cpas, objective=first, description="Appeler", owner="cpas", position=2)
    library = make_clause_template(cpas, text="Le CPAS paie les frais.")
    make_clause(cpas, contract=contract, objective=first, text=f"Première ligne {TRICKY}\r\nDeuxième\n\nQuatrième ligne",
                discussion=f"On en a parlé {TRICKY}\nsuite", catalogue_entry=without_contact, sanctionable=True,
                due_on=datetime.date(2026, 5, 3), delivery_status_on=datetime.date(2026, 4, 1))  # fmt: skip
    make_clause(cpas, contract=contract, text="Exactement quarante caractères ici, oui!", position="contested")
    make_clause(cpas, contract=contract, objective=second, party="cpas", kind="cpas_support", proposed_by="cpas",
                text=library.text, template=library, template_text=library.text, obligation="result")  # fmt: skip
    make_clause(cpas, contract=contract, party="third_party", third_party=centre, text=f"Accueillir {TRICKY} " * 3)
    return worker, contract


def _values(drafting: dict, editable: bool, token: str | None, **more) -> dict:
    drafting = {**drafting, "editable": editable}
    values = {"drafting": drafting, "d": drafting, **more}
    if token:
        values["csrf_token"] = token
    return values


@pytest.mark.parametrize("path", ["", "sequenced"])
def test_the_objective_card_is_the_former_loop_body(cpas_a, path):
    worker, contract = _draft(cpas_a, path=path)
    former = Template("{% load i18n %}" + FORMER_OBJECTIVE)
    for language, editable, token in itertools.product(["fr", "nl", "de", "en"], [True, False], ["tok<&>", None]):
        with translation.override(language):
            drafting = drafting_context(membership=worker, contract=contract)["drafting"]
            assert len(drafting["objectives"]) == 2
            for objective in drafting["objectives"]:
                values = _values(drafting, editable, token, objective=objective)
                expected = former.render(Context(values))
                assert "            " + objective_card(Context(values), objective) == expected, (language, editable)


def test_the_clause_row_is_the_former_loop_body(cpas_a):
    worker, contract = _draft(cpas_a)
    former = Template("{% load i18n www_contract %}" + FORMER_CLAUSE_ROW)
    cases = itertools.product(["fr", "nl", "de", "en"], [True, False], ["tok", None], [True, False])
    for language, editable, token, can_record in cases:
        with translation.override(language):
            drafting = drafting_context(membership=worker, contract=contract)["drafting"]
            clauses = [clause for section in drafting["sections"] for clause in section["clauses"]]
            assert len(clauses) == 4
            for clause in clauses:
                values = _values(
                    drafting,
                    editable,
                    token,
                    clause=clause,
                    followup_can_record=can_record,
                    today=datetime.date(2026, 6, 10),
                    followup_delivery_choices=CommitmentStatus.choices,
                )
                expected = former.render(Context(values))
                assert "                                " + clause_row(Context(values), clause) == expected, language


def test_the_contract_page_prints_every_card_and_row(cpas_a, login):
    worker, contract = _draft(cpas_a, path="sequenced")
    body = login(worker).get(f"/contracts/{contract.pk}/").content.decode()
    for objective in contract.objectives.all():
        assert f'<article class="objective card" id="objective-{objective.pk}">' in body
        assert f"/contracts/objectives/{objective.pk}/delete/" in body
    for clause in contract.clauses.all():
        assert f'<tr id="clause-{clause.pk}">' in body
        assert f"/contracts/clauses/{clause.pk}/edit/" in body
    for step in (step for objective in contract.objectives.all() for step in objective.steps.all()):
        assert f"/contracts/steps/{step.pk}/edit/" in body
    assert ">Stage 1<" in body and ">Without a stage<" in body
