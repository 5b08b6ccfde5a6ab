"""The REST API (/api/v1/): tokens, scopes, the CPAS fence on every operation, audit under the integration's name,
pagination and the OpenAPI document."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from piis.api.api import api
from piis.api.models import ApiToken
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary
from tests.api.builders import make_token
from tests.factories import make_beneficiary, make_member, make_ri_decision

BASE = "/api/v1"


def _get(client, path, token, **extra):
    return client.get(BASE + path, HTTP_AUTHORIZATION=f"Bearer {token.text}", **extra)


def _id_operations():
    """Every GET operation of the OpenAPI document that takes an object's id."""
    paths = api.get_openapi_schema()["paths"]
    return sorted(p.removeprefix(BASE) for p, ops in paths.items() if "{" in p and "get" in ops)


@pytest.fixture
def world(cpas_a, cpas_b, layouts):
    from tests.contracts.test_pdf_store import version_of
    from tests.factories import make_clause, make_cpas
    from tests.followup.builders import make_evaluation, make_in_force_contract, make_meeting_request
    from tests.sanctions.builders import make_payment_line
    from tests.transfers.test_open_piis import _sent_elsewhere

    objects = {}
    for key, cpas in (("a", cpas_a), ("b", cpas_b)):
        worker = make_member(cpas)
        person = make_beneficiary(cpas, last_name="Janssens" if key == "a" else "Peeters", social_worker=worker.user)
        make_ri_decision(cpas, beneficiary=person)
        version = version_of(cpas, worker, signed=True)  # its PDF is stored on the first read
        in_force = make_in_force_contract(cpas, beneficiary=person, social_worker=worker.user)
        objects[key] = {
            "in_force": in_force,
            "evaluation_id": make_evaluation(cpas, contract=in_force),
            "clause_id": make_clause(cpas, contract=in_force, party="cpas", proposed_by="cpas", kind="cost_coverage"),
            "file_id": person,
            "contract_id": version.contract,
            "number": version.number,
            "meeting_id": make_meeting_request(cpas, beneficiary=person),
            "export_id": make_payment_line(cpas).export,
            "transfer_id": _sent_elsewhere(cpas, make_cpas(name=f"CPAS Ailleurs {key}")),
            "worker": worker,
        }
    return {
        "a": objects["a"]["file_id"],
        "b": objects["b"]["file_id"],
        "ids": objects,
        "token_a": make_token(cpas_a),
        "token_b": make_token(cpas_b),
    }


def _fill(path: str, objects: dict) -> str:
    for name, obj in objects.items():
        path = path.replace("{" + name + "}", str(getattr(obj, "pk", obj)))
    assert "{" not in path, f"no object for {path}: add it to the world fixture"
    return path


@pytest.mark.django_db
def test_every_id_operation_is_listed():
    assert len(_id_operations()) >= 9


@pytest.mark.django_db
@pytest.mark.parametrize("path", _id_operations())
def test_a_token_of_cpas_a_reaches_nothing_of_cpas_b(client, world, path):
    own = _get(client, _fill(path, world["ids"]["a"]), world["token_a"])
    assert own.status_code == 200, own.content
    other = _get(client, _fill(path, world["ids"]["b"]), world["token_a"])
    assert other.status_code == 404
    assert other.json()["code"] == "API_NOT_FOUND"


# The operations without an id to put in their path, or that write: each crossed CPAS-wise by a function of its own.


def _cross_file_search(client, world):
    listed = {row["id"] for row in _get(client, "/files?limit=100", world["token_a"]).json()["items"]}
    assert world["a"].pk in listed and world["b"].pk not in listed
    assert _get(client, "/files?q=Peeters", world["token_a"]).json()["items"] == []


def _cross_meeting_create(client, world):
    from piis.followup.models import MeetingRequest

    before = MeetingRequest.objects.filter(cpas=world["b"].cpas).count()
    body = {"requested_on": "2026-04-03"}
    assert _post(client, f"/files/{world['a'].pk}/meeting-requests", world["token_a"], body).status_code == 201
    crossed = _post(client, f"/files/{world['b'].pk}/meeting-requests", world["token_a"], body)
    assert crossed.status_code == 404 and MeetingRequest.objects.filter(cpas=world["b"].cpas).count() == before


