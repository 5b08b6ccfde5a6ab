# ruff: noqa: E501 (the former template's lines, as they were)
"""{% ri_decision_row %}, {% income_period_row %}, {% exemption_row %} and {% obligation_box %} (www_cases) write the
HTML the loops and the obligation's branch of cases/_section_ri.html and cases/_section_obligation.html wrote, to the
byte and with the same message ids (issue 15: the rows, their dates, blocktranslates and the include of
cases/_row_actions.html, the box's translations and conditions, were most of the sections' time)."""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from piis.cases.selectors import exemptions_for_file
from piis.contracts.obligation import Label, obligation_for_file
from piis.www.templatetags.www_cases import (
    exemption_row,
    income_period_row,
    obligation_box,
    ri_decision_row,
)
from tests.factories import (
    make_beneficiary,
    make_exemption,
    make_income_period,
    make_member,
    make_ri_decision,
)

pytestmark = pytest.mark.django_db

TRICKY = 'L\'entretien <b>chez</b> & "Dupont"'
LANGUAGES = ["fr", "nl", "de", "en"]

# The loops' bodies the tags replaced, as they were (from the row's first tag on; the exemption's with its {% with %}).
FORMER_RI_ROW = """\
<tr>
                        <th scope="row">{{ decision.decided_on|date:"SHORT_DATE_FORMAT" }}</th>
                        <td>{{ decision.get_category_display }}</td>
                        <td>{{ decision.requested_on|date:"SHORT_DATE_FORMAT" }}</td>
                        <td>{{ decision.notified_on|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
                        <td>
                            {% if decision.end_on %}
                                {% blocktranslate with start=decision.start_on|date:"SHORT_DATE_FORMAT" end=decision.end_on|date:"SHORT_DATE_FORMAT" %}{{ start }} to {{ end }}{% endblocktranslate %}
                            {% else %}
                                {% blocktranslate with start=decision.start_on|date:"SHORT_DATE_FORMAT" %}from {{ start }}{% endblocktranslate %}
                            {% endif %}
                        </td>
                        <td class="amount">€ {{ decision.monthly_amount|floatformat:"2g" }}</td>
                        <td>
                            {% if decision.employed_with_top_up %}
                                <span class="tag">{% translate "Top-up to wages" %}</span>
                            {% endif %}
                            {% if decision.full_time_studies %}
                                <span class="tag">{% translate "Full-time studies (equity)" %}</span>
                            {% endif %}
                            {% if decision.notes %}<p class="small">{{ decision.notes|linebreaksbr }}</p>{% endif %}
                        </td>
                        {% if can_edit %}
                            {% include "cases/_row_actions.html" with kind="ri" record=decision label=decision %}
                        {% endif %}
                    </tr>"""

FORMER_PERIOD_ROW = """\
<tr>
                        <th scope="row">{{ period.get_kind_display }}</th>
                        <td>{{ period.start_on|date:"SHORT_DATE_FORMAT" }}</td>
                        <td>{{ period.end_on|date:"SHORT_DATE_FORMAT" }}</td>
                        <td>{{ period.note|default:"—" }}</td>
                        {% if can_edit %}
                            {% include "cases/_row_actions.html" with kind="period" record=period label=period removable=True %}
                        {% endif %}
                    </tr>"""

FORMER_EXEMPTION_ROW = """\
{% with e=row.exemption %}
                        <tr>
                            <th scope="row">{{ e.get_ground_display }}</th>
                            <td>
                                <span class="tag state-{{ row.state }}">{{ row.state_label }}</span>
                            </td>
                            <td>
                                {{ e.decided_on|date:"SHORT_DATE_FORMAT" }}, {{ e.decided_by }}
                                {% if e.lifted_on %}
                                    <br>
                                    {% blocktranslate with day=e.lifted_on|date:"SHORT_DATE_FORMAT" %}lifted on {{ day }}{% endblocktranslate %}
                                {% endif %}
                            </td>
                            <td>
                                {% if e.end_on %}
                                    {% blocktranslate with start=e.start_on|date:"SHORT_DATE_FORMAT" end=e.end_on|date:"SHORT_DATE_FORMAT" %}{{ start }} to {{ end }}{% endblocktranslate %}
                                {% else %}
                                    {% blocktranslate with start=e.start_on|date:"SHORT_DATE_FORMAT" %}from {{ start }}{% endblocktranslate %}
                                {% endif %}
                            </td>
                            <td>{{ e.review_on|date:"SHORT_DATE_FORMAT" }}</td>
                            <td>{{ e.motivation|linebreaksbr }}</td>
                            {% if can_edit %}
                                {% include "cases/_row_actions.html" with kind="exemption" record=e label=e %}
                            {% endif %}
                        </tr>
                    {% endwith %}"""


