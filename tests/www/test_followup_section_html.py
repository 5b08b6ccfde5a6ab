# ruff: noqa: E501 (the former templates' lines, as they were)
"""{% compliance_table %} and {% evaluation_rows %} (www_followup) write the HTML followup/_compliance_table.html and
the evaluations' loop of followup/_contract_section.html wrote, to the byte and with the same message ids (issue 15:
they were most of the contract page's evaluations section)."""

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.utils import translation

from piis.followup.models import EvaluationComment
from piis.followup.selectors import followup_context_for_contract
from piis.www.templatetags.www_followup import compliance_table, evaluation_rows
from tests.factories import make_member
from tests.followup.builders import make_evaluation, make_in_force_contract
from tests.portal_person import make_person_user

pytestmark = pytest.mark.django_db

D = datetime.date

# followup/_compliance_table.html, as it was (included with `years`).
FORMER_COMPLIANCE = """\
{% load i18n %}
<table class="list compliance">
    <caption class="visually-hidden">{% translate "Evaluations per contract year" %}</caption>
    <thead>
        <tr>
            <th scope="col">{% translate "Contract year" %}</th>
            <th scope="col">{% translate "Evaluations" %}</th>
            <th scope="col">{% translate "In person" %}</th>
            <th scope="col">{% translate "Status" %}</th>
            <th scope="col">{% translate "Still missing" %}</th>
        </tr>
    </thead>
    <tbody>
        {% for y in years %}
            <tr>
                <th scope="row">
                    {% blocktranslate with n=y.number start=y.year.start|date:"d/m/Y" end=y.year.end|date:"d/m/Y" %}Year {{ n }}: {{ start }} – {{ end }}{% endblocktranslate %}
                    {% if y.year.rule == "quarterly" %}<span class="small">({{ y.rule_label }})</span>{% endif %}
                </th>
                <td>{{ y.year.count }}</td>
                <td>{{ y.year.in_person }}</td>
                <td>
                    <span class="compliance-status compliance-{{ y.status }}">{{ y.status_label }}</span>
                </td>
                <td>
                    {% if y.missing_text %}
                        {% if y.status == "non_compliant_count" or y.status == "non_compliant_in_person" %}
                            {% blocktranslate with what=y.missing_text end=y.year.end|date:"d/m/Y" %}{{ what }} were due by {{ end }}{% endblocktranslate %}
                        {% else %}
                            {% blocktranslate with what=y.missing_text end=y.year.end|date:"d/m/Y" count days=y.days_left %}{{ what }} by {{ end }} ({{ days }} day left){% plural %}{{ what }} by {{ end }} ({{ days }} days left){% endblocktranslate %}
                        {% endif %}
                    {% else %}
                        —
                    {% endif %}
                </td>
            </tr>
        {% endfor %}
    </tbody>
</table>
"""

# The loop of followup/_contract_section.html the tag replaced, as it was (with its indentation).
FORMER_ROWS = """\
                    {% for evaluation in followup_evaluations %}
                        <tr>
                            <th scope="row">{{ evaluation.held_on|date:"d/m/Y" }}</th>
                            <td>{{ evaluation.get_mode_display }}</td>
                            <td>{{ evaluation.difficulties|default:"—"|truncatewords:20 }}</td>
                            <td>{{ evaluation.adjustments|default:"—"|truncatewords:20 }}</td>
                            <td>
                                {% include "followup/_person_comments.html" with comments=evaluation.person_comments.all %}
                            </td>
                            <td>
                                <a href="{% url 'followup:evaluation_print' evaluation.pk %}">{% translate "View and print" %}</a>
                                {% if followup_can_record %}
                                    · <a href="{% url 'followup:evaluation_edit' evaluation.pk %}">{% translate "Edit" %}</a>
                                {% endif %}
                            </td>
                        </tr>
                    {% endfor %}
"""

TRICKY = 'L\'entretien <b>chez</b> & "Dupont"'
LONG = " ".join(f"mot{i}" for i in range(25)) + f" {TRICKY}"
TODAY = D(2026, 11, 28)


