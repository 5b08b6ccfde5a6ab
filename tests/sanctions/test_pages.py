"""The pages of the procedure before the council: the main path through the forms, the checklist on the page,
the notice letter, and who may see a dossier (apart from the support file)."""

import datetime

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.sanctions.enums import DossierStatus
from piis.sanctions.models import SanctionDossier
from tests.factories import make_member, make_team
from tests.followup.builders import at
from tests.sanctions.builders import in_force_contract

D = datetime.date
TODAY = D(2026, 5, 12)


def _post(client, url, data, *, follow=False):
    response = client.post(url, data, follow=follow)
    assert response.status_code in (200, 302), (url, response.status_code)
    if response.status_code == 200 and not follow:
        form = response.context.get("form")
        raise AssertionError(f"{url}: {form.errors if form else response.content[:500]}")
    return response


def _step(dossier, step):
    return reverse("sanctions:step", args=[dossier.pk, step])


def _walk_to_ready(client, contract, *, deliver=True):
    """Every step before the council, recorded on one day (12/05/2026) with the dates they happened."""
    data = {"clause": contract.breached.pk, "breach_on": "2026-04-20", "facts": "Absent trois lundis."}
    _post(client, reverse("sanctions:open", args=[contract.pk]), data)
    dossier = SanctionDossier.objects.get(contract=contract)
    _post(client, _step(dossier, "notice"), {"language": "fr", "comply_by": "2026-05-20"})
    _post(client, reverse("sanctions:notice_sent", args=[dossier.pk]), {"sent_on": "2026-04-23"})
    _post(client, _step(dossier, "hearing-right"), {"right_notified_on": "2026-04-23", "reply_by": "2026-05-08"})
    if deliver:
        _post(client, _step(dossier, "delivered"), {"delivery_method": "registered", "delivered_on": "2026-04-25"})
    _post(client, _step(dossier, "answer"), {"kind": "written", "answered_on": "2026-05-04",
                                             "answer_text": "Je n'ai pas pu venir."})  # fmt: skip
    _post(client, _step(dossier, "reason"), {"found": "no", "assessment": "Aucune explication pour ces lundis."})
    _post(client, _step(dossier, "hearing-answer"), {"answer": "no_reply"})
    _post(client, _step(dossier, "commitments"), {"tied": [str(contract.cpas_commitment.pk)]})
    opinion = {"proposal": "suspension", "proposed_months": "1", "proposed_percent": "50", "opinion": "Absences."}
    _post(client, _step(dossier, "opinion"), opinion)
    return dossier


@pytest.mark.django_db
@pytest.mark.scenario("T35")
def test_t35_the_page_shows_the_sanction_excluded_until_an_override_is_written(cpas_a, login):
    member = make_member(cpas_a)
    contract = in_force_contract(cpas_a, worker=member.user)
    with at(TODAY):
        client = login(member)
        dossier = _walk_to_ready(client, contract)
        response = client.get(reverse("sanctions:detail", args=[dossier.pk]))
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        page = response.content.decode()
        assert "Sanction excluded" in page and "R57" not in page
        client.post(reverse("sanctions:ready", args=[dossier.pk]))
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.PREPARING
        _post(client, _step(dossier, "override"), {"motivation": "Frais couverts par le centre lui-même."})
        client.post(reverse("sanctions:ready", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    assert dossier.notice.letter.name.endswith(".pdf")  # the letter as sent is kept
    with at(TODAY):
        pdf = client.get(reverse("sanctions:notice_pdf", args=[dossier.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_NOTICE_OPENED, beneficiary_id=dossier.beneficiary_id)


@pytest.mark.django_db
@pytest.mark.scenario("T33")
def test_t33_a_notice_never_delivered_keeps_the_dossier_from_the_council(cpas_a, login):
    member = make_member(cpas_a)
    contract = in_force_contract(cpas_a, worker=member.user)
    contract.cpas_commitment.delivery_status, contract.cpas_commitment.delivery_status_on = "done", D(2026, 3, 30)
    contract.cpas_commitment.save()
    with at(TODAY):
        client = login(member)
        dossier = _walk_to_ready(client, contract, deliver=False)
        page = client.get(reverse("sanctions:detail", args=[dossier.pk])).content.decode()
        client.post(reverse("sanctions:ready", args=[dossier.pk]))
    assert "Record when the formal notice reached the person." in page
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NOTICE_SENT


@pytest.mark.django_db
def test_the_dossier_is_apart_from_the_file_other_workers_and_members_in_preparation_get_404(cpas_a, login):
    member = make_member(cpas_a)
    contract = in_force_contract(cpas_a, worker=member.user)
    with at(TODAY):
        dossier = _walk_to_ready(login(member), contract)
        url = reverse("sanctions:detail", args=[dossier.pk])
        other_team = make_team(cpas_a)
        for role in (Role.SOCIAL_WORKER, Role.TEAM_LEAD):  # a worker and a lead of another team
            assert login(make_member(cpas_a, role, team=other_team)).get(url).status_code == 404
        assert login(make_member(cpas_a, Role.COUNCIL_MEMBER)).get(url).status_code == 404  # before the council
        for role in (Role.TEAM_LEAD, Role.COUNCIL_SECRETARY):
            assert login(make_member(cpas_a, role)).get(url).status_code == 200
        assert login(make_member(cpas_a, Role.DIRECTOR)).get(url).status_code == 403


@pytest.mark.django_db
def test_a_refused_step_keeps_the_typed_values_and_says_why(cpas_a, login):
    member = make_member(cpas_a)
    contract = in_force_contract(cpas_a, worker=member.user)
    with at(TODAY):
        client = login(member)
        data = {"clause": contract.breached.pk, "breach_on": "2026-01-10", "facts": "Mes faits"}
        response = client.post(reverse("sanctions:open", args=[contract.pk]), data)
    assert response.status_code == 200
    assert "No PIIS was in force on the date of the breach." in response.content.decode()
    assert "Mes faits" in response.content.decode()
    assert not SanctionDossier.objects.exists()


@pytest.mark.django_db
def test_the_dossier_list_reads_a_fixed_number_of_queries_whatever_the_number_of_dossiers(cpas_a, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.sanctions.builders import make_dossier

    lead = make_member(cpas_a, Role.TEAM_LEAD)
    client = login(lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("sanctions:list")).status_code == 200
        return len(captured)

    make_dossier(cpas_a)
    few = queries()
    for _ in range(6):
        make_dossier(cpas_a)
    assert queries() == few