FORMER_OBLIGATION_BOX = """\
<div class="obligation-box {% if obligation.required %}obligation-required{% else %}obligation-optional{% endif %}{% if obligation.late %} obligation-late{% endif %}">
            <p class="obligation-status">
                {% if obligation.required %}
                    <strong>{% translate "A PIIS is required." %}</strong>
                {% else %}
                    <strong>{% translate "A PIIS is not required." %}</strong>
                {% endif %}
                {% blocktranslate with day=obligation.ri_decision.decided_on|date:"SHORT_DATE_FORMAT" %}From the RI decision of {{ day }}.{% endblocktranslate %}
            </p>
            <h3 class="visually-hidden">{% translate "Why" %}</h3>
            <ul class="reasons">
                {% for reason in obligation.reasons %}<li data-reason="{{ reason.code }}">{{ reason.label }}</li>{% endfor %}
            </ul>
            {% if obligation.required %}
                <dl class="facts">
                    <dt>{% translate "Deadline to conclude the PIIS" %}</dt>
                    <dd>
                        <strong class="deadline">{{ obligation.deadline|date:"DATE_FORMAT" }}</strong>
                        {% if obligation.concluded_on %}
                        {% elif obligation.days_left >= 0 %}
                            ({% blocktranslate count days=obligation.days_left %}{{ days }} day left{% plural %}{{ days }} days left{% endblocktranslate %})
                        {% endif %}
                    </dd>
                    <dt>{% translate "Warning date" %}</dt>
                    <dd>
                        {{ obligation.warning_date|date:"DATE_FORMAT" }}
                    </dd>
                    <dt>{% translate "PIIS concluded on" %}</dt>
                    <dd>
                        {{ obligation.concluded_on|date:"DATE_FORMAT"|default:_("not yet") }}
                    </dd>
                </dl>
                {% if obligation.revived %}
                    <p class="revived">
                        {% translate "The exemption has ended: the obligation has revived with a new deadline counted from its end." %}
                    </p>
                {% endif %}
                {% if obligation.late %}
                    <p class="late-flag" role="status">
                        <strong>{% translate "Late" %}</strong> —
                        {% if obligation.concluded_on %}
                            {% translate "the PIIS was concluded after its deadline." %}
                        {% else %}
                            {% translate "no PIIS has been concluded by the deadline." %}
                        {% endif %}
                        {% translate "The special subsidy cannot be claimed for the missed period, and lateness alone never grounds a sanction against the person." %}
                    </p>
                {% endif %}
            {% endif %}
            {% legal_basis obligation.legal_rules %}
            {# Working assumptions where the law is silent: for the CPAS administrator and the DPO, not the workers. #}
            {% if nav.legal_assumptions and obligation.assumptions %}
                <p class="small">{% translate "Working assumptions of the application, to be validated by the legal service:" %}</p>
                <ul class="assumptions small">
                    {% for assumption in obligation.assumptions %}
                        <li data-assumption="{{ assumption.code }}">{{ assumption.label }}</li>
                    {% endfor %}
                </ul>
            {% endif %}
        </div>
        {% if obligation.study %}
            {# Only relevant when the person asks to study: folded away, with the answer in its summary. #}
            <details class="study-piis-details">
                <summary>
                    {% translate "Study PIIS" %}:
                    {% if obligation.study.allowed %}
                        {% translate "may be drafted" %}
                    {% else %}
                        {% translate "needs an equity decision first" %}
                    {% endif %}
                </summary>
                {% if obligation.study.allowed %}
                    <p class="study-piis">{% translate "A study PIIS may be drafted." %}</p>
                {% else %}
                    <p class="study-piis blocked">{{ obligation.study.message }}</p>
                {% endif %}
            </details>
        {% endif %}"""


