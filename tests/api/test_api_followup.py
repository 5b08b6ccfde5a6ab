"""Follow-up writes through the API: evaluations (record, correct with If-Match), a meeting request withdrawn, the
delivery of a commitment. Each goes through the service of the page (followup.services), so its rules, its audit
row under the integration's name and its error codes apply; a stale If-Match is refused with 412."""

import pytest

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.followup.models import CommitmentReview, Evaluation, ObjectiveProgress
from tests.api.builders import make_token
from tests.factories import make_clause, make_member, make_objective, make_third_party
from tests.followup.builders import make_evaluation, make_in_force_contract, make_meeting_request

BASE = "/api/v1"
LABEL = "api: Paie CPAS"


def _call(client, method, path, token, data=None, **extra):
    return getattr(client, method)(
        BASE + path, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token.text}", **extra
    )


@pytest.fixture
def contract(cpas_a):
    worker = make_member(cpas_a)
    contract = make_in_force_contract(cpas_a, social_worker=worker.user)
    contract.objective = make_objective(cpas_a, contract=contract)
    contract.cpas_clause = make_clause(cpas_a, contract=contract, party="cpas", proposed_by="cpas",
                                       kind="cost_coverage", text="Le CPAS paie l'inscription.")  # fmt: skip
    contract.person_clause = make_clause(cpas_a, contract=contract)  # the person's: not reviewed by an evaluation
    contract.third_party = make_third_party(cpas_a, contract=contract)
    return contract


@pytest.fixture
def token(cpas_a):
    return make_token(cpas_a)


@pytest.mark.django_db
def test_an_evaluation_is_recorded_through_the_service_under_the_integration_name(client, contract, token):
    body = {
        "held_on": "2026-03-10",
        "mode": "home_visit",
        "beneficiary_present": True,
        "third_party_ids": [contract.third_party.pk],
        "difficulties": "Transport",
        "progress": [{"objective_id": contract.objective.pk, "progress": "in_progress", "note": "inscrite"}],
        "commitments": [{"clause_id": contract.cpas_clause.pk, "delivery": "delivered"}],
    }
    key = "6a1f0c9e-0000-4000-8000-00000000e001"
    done = _call(client, "post", f"/contracts/{contract.pk}/evaluations", token, body, HTTP_IDEMPOTENCY_KEY=key)
    assert done.status_code == 201, done.content
    answer = done.json()
    assert answer["recorded_by"] == LABEL and answer["third_party_ids"] == [contract.third_party.pk]
    progress = {"objective_id": contract.objective.pk, "progress": "in_progress", "note": "inscrite"}
    assert answer["progress"] == [progress]
    assert answer["commitments"] == [{"clause_id": contract.cpas_clause.pk, "delivery": "delivered", "note": ""}]
    assert done["ETag"].startswith('"')
    evaluation = Evaluation.objects.get(pk=answer["id"])
    assert evaluation.recorded_by is None and evaluation.recorded_by_label == LABEL
    events = AuditEvent.objects.filter(verb=AuditVerb.EVALUATION_RECORDED, beneficiary_id=contract.beneficiary_id)
    assert events.filter(target_id=str(evaluation.pk)).exists()  # and one row per answer, per clause moved
    assert {(e.actor_id, e.actor_label) for e in events} == {(None, LABEL)}
    # The service's own consequence: the review moved the CPAS's commitment to "done" (DELIVERY_FROM_REVIEW).
    contract.cpas_clause.refresh_from_db()
    assert contract.cpas_clause.delivery_status == "done"
    # The same request sent again records nothing more (it would count twice in the contract year).
    again = _call(client, "post", f"/contracts/{contract.pk}/evaluations", token, body, HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again.json()["id"] == evaluation.pk
    assert Evaluation.objects.filter(contract=contract).count() == 1
    # The contract year as the rules core counts it: a home visit is in person.
    detail = _call(client, "get", f"/contracts/{contract.pk}", token).json()
    year = detail["evaluation_years"][0]
    assert year["held"] == 1 and year["in_person"] == 1 and year["status_label"]
    assert {c["id"] for c in detail["commitments"]} == {contract.cpas_clause.pk, contract.person_clause.pk}


@pytest.mark.django_db
def test_a_phone_evaluation_does_not_count_in_person(client, contract, token):
    done = _call(client, "post", f"/contracts/{contract.pk}/evaluations", token, {"held_on": "2026-03-10",
                 "mode": "phone"})  # fmt: skip
    assert done.status_code == 201
    year = _call(client, "get", f"/contracts/{contract.pk}", token).json()["evaluation_years"][0]
    assert year["held"] == 1 and year["in_person"] == 0 and year["missing_in_person"] >= 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"held_on": "2026-01-01"}, 400, "EVALUATION_BEFORE_CONCLUSION"),  # before the PIIS was signed
        ({"held_on": "2099-01-01"}, 400, "DATE_IN_FUTURE"),  # recorded once held (the page's date range)
        ({"mode": "carrier_pigeon"}, 422, "API_INVALID_INPUT"),
        ({"progress": [{"objective_id": 2**31 - 1, "progress": "reached"}]}, 422, "API_INVALID_INPUT"),
        ({"difficulties": "a\x00b"}, 422, "API_INVALID_INPUT"),
    ],
)
def test_an_evaluation_refused_says_why_and_writes_nothing(client, contract, token, change, status, code):
    body = {"held_on": "2026-03-10", "mode": "office", **change}
    refused = _call(client, "post", f"/contracts/{contract.pk}/evaluations", token, body)
    assert refused.status_code == status, refused.content
    assert refused.json()["code"] == code and refused.json()["message"] and code not in refused.json()["message"]
    assert not Evaluation.objects.filter(contract=contract).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.EVALUATION_RECORDED).exists()