def _contracts(cpas):
    """Contracts whose years show every branch: the quarterly rule (before 2016-11), several years, compliant, at
    risk, in progress with 0, 1 and many days left, not compliant (count, in person), an ended contract; and
    evaluations with long, empty, blank and tricky texts, every mode, the person's comments (agreeing or not, on
    several lines, written late in the evening UTC: the next day in Brussels) or none."""
    worker = make_member(cpas)
    person = make_person_user()
    contracts = [
        make_in_force_contract(cpas, social_worker=worker.user, signed_on=D(2016, 3, 1)),
        make_in_force_contract(cpas, social_worker=worker.user, signed_on=D(2025, 11, 30)),
        make_in_force_contract(cpas, social_worker=worker.user, signed_on=D(2025, 11, 29)),
        make_in_force_contract(cpas, social_worker=worker.user, signed_on=D(2024, 12, 1)),
        make_in_force_contract(cpas, social_worker=worker.user, signed_on=D(2026, 2, 1)),
        make_in_force_contract(
            cpas, social_worker=worker.user, signed_on=D(2022, 2, 1), status="ended", ended_on=D(2024, 6, 30)
        ),
    ]
    texts = [(LONG, LONG + "\n\nsuite"), ("", ""), (TRICKY, "   "), ("Court\ttexte\navec  espaces", "ok")]
    modes = ["office", "home_visit", "video", "phone", "written"]
    n = 0
    for contract, count in zip(contracts, [7, 1, 0, 3, 4, 2], strict=True):
        for i in range(count):
            difficulties, adjustments = texts[n % len(texts)]
            held_on = min(contract.signed_on + datetime.timedelta(days=40 + 100 * i), TODAY)
            evaluation = make_evaluation(cpas, contract=contract, held_on=held_on, mode=modes[n % len(modes)],
                                         difficulties=difficulties, adjustments=adjustments)  # fmt: skip
            for j in range(n % 3):
                comment = EvaluationComment.objects.create(
                    cpas=cpas, evaluation=evaluation, beneficiary=contract.beneficiary, written_by=person,
                    text=f"Commentaire {j} {TRICKY}\nligne deux\r\n\r\nligne quatre", disagrees=bool((n + j) % 2),
                )  # fmt: skip
                moment = datetime.datetime(2026, 3, 31, 23 if j else 10, 30, tzinfo=datetime.UTC)
                EvaluationComment.objects.filter(pk=comment.pk).update(created_at=moment)
            n += 1
    return worker, contracts


def test_the_compliance_table_and_the_rows_are_the_former_templates(cpas_a):
    worker, contracts = _contracts(cpas_a)
    former_table = Template("{% load i18n %}" + FORMER_COMPLIANCE)
    former_rows = Template("{% load i18n %}" + FORMER_ROWS)
    statuses, rules, rows = set(), set(), 0
    for language, contract in itertools.product(["fr", "nl", "de", "en"], contracts):
        with translation.override(language):
            section = followup_context_for_contract(membership=worker, contract=contract, today=TODAY)
            years = section["followup_years"]
            assert years
            statuses |= {(y.status, max(min(y.days_left, 2), -1) if y.missing_text else None) for y in years}
            rules |= {y.year.rule for y in years}
            assert compliance_table(years) == former_table.render(Context({"years": years})), (language, contract)
            evaluations = section["followup_evaluations"]
            rows += len(evaluations)
            for can_record in (True, False):
                values = {**section, "followup_can_record": can_record}
                expected = former_rows.render(Context(values))
                assert "                    " + evaluation_rows(Context(values), evaluations) + "\n" == expected, (
                    language,
                    contract,
                    can_record,
                )
    assert rows == 4 * 17
    assert rules == {"quarterly", "three_two"}
    # Days left 0, 1 and many (the plural's two forms); the years past due; a year with nothing missing.
    assert {("at_risk", 0), ("at_risk", 1), ("at_risk", 2), ("in_progress", 2), ("compliant", None)} <= statuses
    assert {("non_compliant_count", -1), ("non_compliant_in_person", -1)} <= statuses


def test_the_contract_page_prints_the_table_and_every_evaluation(cpas_a, login):
    worker, contracts = _contracts(cpas_a)
    contract = contracts[0]
    body = login(worker).get(f"/contracts/{contract.pk}/").content.decode()
    assert '<table class="list compliance">' in body
    assert body.count('<span class="small">(') >= 1  # the quarterly rule's year
    for evaluation in contract.evaluations.all():
        assert f"/followup/evaluations/{evaluation.pk}/print/" in body
        assert f"/followup/evaluations/{evaluation.pk}/edit/" in body
    assert "mot19 …" in body and "&lt;b&gt;chez&lt;/b&gt;" in body and "person-disagrees" in body
