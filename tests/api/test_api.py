"""The REST API (/api/v1/): tokens, scopes, the CPAS fence on every operation, audit under the integration's name,
pagination and the OpenAPI document."""

from datetime import timedelta

import pytest
from django.utils import timezone

from piis.api.api import api
from piis.api.models import ApiToken
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary
from tests.api.builders import make_token
from tests.factories import make_beneficiary, make_ri_decision

BASE = "/api/v1"


def _get(client, path, token, **extra):
    return client.get(BASE + path, HTTP_AUTHORIZATION=f"Bearer {token.text}", **extra)


def _id_operations():
    """Every GET operation of the OpenAPI document that takes an object's id."""
    paths = api.get_openapi_schema()["paths"]
    return sorted(p.removeprefix(BASE) for p, ops in paths.items() if "{" in p and "get" in ops)


@pytest.fixture
def world(cpas_a, cpas_b):
    from tests.factories import make_contract, make_cpas
    from tests.followup.builders import make_meeting_request
    from tests.sanctions.builders import make_payment_line
    from tests.transfers.test_open_piis import _sent_elsewhere

    objects = {}
    for key, cpas in (("a", cpas_a), ("b", cpas_b)):
        person = make_beneficiary(cpas, last_name="Janssens" if key == "a" else "Peeters")
        decision = make_ri_decision(cpas, beneficiary=person)
        objects[key] = {
            "file_id": person,
            "contract_id": make_contract(cpas, ri_decision=decision),
            "meeting_id": make_meeting_request(cpas, beneficiary=person),
            "export_id": make_payment_line(cpas).export,
            "transfer_id": _sent_elsewhere(cpas, make_cpas(name=f"CPAS Ailleurs {key}")),
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
        path = path.replace("{" + name + "}", str(obj.pk))
    assert "{" not in path, f"no object for {path}: add it to the world fixture"
    return path


@pytest.mark.django_db
def test_every_id_operation_is_listed():
    assert len(_id_operations()) >= 7


@pytest.mark.django_db
@pytest.mark.parametrize("path", _id_operations())
def test_a_token_of_cpas_a_reaches_nothing_of_cpas_b(client, world, path):
    own = _get(client, _fill(path, world["ids"]["a"]), world["token_a"])
    assert own.status_code == 200, own.content
    other = _get(client, _fill(path, world["ids"]["b"]), world["token_a"])
    assert other.status_code == 404
    assert other.json()["code"] == "API_NOT_FOUND"


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
    from django.core.cache import cache

    cache.clear()
    codes = [_get(client, "/files", world["token_a"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert _get(client, "/files", world["token_b"]).status_code == 200  # another token has its own budget
    cache.clear()


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
    listed = _get(client, "/sanction-exports", world["token_a"]).json()
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