def _cross_meeting_held(client, world):
    theirs = world["ids"]["b"]["meeting_id"]
    crossed = _post(client, f"/meeting-requests/{theirs.pk}/held", world["token_a"], {"held_on": "2026-04-08"},
                    HTTP_IF_MATCH='"x"')  # fmt: skip
    assert crossed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def _cross_export_list(client, world):
    listed = [row["id"] for row in _get(client, "/sanction-exports", world["token_a"]).json()["items"]]
    assert listed == [world["ids"]["a"]["export_id"].pk]


def _cross_agenda(client, world):
    mine, theirs = world["ids"]["a"]["worker"], world["ids"]["b"]["worker"]
    own = _get(client, f"/agenda?worker={mine.user_id}", world["token_a"]).json()
    assert {item["file_id"] for item in own["items"]} <= set(
        Beneficiary.objects.filter(cpas=world["a"].cpas).values_list("pk", flat=True)
    )
    assert _get(client, f"/agenda?worker={theirs.user_id}", world["token_a"]).status_code == 404


def _cross_transfer_import(client, world):
    from piis.transfers.models import IncomingTransfer

    package = _get(client, f"/transfers/{world['ids']['b']['transfer_id'].pk}/package", world["token_b"])
    crossed = client.post(BASE + "/transfers/import", data=package.content, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {world['token_a'].text}")  # fmt: skip
    assert crossed.status_code == 400 and crossed.json()["code"] == "PACKAGE_NOT_FOR_US"
    assert not IncomingTransfer.objects.filter(cpas=world["a"].cpas).exists()


def _stored_claims(world, month):
    from tests.reports.builders import compute

    for key in ("a", "b"):
        compute(world[key].cpas, month)


def _cross_subsidy_lines(client, world):
    _stored_claims(world, datetime.date(2026, 2, 1))
    own = _get(client, "/subsidy-lines?month=2026-02-01", world["token_a"]).json()["items"]
    assert world["a"].pk in {line["file_id"] for line in own}
    assert world["b"].pk not in {line["file_id"] for line in own}
    assert set(
        Beneficiary.objects.filter(pk__in=[line["file_id"] for line in own]).values_list("cpas", flat=True)
    ) == {world["a"].cpas_id}


def _cross_evaluation_create(client, world):
    from piis.followup.models import Evaluation

    before = Evaluation.objects.filter(cpas=world["b"].cpas).count()
    body = {"held_on": "2026-03-20", "mode": "office"}
    mine, theirs = world["ids"]["a"]["in_force"], world["ids"]["b"]["in_force"]
    assert _post(client, f"/contracts/{mine.pk}/evaluations", world["token_a"], body).status_code == 201
    crossed = _post(client, f"/contracts/{theirs.pk}/evaluations", world["token_a"], body)
    assert crossed.status_code == 404 and Evaluation.objects.filter(cpas=world["b"].cpas).count() == before


def _cross_evaluation_update(client, world):
    theirs = world["ids"]["b"]["evaluation_id"]
    body = {"held_on": "2026-03-21", "mode": "phone", "difficulties": "crossed"}
    crossed = client.put(BASE + f"/evaluations/{theirs.pk}", data=body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {world['token_a'].text}", HTTP_IF_MATCH='"x"')  # fmt: skip
    assert crossed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.mode == "office" and theirs.difficulties == ""


def _cross_meeting_withdrawn(client, world):
    theirs = world["ids"]["b"]["meeting_id"]
    crossed = _post(client, f"/meeting-requests/{theirs.pk}/withdrawn", world["token_a"],
                    {"withdrawn_on": "2026-04-08"}, HTTP_IF_MATCH='"x"')  # fmt: skip
    assert crossed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def _cross_commitment_delivery(client, world):
    theirs = world["ids"]["b"]["clause_id"]
    crossed = _post(client, f"/commitments/{theirs.pk}/delivery", world["token_a"],
                    {"status": "done", "on": "2026-04-08"}, HTTP_IF_MATCH='"x"')  # fmt: skip
    assert crossed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.delivery_status == "planned"


CROSSED = {
    "post /contracts/{contract_id}/evaluations": _cross_evaluation_create,
    "put /evaluations/{evaluation_id}": _cross_evaluation_update,
    "post /meeting-requests/{meeting_id}/withdrawn": _cross_meeting_withdrawn,
    "post /commitments/{clause_id}/delivery": _cross_commitment_delivery,
    "get /subsidy-lines": _cross_subsidy_lines,
    "get /files": _cross_file_search,
    "post /files/{file_id}/meeting-requests": _cross_meeting_create,
    "post /meeting-requests/{meeting_id}/held": _cross_meeting_held,
    "get /sanction-exports": _cross_export_list,
    "get /agenda": _cross_agenda,
    "post /transfers/import": _cross_transfer_import,
}


@pytest.mark.django_db
def test_every_operation_of_the_document_is_crossed_cpas_wise():
    paths = api.get_openapi_schema()["paths"]
    every = {f"{method} {p.removeprefix(BASE)}" for p, ops in paths.items() for method in ops}
    by_id = {f"get {p}" for p in _id_operations()}
    assert every - by_id - set(CROSSED) == set(), "cross the new operations CPAS-wise: add them to CROSSED"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(CROSSED))
def test_a_token_of_cpas_a_reaches_nothing_of_cpas_b_without_an_id(client, world, operation):
    CROSSED[operation](client, world)


@pytest.mark.django_db
def test_a_token_of_cpas_a_lists_and_searches_only_cpas_a(client, world):
    listed = {row["id"] for row in _get(client, "/files", world["token_a"]).json()["items"]}
    assert world["a"].pk in listed and listed <= set(
        Beneficiary.objects.filter(cpas=world["a"].cpas).values_list("pk", flat=True)
    )
    assert world["b"].pk not in listed
    assert _get(client, "/files?q=Peeters", world["token_a"]).json()["items"] == []
    assert _get(client, f"/files?q={world['b'].national_number}", world["token_a"]).json()["items"] == []
    found = _get(client, f"/files?q={world['a'].national_number[:8]}", world["token_a"]).json()["items"]
    assert [row["id"] for row in found] == [world["a"].pk]


@pytest.mark.django_db
def test_a_token_naming_another_cpas_is_refused(client, world):
    forged = world["token_a"].text.replace(f"piis_{world['a'].cpas_id}_", f"piis_{world['b'].cpas_id}_")
    response = client.get(BASE + "/files", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401
    assert response.json()["code"] == "API_NOT_AUTHENTICATED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nonsense", "Bearer piis_1_x", "Bearer piis_99999999999999999999_x", "Basic abc"]
)
def test_without_a_valid_token_nothing_answers(client, world, header):
    response = client.get(BASE + "/files", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


@pytest.mark.django_db
def test_expired_and_revoked_tokens_are_refused(client, world):
    token = world["token_a"]
    assert _get(client, "/files", token).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(client, "/files", token).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert _get(client, "/files", token).status_code == 401


@pytest.mark.django_db
def test_scopes_are_enforced(client, cpas_a):
    file_a = make_beneficiary(cpas_a)
    token = make_token(cpas_a, scopes=["export"])
    response = _get(client, f"/files/{file_a.pk}", token)
    assert response.status_code == 403
    assert response.json()["code"] == "API_SCOPE_MISSING"
    assert response.json()["message"]  # translated text, not the code


@pytest.mark.django_db
def test_reads_are_audited_under_the_integration_name(client, world):
    file_a = world["a"]
    _get(client, f"/files/{file_a.pk}", world["token_a"])
    event = AuditEvent.objects.filter(verb=AuditVerb.FILE_OPENED, beneficiary_id=file_a.pk).get()
    assert event.actor is None
    assert event.actor_label == "api: Paie CPAS"
    assert event.context == f"{BASE}/files/{file_a.pk}"
    _get(client, "/files", world["token_a"])
    listed = AuditEvent.objects.filter(verb=AuditVerb.FILE_LIST_OPENED).get()
    assert listed.actor_label == "api: Paie CPAS"


@pytest.mark.django_db
def test_cursor_pagination_walks_every_file_once(client, cpas_a):
    files = {make_beneficiary(cpas_a).pk for _ in range(5)}
    token = make_token(cpas_a)
    seen, cursor, pages = [], "", 0
    while True:
        page = _get(client, f"/files?limit=2&cursor={cursor}", token).json()
        seen += [row["id"] for row in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(files) and pages == 3


@pytest.mark.django_db
def test_the_file_read_carries_an_etag(client, world):
    response = _get(client, f"/files/{world['a'].pk}", world["token_a"])
    assert response["ETag"].startswith('"')


@pytest.mark.django_db
def test_rate_limit_per_token(client, world, settings):
    settings.PIIS_API_RATE_PER_MINUTE = 3
    codes = [_get(client, "/files", world["token_a"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert _get(client, "/files", world["token_b"]).status_code == 200  # another token has its own budget


@pytest.mark.django_db
def test_a_call_is_counted_by_one_query(world):
    """The rate limit: one upsert per call; the first call of a minute also writes "last used" and lets the token's
    past minutes go."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from piis.api.auth import _count_call
    from piis.api.models import ApiCallCount
    from piis.core.rls import set_current_cpas

    token = world["token_a"]
    set_current_cpas(token.cpas_id)
    ApiCallCount.objects.create(cpas_id=token.cpas_id, token=token, minute=1, calls=5)
    with CaptureQueriesContext(connection) as first:
        _count_call(token)
    with CaptureQueriesContext(connection) as second:
        _count_call(token)
    assert (len(first), len(second)) == (3, 1)
    assert list(ApiCallCount.objects.filter(token=token).values_list("calls", flat=True)) == [2]


@pytest.mark.django_db
def test_the_openapi_document_and_docs_page_are_served(client):
    assert client.get(BASE + "/openapi.json").json()["info"]["title"] == "PIIS API"
    docs = client.get(BASE + "/docs")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # no inline script: the CSP (script-src 'self') would block it


def _post(client, path, token, data, **extra):
    return client.post(
        BASE + path, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token.text}", **extra
    )


@pytest.mark.django_db
def test_a_meeting_is_marked_held_with_the_etag_read_and_a_stale_one_is_refused(client, cpas_a):
    from tests.followup.builders import make_meeting_request

    meeting = make_meeting_request(cpas_a)
    token = make_token(cpas_a)
    etag = _get(client, f"/meeting-requests/{meeting.pk}", token)["ETag"]
    # Someone changes it on the page meanwhile: the ETag read is stale.
    type(meeting).objects.filter(pk=meeting.pk).update(subject="Changed on the page")
    stale = _post(client, f"/meeting-requests/{meeting.pk}/held", token, {"held_on": "2026-04-08"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "API_STALE"
    missing = _post(client, f"/meeting-requests/{meeting.pk}/held", token, {"held_on": "2026-04-08"})
    assert missing.status_code == 428
    fresh = _get(client, f"/meeting-requests/{meeting.pk}", token)["ETag"]
    done = _post(client, f"/meeting-requests/{meeting.pk}/held", token, {"held_on": "2026-04-08"}, HTTP_IF_MATCH=fresh)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "held" and done["ETag"] != fresh
    event = AuditEvent.objects.get(verb=AuditVerb.MEETING_HELD)
    assert event.actor_label == "api: Paie CPAS" and event.actor is None
    again = _post(
        client, f"/meeting-requests/{meeting.pk}/held", token, {"held_on": "2026-04-08"}, HTTP_IF_MATCH=done["ETag"]
    )
    assert again.status_code == 400 and again.json()["code"] == "MEETING_REQUEST_CLOSED" and again.json()["message"]


@pytest.mark.django_db
def test_writes_need_their_scope_and_stay_in_the_token_cpas(client, cpas_a, cpas_b):
    from tests.followup.builders import make_meeting_request

    theirs = make_meeting_request(cpas_b)
    mine = make_meeting_request(cpas_a)
    token = make_token(cpas_a)
    reader = make_token(cpas_a, scopes=["read_files"])
    assert _get(client, f"/meeting-requests/{theirs.pk}", token).status_code == 404
    crossed = _post(
        client, f"/meeting-requests/{theirs.pk}/held", token, {"held_on": "2026-04-08"}, HTTP_IF_MATCH='"x"'
    )
    assert crossed.status_code == 404
    refused = _post(
        client, f"/meeting-requests/{mine.pk}/held", reader, {"held_on": "2026-04-08"}, HTTP_IF_MATCH='"x"'
    )
    assert refused.status_code == 403
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == mine.status == "open"


@pytest.mark.django_db
def test_payment_exports_need_the_export_scope_and_their_reads_are_audited(client, world, cpas_a):
    export = world["ids"]["a"]["export_id"]
    reader = make_token(cpas_a, scopes=["read_files"])
    assert _get(client, "/sanction-exports", reader).status_code == 403
    listed = _get(client, "/sanction-exports", world["token_a"]).json()["items"]
    assert [row["id"] for row in listed] == [export.pk]
    csv = _get(client, f"/sanction-exports/{export.pk}/csv", world["token_a"])
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.startswith(b"export_id,line_id")
    event = AuditEvent.objects.get(verb=AuditVerb.SANCTION_PAYMENTS_OPENED)
    assert event.actor_label == "api: Paie CPAS"


@pytest.mark.django_db
def test_meeting_requests_filter_on_status_and_dates(client, world, cpas_a):
    from tests.followup.builders import make_meeting_request

    person = world["a"]
    make_meeting_request(cpas_a, beneficiary=person, status="held", held_on="2026-04-09")
    path = f"/files/{person.pk}/meeting-requests"
    assert len(_get(client, path, world["token_a"]).json()) == 2
    assert [m["status"] for m in _get(client, path + "?status=held", world["token_a"]).json()] == ["held"]
    assert _get(client, path + "?requested_from=2026-05-01", world["token_a"]).json() == []
    assert _get(client, path + "?status=nonsense", world["token_a"]).status_code == 422


@pytest.mark.django_db
def test_an_error_message_speaks_the_caller_language(client, cpas_a):
    from tests.followup.builders import make_meeting_request

    meeting = make_meeting_request(cpas_a, status="held", held_on="2026-04-09")
    token = make_token(cpas_a)
    etag = _get(client, f"/meeting-requests/{meeting.pk}", token)["ETag"]
    path = f"/meeting-requests/{meeting.pk}/held"
    english = _post(client, path, token, {"held_on": "2026-04-09"}, HTTP_IF_MATCH=etag).json()
    french = _post(
        client, path, token, {"held_on": "2026-04-09"}, HTTP_IF_MATCH=etag, HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    assert english["code"] == french["code"] == "MEETING_REQUEST_CLOSED"
    assert english["message"] != french["message"]


@pytest.mark.django_db
def test_the_file_list_reads_in_a_fixed_number_of_queries(client, cpas_a, django_assert_max_num_queries):
    token = make_token(cpas_a)
    for _ in range(3):
        make_beneficiary(cpas_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _get(client, "/files?limit=100", token)
    for _ in range(12):
        make_beneficiary(cpas_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_get(client, "/files?limit=100", token).json()["items"]) == 15


@pytest.mark.django_db
def test_a_transfer_package_goes_out_and_comes_in_through_the_api(client, world, cpas_a):
    from piis.transfers.models import IncomingTransfer

    transfer = world["ids"]["a"]["transfer_id"]
    package = _get(client, f"/transfers/{transfer.pk}/package", world["token_a"])
    assert package.status_code == 200 and package.json()["package_id"] == transfer.package["package_id"]
    assert AuditEvent.objects.filter(verb=AuditVerb.TRANSFER_PACKAGE_EXPORTED, actor_label="api: Paie CPAS").exists()
    from piis.accounts.models import Cpas

    elsewhere = Cpas.objects.get(nis_code=transfer.package["destination"]["nis_code"])
    receiver = make_token(elsewhere)
    url = BASE + "/transfers/import"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {receiver.text}"}
    done = client.post(url, data=package.content, content_type="application/json", **auth)
    assert done.status_code == 201, done.content
    assert IncomingTransfer.objects.filter(cpas=elsewhere, pk=done.json()["incoming_id"]).exists()
    again = client.post(url, data=package.content, content_type="application/json", **auth)
    assert again.status_code == 400 and again.json()["code"] == "PACKAGE_ALREADY_IMPORTED"
    wrong = client.post(url, data=package.content, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {world['token_a'].text}")  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["code"] == "PACKAGE_NOT_FOR_US"


# --- the signed PDF, meeting requests written, the agenda, payment exports ---------------------------------------


@pytest.fixture
def layouts(monkeypatch):
    calls = []

    def layout(html, **kwargs):
        calls.append(1)
        return b"%PDF-1.7 laid out " + str(len(calls)).encode()

    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", layout)
    return calls


@pytest.mark.django_db
def test_a_signed_version_pdf_is_served_from_storage_with_its_sha256(client, cpas_a, cpas_b, worker_a, layouts):
    import hashlib

    from tests.contracts.test_pdf_store import version_of

    version = version_of(cpas_a, worker_a, signed=True)
    token, other = make_token(cpas_a), make_token(cpas_b)
    path = f"/contracts/{version.contract_id}/versions/{version.number}/pdf"
    first = _get(client, path, token)
    assert first.status_code == 200, first.content
    assert first["Content-Type"] == "application/pdf" and first["X-PIIS-Stored"] == "true"
    assert first["X-Content-SHA256"] == hashlib.sha256(first.content).hexdigest()
    second = _get(client, path, token)
    assert second.content == first.content and len(layouts) == 1  # rendered once
    version.refresh_from_db()
    assert version.pdf_sha256 == first["X-Content-SHA256"]
    assert AuditEvent.objects.filter(verb=AuditVerb.CONTRACT_PDF_OPENED, actor_label="api: Paie CPAS").count() == 2
    crossed = _get(client, path, other)
    assert crossed.status_code == 404 and len(layouts) == 1
    assert _get(client, f"/contracts/{version.contract_id}/versions/99/pdf", token).status_code == 404


@pytest.mark.django_db
def test_a_draft_version_pdf_is_laid_out_on_request(client, cpas_a, worker_a, layouts):
    from tests.contracts.test_pdf_store import version_of

    version = version_of(cpas_a, worker_a, signed=False)
    token = make_token(cpas_a)
    path = f"/contracts/{version.contract_id}/versions/{version.number}/pdf"
    assert _get(client, path, token)["X-PIIS-Stored"] == "false"
    assert _get(client, path, token).status_code == 200 and len(layouts) == 2


@pytest.mark.django_db
def test_a_layout_stopped_answers_503_with_its_code(client, cpas_a, worker_a, monkeypatch):
    from piis.core.errors import ServiceError
    from tests.contracts.test_pdf_store import version_of

    def slow(html, **kwargs):
        raise ServiceError("PRINT_TIMEOUT")

    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", slow)
    version = version_of(cpas_a, worker_a, signed=True)
    response = _get(client, f"/contracts/{version.contract_id}/versions/1/pdf", make_token(cpas_a))
    assert response.status_code == 503 and response.json()["code"] == "PRINT_TIMEOUT" and response["Retry-After"]


@pytest.mark.django_db
def test_a_meeting_request_is_recorded_through_the_service_under_the_integration_name(client, world):
    person, token = world["a"], world["token_a"]
    body = {"requested_on": "2026-04-03", "requested_by": "beneficiary", "subject": "Formation"}
    key = "6a1f0c9e-0000-4000-8000-000000000001"
    done = _post(client, f"/files/{person.pk}/meeting-requests", token, body, HTTP_IDEMPOTENCY_KEY=key)
    assert done.status_code == 201, done.content
    assert done.json()["deadline"] > "2026-04-03" and done["ETag"]
    from piis.followup.models import MeetingRequest

    meeting = MeetingRequest.objects.get(pk=done.json()["id"])
    assert meeting.recorded_by is None and meeting.recorded_by_label == "api: Paie CPAS"
    event = AuditEvent.objects.get(verb=AuditVerb.MEETING_REQUESTED, target_id=str(meeting.pk))
    assert event.actor is None and event.actor_label == "api: Paie CPAS"
    again = _post(client, f"/files/{person.pk}/meeting-requests", token, body, HTTP_IDEMPOTENCY_KEY=key)
    assert again.json()["id"] == meeting.pk  # the same request sent twice records one
    crossed = _post(client, f"/files/{world['b'].pk}/meeting-requests", token, body)
    assert crossed.status_code == 404
    reader = make_token(person.cpas, scopes=["read_files"])
    assert _post(client, f"/files/{person.pk}/meeting-requests", reader, body).status_code == 403
    wrong = _post(client, f"/files/{person.pk}/meeting-requests", token, {**body, "requested_on": "1850-01-01"})
    assert wrong.status_code in (400, 422) and wrong.json()["code"] and wrong.json()["message"]


@pytest.mark.django_db
def test_the_agenda_of_a_worker_is_their_files_deadlines_and_nothing_of_another_cpas(client, world, cpas_a, cpas_b):
    from tests.followup.builders import make_meeting_request

    worker_a, worker_b = make_member(cpas_a), make_member(cpas_b)
    for person, worker in ((world["a"], worker_a), (world["b"], worker_b)):
        person.social_worker = worker.user
        person.save()
    meeting = make_meeting_request(cpas_a, beneficiary=world["a"])
    page = _get(client, f"/agenda?worker={worker_a.user_id}", world["token_a"]).json()
    assert page["worker"] == worker_a.user_id and page["total"] >= 1
    assert {item["file_id"] for item in page["items"]} == {world["a"].pk}
    assert f"meeting:{meeting.pk}:{meeting.deadline.isoformat()}" in {item["key"] for item in page["items"]}
    assert AuditEvent.objects.filter(verb=AuditVerb.FILE_LIST_OPENED, actor_label="api: Paie CPAS").exists()
    assert _get(client, f"/agenda?worker={worker_b.user_id}", world["token_a"]).status_code == 404
    assert _get(client, f"/agenda?worker={worker_a.user_id}&kind=nonsense", world["token_a"]).status_code == 422
    one = _get(client, f"/agenda?worker={worker_a.user_id}&limit=1", world["token_a"]).json()
    if page["total"] > 1:
        rest = _get(client, f"/agenda?worker={worker_a.user_id}&limit=200&cursor={one['next_cursor']}",
                    world["token_a"]).json()  # fmt: skip
        assert [i["key"] for i in one["items"] + rest["items"]] == [i["key"] for i in page["items"]]


@pytest.mark.django_db
def test_payment_exports_page_and_their_suspension_periods(client, world, cpas_a):
    from tests.sanctions.builders import make_payment_line

    token = world["token_a"]
    older = world["ids"]["a"]["export_id"]
    newer = make_payment_line(cpas_a).export
    first = _get(client, "/sanction-exports?limit=1", token).json()
    assert [row["id"] for row in first["items"]] == [newer.pk] and first["next_cursor"]
    rest = _get(client, f"/sanction-exports?limit=1&cursor={first['next_cursor']}", token).json()
    assert [row["id"] for row in rest["items"]] == [older.pk] and rest["next_cursor"] is None
    assert _get(client, "/sanction-exports?exported_until=2000-01-01", token).json()["items"] == []
    detail = _get(client, f"/sanction-exports/{older.pk}", token).json()
    line = older.lines.get()
    assert detail["periods"][0]["line_id"] == line.pk
    assert detail["periods"][0]["start_on"] == line.start_on.isoformat()
    assert detail["periods"][0]["file_id"] == line.beneficiary_id


@pytest.mark.django_db
def test_subsidy_lines_of_a_month_need_the_export_scope_filter_and_page(client, world, cpas_a):
    token = world["token_a"]
    reader = make_token(cpas_a, scopes=["read_files"])
    assert _get(client, "/subsidy-lines?month=2026-02-01", reader).status_code == 403
    # A month never computed says so (409, its code), never an empty claim that would read as zero.
    missing = _get(client, "/subsidy-lines?month=2026-02-01", token)
    assert missing.status_code == 409 and missing.json()["code"] == "SUBSIDY_CLAIM_NOT_COMPUTED"
    _stored_claims(world, datetime.date(2026, 2, 1))
    page = _get(client, "/subsidy-lines?month=2026-02-17", token).json()
    assert page["month"] == "2026-02-01" and page["items"]
    line = next(line for line in page["items"] if line["file_id"] == world["a"].pk)
    assert line["status"] in ("claimed", "recoverable", "not_due") and line["reason"] and line["status_label"]
    assert _get(client, "/subsidy-lines?month=2026-02-01&status=nonsense", token).status_code == 422
    assert _get(client, "/subsidy-lines?month=9999-12-01", token).status_code in (409, 422)
    first = _get(client, "/subsidy-lines?month=2026-02-01&limit=1", token).json()
    assert len(first["items"]) == 1
    # The stored lines are the adapter's, figure for figure (the reason in the token's language).
    from piis.reports.subsidy import subsidy_lines

    live = {line.beneficiary_id: line for line in subsidy_lines(world["a"].cpas, datetime.date(2026, 2, 1))}
    for item in page["items"]:
        assert item["status"] == live[item["file_id"]].status and item["amount"] == str(live[item["file_id"]].amount)
    assert AuditEvent.objects.filter(verb=AuditVerb.FILE_LIST_OPENED, actor_label="api: Paie CPAS").exists()