def _file(cpas):
    """A file with rows of each kind, printed each way: with and without an end, a notification, tags, notes over
    several lines, a note, a lifted exemption, upcoming, active and ended ones, and characters HTML escapes."""
    worker = make_member(cpas)
    beneficiary = make_beneficiary(cpas, social_worker=worker.user)
    day = datetime.date
    make_ri_decision(cpas, beneficiary=beneficiary, category=1, decided_on=day(2026, 3, 2), requested_on=day(2026, 2, 1),
                     notified_on=day(2026, 3, 4), end_on=day(2026, 9, 30), monthly_amount=Decimal("12345.6"),
                     employed_with_top_up=True, full_time_studies=True, notes=f"Ligne {TRICKY}\r\nDeux\n\nQuatre")  # fmt: skip
    make_ri_decision(
        cpas, beneficiary=beneficiary, category=2, decided_on=day(2025, 1, 10), monthly_amount=Decimal("0")
    )
    make_ri_decision(cpas, beneficiary=beneficiary, category=3, decided_on=day(2024, 5, 6), notes=TRICKY,
                     monthly_amount=Decimal("1314.20"), full_time_studies=True)  # fmt: skip
    make_income_period(cpas, beneficiary=beneficiary)
    make_income_period(cpas, beneficiary=beneficiary, kind="employment", note=TRICKY,
                       start_on=day(2022, 1, 3), end_on=day(2022, 12, 31))  # fmt: skip
    make_exemption(cpas, beneficiary=beneficiary)  # ended by 2026-06-10
    make_exemption(cpas, beneficiary=beneficiary, ground="equity", motivation=f"Motif {TRICKY}\nsuite",
                   decided_by=TRICKY, start_on=day(2026, 6, 1), end_on=None, review_on=day(2026, 9, 1),
                   lifted_on=day(2026, 6, 5))  # fmt: skip
    make_exemption(cpas, beneficiary=beneficiary, start_on=day(2026, 7, 1), decided_on=day(2026, 6, 2),
                   review_on=day(2026, 8, 1), end_on=day(2026, 12, 31))  # fmt: skip
    make_exemption(cpas, beneficiary=beneficiary, start_on=day(2026, 5, 1), end_on=None)  # active
    return beneficiary


def _contexts(beneficiary):
    for language, can_edit, token in itertools.product(LANGUAGES, [True, False], ["tok<&>", None]):
        values = {"beneficiary": beneficiary, "can_edit": can_edit}
        if token:
            values["csrf_token"] = token
        yield language, values


def test_the_ri_decision_row_is_the_former_loop_body(cpas_a):
    beneficiary = _file(cpas_a)
    former = Template("{% load i18n %}" + FORMER_RI_ROW)
    decisions = list(beneficiary.ri_decisions.all())
    assert len(decisions) == 3
    for language, values in _contexts(beneficiary):
        with translation.override(language):
            for decision in decisions:
                expected = former.render(Context({**values, "decision": decision}))
                assert ri_decision_row(Context(values), decision) == expected, (language, values)


def test_the_income_period_row_is_the_former_loop_body(cpas_a):
    beneficiary = _file(cpas_a)
    former = Template("{% load i18n %}" + FORMER_PERIOD_ROW)
    periods = list(beneficiary.income_periods.all())
    assert len(periods) == 2
    for language, values in _contexts(beneficiary):
        with translation.override(language):
            for period in periods:
                expected = former.render(Context({**values, "period": period}))
                assert income_period_row(Context(values), period) == expected, (language, values)


def test_the_exemption_row_is_the_former_loop_body(cpas_a):
    beneficiary = _file(cpas_a)
    former = Template("{% load i18n %}" + FORMER_EXEMPTION_ROW)
    rows = exemptions_for_file(beneficiary=beneficiary, today=datetime.date(2026, 6, 10))
    assert {row.state for row in rows} == {"upcoming", "active", "ended"}
    for language, values in _contexts(beneficiary):
        with translation.override(language):
            for row in rows:
                expected = former.render(Context({**values, "row": row}))
                assert exemption_row(Context(values), row) == expected, (language, values)


def test_the_file_page_prints_every_row(cpas_a, login):
    beneficiary = _file(cpas_a)
    worker = beneficiary.social_worker.memberships.get(cpas=cpas_a)
    body = login(worker).get(f"/files/{beneficiary.pk}/").content.decode()
    assert body.count('<td class="amount">') == 3
    for kind, records in (
        ("ri", beneficiary.ri_decisions.all()),
        ("period", beneficiary.income_periods.all()),
        ("exemption", beneficiary.exemptions.all()),
    ):
        for record in records:
            assert f"/files/{beneficiary.pk}/{kind}/{record.pk}/" in body
    for period in beneficiary.income_periods.all():
        assert f"/files/{beneficiary.pk}/period/{period.pk}/remove/" in body
    assert "&lt;b&gt;chez&lt;/b&gt; &amp; &quot;Dupont&quot;" in body and "<b>chez</b>" not in body


