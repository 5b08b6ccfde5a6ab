"""Issue 15, the pages' own time: what the agenda prints per row is made in Python (www.rows) with the same HTML and
message ids as the templates it replaces; the home page counts the files in reach by a UNION (the same count as the
list's OR); the file search's first page counts itself when it holds every match (no COUNT)."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from piis.accounts.enums import Role
from piis.cases.selectors import beneficiary_list
from piis.www.home import count_files
from piis.www.rows import days_left_html, pk_url, signing_possible_html
from tests.factories import make_beneficiary, make_contract, make_member, make_team

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 4, 8)


def _squash(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("days", [-400, -2, -1, 0, 1, 2, 30])
def test_days_left_is_the_template_it_replaces(language, days):
    due_on = TODAY + datetime.timedelta(days=days)
    with translation.override(language):
        template = render_to_string("followup/_days_left.html", {"due_on": due_on, "today": TODAY})
        assert _squash(days_left_html(due_on, TODAY)) == _squash(template)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_signing_possible_is_the_agenda_s_sentence(language):
    from django.template import engines

    template = engines["django"].from_string(
        '{% load i18n %}<span class="deadline-reached">{% blocktranslate with date=d|date:"d/m/Y" %}'
        "signing possible since {{ date }}{% endblocktranslate %}</span>"
    )
    with translation.override(language):
        assert signing_possible_html(TODAY) == template.render({"d": TODAY})


def test_pk_url_is_reverse():
    for name in ("cases:detail", "contracts:detail"):
        for pk in (1, 42, 8642097531, 123456789012):
            assert pk_url(name, pk) == reverse(name, args=[pk])


def test_home_counts_the_files_the_list_shows(cpas_a):
    team, other_team = make_team(cpas_a), make_team(cpas_a)
    worker = make_member(cpas_a, team=team)
    lead = make_member(cpas_a, role=Role.TEAM_LEAD, team=team)
    follower = make_member(cpas_a, team=other_team)  # reaches a file of another team through its open PIIS
    for _ in range(3):
        make_beneficiary(cpas_a, social_worker=worker.user, team=team)
    make_beneficiary(cpas_a, team=other_team)
    make_beneficiary(cpas_a, team=None)  # a team lead dispatches the files without a team
    followed = make_beneficiary(cpas_a, team=other_team)
    make_contract(cpas_a, beneficiary=followed, social_worker=follower.user, status="in_force")
    ended = make_beneficiary(cpas_a, team=team)
    make_contract(cpas_a, beneficiary=ended, social_worker=follower.user, status="ended")
    make_beneficiary(cpas_a, social_worker=lead.user, team=other_team)  # the lead's own file in another team
    for membership in (worker, lead, follower, make_member(cpas_a, role=Role.DIRECTOR)):
        assert count_files(membership) == (
            beneficiary_list(membership=membership).count(),
            beneficiary_list(membership=membership, mine=True).count(),
        )
    assert count_files(worker) == (4, 3)  # their three files and the team's file of an ended PIIS
    assert count_files(follower) == (3, 0)  # their team's three files (one of them followed through a PIIS)
    assert count_files(make_member(cpas_a, role=Role.DPO)) == (0, 0)


def test_a_search_within_one_page_runs_no_count(cpas_a, worker_a, login):
    wanted = make_beneficiary(cpas_a, social_worker=worker_a.user, last_name="Zeebroek")
    client = login(worker_a)
    client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:list"), {"q": wanted.national_number, "everywhere": "1"})
    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert response.context["page"].paginator.count == 1
    assert list(response.context["page"].object_list) == [wanted]
    assert reverse("cases:detail", args=[wanted.pk]) in response.content.decode()


def test_a_search_beyond_one_page_counts_and_pages(cpas_a, worker_a, login):
    from piis.cases.views import PAGE_SIZE

    for _ in range(PAGE_SIZE + 3):
        make_beneficiary(cpas_a, social_worker=worker_a.user, last_name="Peeters")
    client = login(worker_a)
    with CaptureQueriesContext(connection) as captured:
        first = client.get(reverse("cases:list"), {"q": "peeters"})
    beneficiary_reads = [q for q in captured.captured_queries if 'FROM "cases_beneficiary"' in q["sql"]]
    assert len(beneficiary_reads) == 2  # the first page and one more row, then the COUNT: not the page read again
    assert first.context["page"].paginator.count == PAGE_SIZE + 3
    assert len(first.context["page"].object_list) == PAGE_SIZE and 'rel="next"' in first.content.decode()
    second = client.get(reverse("cases:list"), {"q": "peeters", "page": 2})
    assert len(second.context["page"].object_list) == 3
    few = client.get(reverse("cases:list"), {"q": "nobody-is-called-this"})
    assert few.context["page"].paginator.count == 0 and "page" in few.context


# The agenda's row loop as the template had it (followup/agenda.html before issue 15's rows in Python).
ROW_TEMPLATE = """{% load i18n %}{% for item in page %}
<tr class="agenda-{{ item.kind }}{% if item.overdue %} is-overdue{% elif item.at_risk %} is-at-risk{% endif %}">
<th scope="row">{{ item.due_on|date:"d/m/Y" }}<br>
{% if item.opens_signing and item.due_on <= today %}
<span class="deadline-reached">{% blocktranslate with date=item.due_on|date:"d/m/Y" %}signing possible since \
{{ date }}{% endblocktranslate %}</span>
{% else %}{% include "followup/_days_left.html" with due_on=item.due_on %}{% endif %}
</th>
<td>{{ item.kind_label }}</td>
<td><a href="{% url 'cases:detail' item.beneficiary.pk %}">{{ item.beneficiary }}</a>
{% if item.contract %}<br><a class="small" href="{% url 'contracts:detail' item.contract.pk %}">\
{% translate "PIIS" %}</a>{% endif %}
</td>
<td>{% if item.url %}<a href="{{ item.url }}">{{ item.label }}</a>{% else %}{{ item.label }}{% endif %}
{% if item.detail %}<br><span class="small">{{ item.detail }}</span>{% endif %}
</td></tr>{% endfor %}"""


def _tags(html: str) -> str:
    return " ".join(html.replace(">", "> ").replace("<", " <").split()).replace("> ", ">").replace(" <", "<")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_agenda_rows_are_the_template_loop_they_replace(cpas_a, language):
    from django.template import engines

    from piis.contracts.models import Contract
    from piis.followup.agenda import AgendaItem
    from piis.www.agenda import _rows

    person = make_beneficiary(cpas_a, first_name="Zoé <b>", last_name="D'Hondt & fils")
    contract = Contract(pk=77, cpas_id=cpas_a.pk, beneficiary_id=person.pk)
    items = [
        AgendaItem(
            kind,
            TODAY + datetime.timedelta(days=days),
            person,
            piis,
            label,
            overdue,
            5,
            at_risk=risk,
            url=url,
            detail=detail,
        )  # fmt: skip
        for kind, days, piis, label, overdue, risk, url, detail in [
            ("evaluation", -12, contract, "Évaluer <vite>", True, False, "/contracts/77/?a=1&b=2", "«détail» & co"),
            ("conclusion", 3, None, "Conclure", False, True, "", ""),
            ("reflection", -2, contract, "Fin de la réflexion", False, False, "/x/", ""),
            ("reflection", 4, contract, "Fin de la réflexion", False, False, "/x/", ""),
            ("meeting", 0, None, "Entretien", False, False, "/m/", "Sujet: <script>"),
            ("step_due", 1, contract, "Étape", False, False, "", "un"),
        ]
    ]
    with translation.override(language):
        expected = engines["django"].from_string(ROW_TEMPLATE).render({"page": items, "today": TODAY})
        assert _tags(_rows(items, TODAY)) == _tags(expected)


def test_the_main_menu_is_rendered_per_language_and_entries(cpas_a, worker_a, login, client):
    from django.template.loader import render_to_string as render_fresh

    dpo = make_member(cpas_a, role=Role.DPO)
    files_link = f'href="{reverse("cases:list")}"'
    audit_link = f'href="{reverse("audit:list")}"'
    for language in ("fr", "nl", "fr"):
        worker_page = login(worker_a).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language)
        dpo_page = login(dpo).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language)
        worker_html, dpo_html = worker_page.content.decode(), dpo_page.content.decode()
        assert files_link in worker_html and audit_link not in worker_html
        assert files_link not in dpo_html and audit_link in dpo_html
        with translation.override(worker_page.wsgi_request.LANGUAGE_CODE):
            fresh = render_fresh("www/_main_menu.html", {"nav": worker_page.context["nav"]})
        assert fresh in worker_html


def test_the_agenda_filters_show_the_chosen_values_and_errors(cpas_a, worker_a, login):
    client = login(worker_a)
    agenda = reverse("followup:agenda")
    for language in ("fr", "nl"):
        for kind, horizon in (("evaluation", "30"), ("", ""), ("meeting", "7"), ("evaluation", "30")):
            html = client.get(agenda, {"kind": kind, "horizon": horizon}, HTTP_ACCEPT_LANGUAGE=language)
            html = html.content.decode()
            filters = html[html.index("agenda-filters") : html.index("</form>", html.index("agenda-filters"))]
            assert f'<option value="{kind}" selected>' in filters and f'<option value="{horizon}" selected>' in filters
            assert filters.count(" selected>") == 2 and 'role="alert"' not in filters
        wrong = client.get(agenda, {"kind": "no-such-kind"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'role="alert"' in wrong and "no-such-kind" in wrong
        again = client.get(agenda, {"kind": "no-such-kind"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'role="alert"' in again
        assert 'role="alert"' not in client.get(agenda, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_agenda_rows_from_the_table_s_values_are_the_same(cpas_a, language):
    """A page's lines are read as values (followup.agenda.FileRef, ContractRef): the same HTML as from instances."""
    from piis.contracts.models import Contract
    from piis.followup.agenda import AgendaItem, ContractRef, FileRef
    from piis.www.agenda import _rows

    person = make_beneficiary(cpas_a, first_name="Zoé <b>", last_name="D'Hondt & fils")
    ref = FileRef(person.pk, cpas_a.pk, person.first_name, person.last_name)
    assert ref == person and str(ref) == str(person)
    lines = [("evaluation", -12, True, "/c/?a=1&b=2", "«d» & co"), ("reflection", -2, False, "", ""),
             ("meeting", 0, False, "/m/", "<i>")]  # fmt: skip
    with translation.override(language):
        for with_refs in (False, True):
            items = [
                AgendaItem(
                    kind,
                    TODAY + datetime.timedelta(days=days),
                    ref if with_refs else person,
                    ContractRef(77) if with_refs else Contract(pk=77, cpas_id=cpas_a.pk),
                    "Évaluer <vite>",
                    overdue,
                    5,
                    url=url,
                    detail=detail,
                )  # fmt: skip
                for kind, days, overdue, url, detail in lines
            ]
            html = _rows(items, TODAY)
            if not with_refs:
                expected = html
        assert html == expected


