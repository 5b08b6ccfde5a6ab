"""What the person can do on the portal (piis/portal/actions.py): each action recorded once, audited, confirmed on
screen; bad input keeps what was typed; other people's ids are 404."""

import uuid

import pytest
from django.urls import reverse

from piis.audit.models import AuditEvent
from piis.cases.models import Assistant
from piis.contracts.models import AmendmentRequest
from piis.followup.models import EvaluationComment, MeetingRequest
from piis.transfers.enums import TransferStatus
from tests.factories import make_beneficiary, make_cpas, make_member
from tests.followup.builders import make_evaluation
from tests.portal.helpers import open_account, portal_login
from tests.transfers.builders import make_piis_in_force, make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cpas_a, worker_a):
    """The person (with a PIIS in force, an evaluation and a transfer waiting for their answer), another person of
    the same CPAS and one of another CPAS, each with the same."""

    def person(cpas, worker, **kwargs):
        beneficiary = make_beneficiary(cpas, social_worker=worker.user, **kwargs)
        contract = make_piis_in_force(cpas, beneficiary=beneficiary, social_worker=worker.user)
        evaluation = make_evaluation(cpas, contract=contract, difficulties="Horaires du soir")
        transfer = make_transfer(cpas, contract=contract)
        return {"beneficiary": beneficiary, "contract": contract, "evaluation": evaluation, "transfer": transfer}

    cpas_b = make_cpas()
    me = person(cpas_a, worker_a, first_name="Amina", email="amina@example.org", language="fr")
    account, _issued = open_account(worker_a, me["beneficiary"])
    return {
        "me": me,
        "account": account,
        "other": person(cpas_a, worker_a),
        "elsewhere": person(cpas_b, make_member(cpas_b)),
    }


@pytest.fixture
def person_client(client, world):
    return portal_login(client, world["account"])


def test_landing_page_lists_the_actions_and_records_the_read(person_client, world):
    response = person_client.get(reverse("portal:actions"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("ask_meeting", "ask_amendment", "set_assistant"):
        assert reverse(f"portal:{name}") in html
    assert reverse("portal:comment_evaluation", args=[world["me"]["evaluation"].pk]) in html
    assert reverse("portal:answer_transfer", args=[world["me"]["transfer"].pk]) in html
    assert reverse("portal:comment_evaluation", args=[world["other"]["evaluation"].pk]) not in html
    event = AuditEvent.objects.get(verb="portal_requests_opened")
    assert event.actor == world["account"].user and event.beneficiary_id == world["me"]["beneficiary"].pk


def test_ask_for_a_meeting_once_even_sent_twice_and_confirmed(
    person_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    page = person_client.get(reverse("portal:ask_meeting")).content.decode()
    assert 'name="submission_key"' in page
    data = {"reason": "Ma formation", "submission_key": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = person_client.post(reverse("portal:ask_meeting"), data, follow=True)
        person_client.post(reverse("portal:ask_meeting"), data)
    request = MeetingRequest.objects.get()
    assert request.from_portal and request.beneficiary == world["me"]["beneficiary"]
    assert request.deadline.strftime("%d/%m/%Y") in first.content.decode()  # confirmed on screen
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["amina@example.org"]


def test_bad_input_keeps_what_was_typed_and_says_why_in_french(person_client):
    typed = "é" * 301
    response = person_client.post(reverse("portal:ask_meeting"), {"reason": typed})
    html = response.content.decode()
    assert response.status_code == 200 and typed in html
    assert "300" in html and "caractères" in html
    assert not MeetingRequest.objects.exists()
    response = person_client.post(reverse("portal:ask_amendment"), {"text": "  "})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not AmendmentRequest.objects.exists()


def test_comment_an_evaluation_beside_the_workers_text(person_client, world):
    evaluation = world["me"]["evaluation"]
    url = reverse("portal:comment_evaluation", args=[evaluation.pk])
    page = person_client.get(url).content.decode()
    assert "Horaires du soir" in page
    response = person_client.post(url, {"text": "Je travaille le soir", "disagrees": "on",
                                         "submission_key": str(uuid.uuid4())})  # fmt: skip
    assert response.status_code == 302
    comment = EvaluationComment.objects.get()
    assert comment.disagrees and comment.evaluation == evaluation
    assert "Je travaille le soir" in person_client.get(url).content.decode()


def test_ask_for_an_amendment_and_say_who_helps(person_client, world):
    response = person_client.post(reverse("portal:ask_amendment"), {"text": "Moins d'heures"})
    assert response.status_code == 302
    assert AmendmentRequest.objects.get().contract == world["me"]["contract"]
    response = person_client.post(reverse("portal:set_assistant"), {"name": "Marie", "relationship": "Sœur"})
    assert response.status_code == 302
    assert Assistant.objects.get(beneficiary=world["me"]["beneficiary"]).name == "Marie"


def test_refuse_the_transfer_then_a_second_send_changes_nothing(person_client, world):
    transfer = world["me"]["transfer"]
    url = reverse("portal:answer_transfer", args=[transfer.pk])
    assert person_client.post(url, {}).status_code == 200  # no choice: said why, nothing written
    assert person_client.post(url, {"answer": "refuse"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and transfer.channel == "portal"
    response = person_client.post(url, {"answer": "accept"}, follow=True)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other", "elsewhere"])
def test_other_peoples_ids_are_404(person_client, world, who):
    theirs = world[who]
    for url in (
        reverse("portal:comment_evaluation", args=[theirs["evaluation"].pk]),
        reverse("portal:answer_transfer", args=[theirs["transfer"].pk]),
    ):
        assert person_client.get(url).status_code == 404
        assert person_client.post(url, {"text": "x", "answer": "refuse"}).status_code == 404
    assert not EvaluationComment.objects.exists()
    theirs["transfer"].refresh_from_db()
    assert theirs["transfer"].status == TransferStatus.AWAITING_ANSWER


def test_no_piis_in_force_no_amendment_page(client, cpas_a, worker_a):
    account, _ = open_account(worker_a, make_beneficiary(cpas_a, social_worker=worker_a.user))
    portal_login(client, account)
    assert client.get(reverse("portal:ask_amendment")).status_code == 404
    assert client.get(reverse("portal:actions")).status_code == 200


def test_not_logged_in_goes_to_the_portal_login(client):
    response = client.get(reverse("portal:ask_meeting"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