def _obligations(beneficiary):
    """The real answer for the file, and made-up ones that take every branch of the box."""
    yield obligation_for_file(beneficiary=beneficiary, today=datetime.date(2026, 6, 10))
    decision = beneficiary.ri_decisions.first()
    reasons = (Label("new_beneficiary", f"Nouveau {TRICKY}"), Label("studies<&>", "Études"))
    assumptions = (Label("A1", f"Hypothèse {TRICKY}"), Label("A2", "Deux"))
    studies = (
        None,
        SimpleNamespace(allowed=True, message=""),
        SimpleNamespace(allowed=False, message=f"Décision {TRICKY}"),
    )
    day = datetime.date(2026, 7, 1)
    cases = itertools.product([True, False], [True, False], [None, day], [-3, 0, 1, 1500], [True, False], studies)
    for required, late, concluded, days_left, revived, study in cases:
        yield SimpleNamespace(
            ri_decision=decision,
            required=required,
            late=late,
            concluded_on=concluded,
            deadline=day if required else None,
            days_left=days_left if required else None,
            warning_date=datetime.date(2026, 6, 1) if days_left != 0 else None,
            revived=revived,
            reasons=reasons if days_left else (),
            assumptions=assumptions if days_left != 1 else (),
            legal_rules=("R1", "R13") if late else (),
            study=study,
        )


def test_the_obligation_box_is_the_former_branch(cpas_a):
    beneficiary = _file(cpas_a)
    former = Template("{% load i18n legal %}" + FORMER_OBLIGATION_BOX)
    navs = [{"legal_assumptions": True}, {"legal_assumptions": False}, None]
    obligations = list(_obligations(beneficiary))
    for language, nav in itertools.product(LANGUAGES, navs):
        values = {"beneficiary": beneficiary, "can_edit": True} | ({"nav": nav} if nav is not None else {})
        with translation.override(language):
            for obligation in obligations:
                expected = former.render(Context({**values, "obligation": obligation}))
                assert obligation_box(Context(values), obligation) == expected, (language, nav, obligation)


def test_per_language_renders_its_block_once_per_language_and_values():
    # A fresh template (its own node): what the block encloses is kept per language and value of its arguments.
    kept = Template(
        '{% load i18n www_cases %}{% per_language can_edit %}{% translate "Actions" %}'
        "{% if can_edit %} +{% endif %}{% endper_language %}"
    )
    rendered = {}
    for language, can_edit in itertools.product(["fr", "nl"], [True, False]):
        with translation.override(language):
            rendered[language, can_edit] = kept.render(Context({"can_edit": can_edit}))
            assert kept.render(Context({"can_edit": can_edit})) == rendered[language, can_edit]
    assert rendered["fr", True] == "Actions +" and rendered["fr", False] == "Actions"
    assert rendered["nl", True] == "Acties +"
    [node] = [n for n in kept.nodelist if hasattr(n, "rendered")]
    assert len(node.rendered) == 4  # one per language and value


def test_the_sections_are_the_same_for_every_file_in_one_language(cpas_a, login):
    """The kept blocks hold nothing of a file: a second file's sections show its own rows under the same heads."""
    first, second = _file(cpas_a), make_beneficiary(cpas_a)
    worker = first.social_worker.memberships.get(cpas=cpas_a)
    client = login(worker)
    client.get(f"/files/{first.pk}/")
    body = client.get(f"/files/{second.pk}/").content.decode()
    assert f"/files/{second.pk}/ri/new/" in body and f"/files/{first.pk}/" not in body
    assert '<td class="amount">' not in body and 'class="tag state-' not in body


@pytest.mark.parametrize(
    "inside",
    [
        "{{ beneficiary }}",
        "{% if beneficiary %}x{% endif %}",
        "{% if can_edit and beneficiary %}x{% endif %}",
        "{% translate message %}",
        '{% translate "x"|upper %}',
        "{% legal_basis rule %}",
        "{% url 'cases:detail' 1 %}",
        "{% for row in rows %}{% endfor %}",
        "{% include 'cases/_row_actions.html' %}",
    ],
)
def test_a_kept_block_refuses_what_could_hold_a_request_s_data(inside):
    # per_language keeps its HTML for every later request: it is refused when the template is read, not rendered.
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="per_language may not enclose"):
        Template("{% load www_cases i18n legal %}{% per_language can_edit %}" + inside + "{% endper_language %}")
    Template(
        '{% load www_cases i18n legal %}{% per_language can_edit %}{% if not can_edit %}{% translate "Yes" %}'
        '{% legal_basis "R2" %}{% else %}x{% endif %}{% endper_language %}'
    )