@pytest.mark.django_db
def test_an_evaluation_is_recorded_on_a_piis_in_force_only_in_the_caller_language(client, cpas_a, token):
    draft = make_in_force_contract(cpas_a, status="draft", signed_on=None)
    body = {"held_on": "2026-03-10", "mode": "office"}
    english = _call(client, "post", f"/contracts/{draft.pk}/evaluations", token, body).json()
    dutch = _call(client, "post", f"/contracts/{draft.pk}/evaluations", token, body, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert english["code"] == dutch["code"] == "EVALUATION_CONTRACT_NOT_IN_FORCE"
    assert english["message"] != dutch["message"]


@pytest.mark.django_db
def test_an_evaluation_is_corrected_with_the_etag_read_and_a_stale_one_is_refused(client, contract, token):
    evaluation = make_evaluation(contract.cpas, contract=contract, held_on="2026-03-10", mode="office")
    ObjectiveProgress.objects.create(cpas=contract.cpas, evaluation=evaluation, objective=contract.objective,
                                     progress="not_started")  # fmt: skip
    path = f"/evaluations/{evaluation.pk}"
    read = _call(client, "get", path, token)
    assert read.status_code == 200 and read.json()["progress"][0]["progress"] == "not_started"
    body = {"held_on": "2026-03-11", "mode": "video", "adjustments": "Horaire adapté",
            "progress": [{"objective_id": contract.objective.pk, "progress": "reached"}]}  # fmt: skip
    assert _call(client, "put", path, token, body).status_code == 428
    # Someone records an answer on the page meanwhile: the ETag read (which covers the answers) is stale.
    ObjectiveProgress.objects.filter(evaluation=evaluation).update(note="vu au bureau")
    stale = _call(client, "put", path, token, body, HTTP_IF_MATCH=read["ETag"], HTTP_ACCEPT_LANGUAGE="fr")
    assert stale.status_code == 412 and stale.json()["code"] == "API_STALE" and stale.json()["message"]
    evaluation.refresh_from_db()
    assert evaluation.mode == "office"
    fresh = _call(client, "get", path, token)["ETag"]
    done = _call(client, "put", path, token, body, HTTP_IF_MATCH=fresh)
    assert done.status_code == 200, done.content
    assert done.json()["mode"] == "video" and done.json()["progress"][0]["progress"] == "reached"
    assert done["ETag"] != fresh
    evaluation.refresh_from_db()
    assert evaluation.held_on.isoformat() == "2026-03-11" and evaluation.adjustments == "Horaire adapté"
    event = AuditEvent.objects.filter(verb=AuditVerb.EVALUATION_CORRECTED, target_id=str(evaluation.pk)).first()
    assert event is not None and event.actor is None and event.actor_label == LABEL
    # What the correction leaves out is no longer assessed (the whole of it, as the page's form).
    body.pop("progress")
    again = _call(client, "put", path, token, body, HTTP_IF_MATCH=done["ETag"])
    assert again.status_code == 200 and again.json()["progress"] == []
    assert not ObjectiveProgress.objects.filter(evaluation=evaluation).exists()
    assert not CommitmentReview.objects.filter(evaluation=evaluation).exists()


@pytest.mark.django_db
def test_follow_up_writes_need_the_write_scope(client, contract, cpas_a):
    reader = make_token(cpas_a, scopes=["read_files"])
    evaluation = make_evaluation(cpas_a, contract=contract)
    etag = _call(client, "get", f"/evaluations/{evaluation.pk}", reader)["ETag"]
    body = {"held_on": "2026-03-10", "mode": "office"}
    assert _call(client, "post", f"/contracts/{contract.pk}/evaluations", reader, body).status_code == 403
    assert _call(client, "put", f"/evaluations/{evaluation.pk}", reader, body, HTTP_IF_MATCH=etag).status_code == 403
    clause = contract.cpas_clause
    etag = _call(client, "get", f"/commitments/{clause.pk}", reader)["ETag"]
    delivery = {"status": "done", "on": "2026-04-01"}
    assert _call(client, "post", f"/commitments/{clause.pk}/delivery", reader, delivery,
                 HTTP_IF_MATCH=etag).status_code == 403  # fmt: skip
    assert Evaluation.objects.filter(contract=contract).count() == 1
    clause.refresh_from_db()
    assert clause.delivery_status == "planned"


@pytest.mark.django_db
def test_the_delivery_of_a_commitment_is_recorded_with_the_etag_read(client, contract, token):
    clause = contract.cpas_clause
    path = f"/commitments/{clause.pk}"
    read = _call(client, "get", path, token)
    assert read.status_code == 200 and read.json()["delivery_status"] == "planned" and read.json()["party"] == "cpas"
    assert AuditEvent.objects.filter(verb=AuditVerb.CONTRACT_OPENED, actor_label=LABEL).exists()
    future = _call(client, "post", path + "/delivery", token, {"status": "done", "on": "2099-01-01"},
                   HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    assert future.status_code == 400 and future.json()["field"] == "on"
    early = _call(client, "post", path + "/delivery", token, {"status": "done", "on": "2026-01-02"},
                  HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    assert early.status_code == 400 and early.json()["code"] == "DELIVERY_BEFORE_CONCLUSION"
    # Someone records a delivery on the page meanwhile: the ETag read is stale.
    type(clause).objects.filter(pk=clause.pk).update(delivery_status="in_progress", delivery_status_on="2026-03-01")
    stale = _call(client, "post", path + "/delivery", token, {"status": "done", "on": "2026-04-01"},
                  HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    assert stale.status_code == 412 and stale.json()["code"] == "API_STALE"
    fresh = _call(client, "get", path, token)["ETag"]
    delivered = {"status": "done", "on": "2026-04-01"}
    done = _call(client, "post", path + "/delivery", token, delivered, HTTP_IF_MATCH=fresh)
    assert done.status_code == 200, done.content
    assert done.json()["delivery_status"] == "done" and done.json()["delivery_status_on"] == "2026-04-01"
    event = AuditEvent.objects.get(verb=AuditVerb.CLAUSE_CHANGED, target_id=str(clause.pk))
    assert event.actor is None and event.actor_label == LABEL


@pytest.mark.django_db
def test_a_meeting_request_is_withdrawn_with_the_etag_read(client, cpas_a, token):
    meeting = make_meeting_request(cpas_a)
    path = f"/meeting-requests/{meeting.pk}"
    etag = _call(client, "get", path, token)["ETag"]
    assert _call(client, "post", path + "/withdrawn", token, {"withdrawn_on": "2026-04-05"}).status_code == 428
    before = _call(client, "post", path + "/withdrawn", token, {"withdrawn_on": "2026-04-01"}, HTTP_IF_MATCH=etag)
    assert before.status_code == 400 and before.json()["code"] == "DATE_BEFORE_MEETING_REQUEST"
    done = _call(client, "post", path + "/withdrawn", token, {"withdrawn_on": "2026-04-05"}, HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "withdrawn" and done.json()["withdrawn_on"] == "2026-04-05"
    event = AuditEvent.objects.get(verb=AuditVerb.MEETING_WITHDRAWN)
    assert event.actor is None and event.actor_label == LABEL
    held = _call(client, "post", path + "/held", token, {"held_on": "2026-04-06"}, HTTP_IF_MATCH=done["ETag"])
    assert held.status_code == 400 and held.json()["code"] == "MEETING_REQUEST_CLOSED"
