"""The council's dates and steps reach the pages of those who act on them (selectors_council.timeline_entries and
agenda_entries): the file page of the person's social worker shows the council's steps next to the procedure's; the
secretary's home page lists the appeal deadlines still running, in an audit row that names the person."""

import datetime

import pytest
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.sanctions import services_council
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.council_builders import ready_dossier, sitting_with, suspension

D = datetime.date


def _notified(cpas):
    dossier = ready_dossier(cpas)
    _sitting, item, secretary = sitting_with(cpas, dossier)
    with at(D(2026, 5, 20)):
        decision = services_council.decision_record(actor=secretary, item=item, given=suspension())
    with at(D(2026, 5, 22)):
        services_council.decision_notified(actor=secretary, decision=decision, letter_sent_on=D(2026, 5, 21),
                                           delivery_method="registered", notified_on=D(2026, 5, 22))  # fmt: skip
    decision.refresh_from_db()
    return decision, secretary


@pytest.mark.django_db
def test_the_social_worker_sees_the_council_steps_on_the_file(cpas_a, client, login):
    decision, _secretary = _notified(cpas_a)
    worker = decision.dossier.contract.social_worker.memberships.get(cpas=cpas_a)
    with at(D(2026, 6, 1)):
        login(worker)
        page = client.get(reverse("cases:detail", args=[decision.beneficiary_id])).content.decode()
    assert 'id="council-steps"' in page
    assert "On the agenda of the council" in page and "Council decision" in page and "Decision notified" in page
    assert decision.appeal_deadline.strftime("%d/%m/%Y") in page


@pytest.mark.django_db
def test_a_worker_outside_the_file_sees_no_council_steps(cpas_a, client, login):
    decision, _secretary = _notified(cpas_a)
    director = make_member(cpas_a, "director")
    with at(D(2026, 6, 1)):
        login(director)
        response = client.get(reverse("cases:detail", args=[decision.beneficiary_id]))
    assert 'id="council-steps"' not in response.content.decode()


@pytest.mark.django_db
def test_the_secretary_finds_the_running_appeal_deadlines_on_the_home_page(cpas_a, client, login):
    decision, secretary = _notified(cpas_a)
    membership = secretary.memberships.get(cpas=cpas_a)
    url = reverse("council:sitting", args=[decision.item.sitting_id]) + f"#item-{decision.item_id}"
    with at(D(2026, 6, 1)):
        login(membership)
        page = client.get(reverse("core:home")).content.decode()
    assert url in page and str(decision.beneficiary) in page
    row = AuditEvent.objects.filter(actor=secretary, verb=AuditVerb.FILE_LIST_OPENED).latest("pk")
    assert decision.beneficiary_id in row.changes["beneficiaries"]
    with at(decision.appeal_deadline + datetime.timedelta(days=1)):  # the deadline passed: no longer listed
        login(membership)
        assert url not in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_a_council_member_sees_no_appeal_deadline(cpas_a, client, login):
    decision, _secretary = _notified(cpas_a)
    member = make_member(cpas_a, "council_member")
    with at(D(2026, 6, 1)):
        login(member)
        page = client.get(reverse("core:home")).content.decode()
    assert str(decision.beneficiary) not in page
