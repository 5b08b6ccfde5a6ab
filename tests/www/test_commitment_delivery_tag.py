# ruff: noqa: E501 (the former template's lines, as they were)
"""{% commitment_delivery %} (www_contract) writes the HTML followup/_commitment_delivery.html wrote, to the byte."""

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.utils import translation

from piis.contracts.enums import CommitmentStatus
from piis.www.templatetags.www_contract import commitment_delivery
from tests.factories import make_clause

pytestmark = pytest.mark.django_db

# The include the tag replaced, as it was.
FORMER_INCLUDE = (
    "{% load i18n piis_tags %}\n"
    "{# One commitment's due date and delivery status on the contract page; the form records a change while in force. #}\n"
    "{% if clause.due_on %}\n"
    '    <p class="small">\n'
    '        {% translate "due date" %}: <strong>{{ clause.due_on|date:"d/m/Y" }}</strong>\n'
    "    </p>\n"
    "{% endif %}\n"
    '<p class="small">\n'
    '    <span class="badge delivery-{{ clause.delivery_status }}">{{ clause.get_delivery_status_display }}</span>\n'
    "    {% if clause.delivery_status_on %}\n"
    '        {% blocktranslate with date=clause.delivery_status_on|date:"d/m/Y" %}since {{ date }}{% endblocktranslate %}\n'
    "    {% endif %}\n"
    "</p>\n"
    "{% if followup_can_record %}\n"
    '    <details class="delivery-form">\n'
    "        <summary>\n"
    '            {% translate "Record the delivery" %}<span class="visually-hidden"> {{ clause.text|truncatechars:40 }}</span>\n'
    "        </summary>\n"
    '        <form method="post"\n'
    "              action=\"{% url 'followup:commitment_delivery' clause.pk %}\"\n"
    '              class="form">\n'
    "            {% csrf_token %}\n"
    '            {% read_version_input clause "delivery" clause.pk %}\n'
    '            <div class="field">\n'
    '                <label for="delivery-{{ clause.pk }}-status">{% translate "Delivery" %}</label>\n'
    '                <select name="delivery-{{ clause.pk }}-status" id="delivery-{{ clause.pk }}-status">\n'
    "                    {% for value, label in followup_delivery_choices %}\n"
    '                        <option value="{{ value }}"{% if value == clause.delivery_status %} selected{% endif %}>{{ label }}</option>\n'
    "                    {% endfor %}\n"
    "                </select>\n"
    "            </div>\n"
    '            <div class="field">\n'
    '                <label for="delivery-{{ clause.pk }}-on">{% translate "Since" %}</label>\n'
    '                <input type="date"\n'
    '                       name="delivery-{{ clause.pk }}-on"\n'
    '                       id="delivery-{{ clause.pk }}-on"\n'
    "                       value=\"{{ today|date:'Y-m-d' }}\"\n"
    "                       max=\"{{ today|date:'Y-m-d' }}\"\n"
    "                       required>\n"
    "            </div>\n"
    '            <button type="submit">{% translate "Save" %}</button>\n'
    "        </form>\n"
    "    </details>\n"
    "{% endif %}\n"
)


def test_the_commitment_delivery_tag_writes_the_former_include(cpas_a):
    former = Template(FORMER_INCLUDE)
    clause = make_clause(cpas_a, text='L\'entretien <b> & "x" ' * 3)
    cases = itertools.product(
        [None, datetime.date(2026, 5, 3)],
        [None, datetime.date(2026, 4, 1)],
        [True, False],
        ["fr", "nl", "de", "en"],
        ["planned", "done"],
        ["token", None],
    )
    for due_on, since, can_record, language, status, token in cases:
        clause.due_on, clause.delivery_status_on, clause.delivery_status = due_on, since, status
        values = {
            "clause": clause,
            "followup_can_record": can_record,
            "today": datetime.date(2026, 6, 10),
            "followup_delivery_choices": CommitmentStatus.choices,
        }
        if token:
            values["csrf_token"] = token
        with translation.override(language):
            expected = former.render(Context(values))
            assert commitment_delivery(Context(values), clause) == expected, (due_on, since, can_record, language)
