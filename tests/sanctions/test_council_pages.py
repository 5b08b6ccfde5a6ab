"""The council's pages: the secretary plans a sitting, puts a ready dossier on its agenda, records a partial,
deferred suspension, the notification; the letter and the minutes as PDFs; members see their sittings on their
home page and nothing else; refused input is a translated form error with the typed values kept."""

import datetime

import pytest
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.sanctions.enums import DossierStatus
from piis.sanctions.models import CouncilSitting, Decision
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.council_builders import ready_dossier

D = datetime.date


def _ok(response):
    assert response.status_code == 302, response.content[:800]
    return response


@pytest.mark.django_db
@pytest.mark.scenario("T36")
@pytest.mark.scenario("T41")
def test_the_secretary_runs_a_sitting_from_planning_to_the_minutes(cpas_a, client, login):
    dossier = ready_dossier(cpas_a)
    secretary = make_member(cpas_a, "council_secretary")
    member = make_member(cpas_a, "council_member")
    other_member = make_member(cpas_a, "council_member")
    with at(D(2026, 5, 13)):
        login(secretary)
        _ok(client.post(reverse("council:sitting_new"), {"organ": "special_committee", "sits_on": "2026-05-20",
                                                          "starts_at": "14:00", "place": "Salle 1",
                                                          "members": [member.user_id]}))  # fmt: skip
        sitting = CouncilSitting.objects.get()
        page = client.get(reverse("council:sitting", args=[sitting.pk]))
        assert str(dossier.beneficiary) in page.content.decode()  # offered as ready
        _ok(client.post(reverse("council:item_add_dossier", args=[sitting.pk]), {"dossier": dossier.pk}))
    item = sitting.items.get()
    with at(D(2026, 5, 20)):
        login(secretary)  # a week later: a new session (session lifetime)
        url = reverse("council:item_decide", args=[item.pk])
        form = client.get(url)
        assert form.status_code == 200 and "2026-07-01" in form.content.decode()  # the proposed start (R62)
        data = {"outcome": "partial_suspension", "months": "1.5", "share": "50", "deferral": "partial",
                "deferred_share": "50", "probation_end": "2026-11-20", "start_on": "2026-07-01",
                "ground": "piis_non_compliance", "motivation": "Trois absences.",
                "labour_court": "Tribunal du travail de Liège", "letter_language": "fr"}  # fmt: skip
        refused = client.post(url, data)
        assert refused.status_code == 200
        assert "longer than the law allows" in refused.content.decode() and 'value="1.5"' in refused.content.decode()
        _ok(client.post(url, {**data, "months": "1"}))
    decision = Decision.objects.get()
    assert (decision.share, decision.deferred_share) == (decision.share.__class__("0.50"),) * 2
    with at(D(2026, 5, 26)):
        login(secretary)
        _ok(client.post(reverse("council:decision_notified", args=[decision.pk]),
                        {"letter_sent_on": "2026-05-21", "delivery_method": "registered", "notified_on": "2026-05-22",
                         "start_on": "2026-07-01"}))  # fmt: skip
        decision.refresh_from_db()
        assert decision.appeal_deadline == D(2026, 8, 24) and decision.letter  # 22/08 is a Saturday
        letter = client.get(reverse("council:decision_letter", args=[decision.pk]))
        assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
        _ok(client.post(reverse("council:minutes_close", args=[sitting.pk]), {"present": "Mme A, M. B"}))
        minutes = client.get(reverse("council:minutes_pdf", args=[sitting.pk]))
        assert minutes.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_DECISION_LETTER_OPENED).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.SANCTION_MINUTES_OPENED).exists()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED
    # the member convened sees the sitting on the home page, the other member does not
    login(member)
    home = client.get(reverse("core:home"))
    assert reverse("council:sitting", args=[sitting.pk]) not in home.content.decode()  # minutes closed: past
    assert client.get(reverse("council:sitting", args=[sitting.pk])).status_code == 200
    assert client.get(reverse("council:decision_letter", args=[decision.pk])).status_code in (200, 302)
    assert client.get(reverse("council:item_decide", args=[item.pk])).status_code == 403
    login(other_member)
    assert client.get(reverse("council:sitting", args=[sitting.pk])).status_code == 404


@pytest.mark.django_db
def test_a_council_member_finds_the_sittings_to_come_on_the_home_page(cpas_a, client, login):
    from piis.sanctions import services_council

    secretary = make_member(cpas_a, "council_secretary")
    member = make_member(cpas_a, "council_member")
    with at(D(2026, 11, 20)):
        sitting = services_council.sitting_plan(actor=secretary.user, cpas=cpas_a, organ="council",
                                                sits_on=D(2026, 12, 3), members=[member.user])  # fmt: skip
    login(member)
    with at(D(2026, 11, 27)):
        login(member)
        home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert reverse("council:sitting", args=[sitting.pk]) in home.content.decode()


@pytest.mark.django_db
def test_the_register_is_for_the_director_not_for_a_social_worker(cpas_a, client, login):
    login(make_member(cpas_a, "director"))
    assert client.get(reverse("council:register")).status_code == 200
    login(make_member(cpas_a, "social_worker"))
    assert client.get(reverse("council:register")).status_code == 403