# The home page's lists of deadlines as the template had them (www/_deadline_list.html before www.rows made them).
DEADLINE_LIST_TEMPLATE = (
    "{# comment #}\n"
    '<ul class="plain small {{ list_class }}"{% if list_label %} aria-label="{{ list_label }}"{% endif %}>\n'
    "    {% for item in items %}\n"
    "        <li>\n"
    '            <a href="{{ item.url }}">{{ item.due_on|date:"SHORT_DATE_FORMAT" }} — {{ item.kind_label }} — '
    "{{ item.beneficiary }}</a>\n"
    "        </li>\n"
    "    {% endfor %}\n"
    "</ul>\n"
)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_home_deadline_lists_are_the_template_they_replace(cpas_a, language):
    from django.template import engines

    from piis.followup.agenda import AgendaItem, FileRef
    from piis.www.rows import deadline_list_html

    person = FileRef(41, cpas_a.pk, "Zoé <b>", "D'Hondt & fils")
    items = [
        AgendaItem("evaluation", TODAY, person, None, "Évaluer", True, 5, url="/contracts/77/?a=1&b=2"),
        AgendaItem("meeting", TODAY + datetime.timedelta(days=3), person, None, "Entretien", False, 6, url="/m/"),
    ]
    with translation.override(language):
        for shown, label in ((items, "Échues <x>"), (items[:1], ""), ([], "")):
            context = {"items": shown, "list_class": "home-overdue", "list_label": label}
            expected = engines["django"].from_string(DEADLINE_LIST_TEMPLATE).render(context)
            assert deadline_list_html(shown, "home-overdue", label) == expected


def test_the_language_switcher_is_the_template_it_replaces(cpas_a, worker_a, login):
    from django.template.loader import render_to_string as render_fresh

    client = login(worker_a)
    for language in ("fr", "nl", "fr"):
        page = client.get(reverse("core:home") + "?a=1&b=<x>", HTTP_ACCEPT_LANGUAGE=language)
        request = page.wsgi_request
        with translation.override(request.LANGUAGE_CODE):
            fresh = render_fresh("components/language_switcher.html", {"request": request, "csrf_token": "tok&en"})
        html = page.content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        assert fresh.replace("tok&amp;en", token) in html
        assert "a=1&amp;b=%3Cx%3E" in html or "a=1&amp;b=&lt;x&gt;" in html
