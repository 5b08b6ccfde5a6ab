"""R76 statistics and R77 exchange export: layout, schema, one CPAS only, audited, director only, bounded queries."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from piis.audit.models import AuditEvent
from piis.followup.models import ObjectiveProgress
from piis.jobs.enums import JobStatus
from piis.jobs.models import Job
from piis.observatory import federal
from tests.observatory.builders import known_contract, known_world
from tests.observatory.test_figures import complete

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "federal-exports" / "exchange-v1.schema.json").read_text()
)
H1_2026 = {"year": 2026, "half": 1}


def _export(client, name: str, params: dict):
    """The export as the director makes it: the federal page's form lands on the preparation page, its button
    starts the build (run at once by the tests' immediate task backend), the status page offers the download."""
    offer = client.get(reverse(f"observatory:{name}"), params)
    assert offer.status_code == 200 and b'name="year"' in offer.content
    started = client.post(reverse(f"observatory:{name}"), params)
    assert started.status_code == 302
    job = Job.objects.latest("pk")
    assert started["Location"] == reverse("observatory:export_status", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error_code
    status = client.get(started["Location"]).content.decode()
    download = reverse("observatory:export_download", args=[job.pk])
    assert download in status
    return client.get(download)


@pytest.fixture
def world(cpas_a, cpas_b):
    known = complete(cpas_a, known_world(cpas_a))
    complete(cpas_b, known_world(cpas_b))
    return known


def test_statistics_list_each_piis_in_force_with_its_type_and_measures(world, cpas_a, login):
    response = _export(login(world["director"]), "federal_statistics", H1_2026)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert tuple(rows[0]) == federal.STATISTICS_COLUMNS
    assert len(rows) == 1 + 8  # CPAS A's eight PIIS, none of CPAS B's
    first = dict(zip(rows[0], rows[1], strict=True))
    contract = world["rows"][0][0]
    assert first["cpas_nis"] == cpas_a.nis_code and first["period"] == "2026-S1"
    assert first["national_number"] == contract.beneficiary.national_number
    assert first["piis_type"] == "professional" and first["studies"] == "0"
    assert first["person_measures"] == "health|training" and first["cpas_measures"] == "cost_coverage"
    event = AuditEvent.objects.get(cpas=cpas_a, verb="federal_statistics_exported")
    assert event.changes["beneficiaries"] == sorted(c.beneficiary_id for c, *_ in world["rows"])
    # Nothing in force in the first half of 2025.
    empty = _export(login(world["director"]), "federal_statistics", {"year": 2025, "half": 1})
    assert len(empty.content.decode().splitlines()) == 1


def test_exchange_follows_its_schema_and_names_one_cpas(world, cpas_a, login):
    c0 = world["rows"][0][0]
    evaluation = c0.evaluations.first() or world["rows"][6][0].evaluations.first()
    ObjectiveProgress.objects.create(
        cpas=cpas_a, evaluation=evaluation, objective=evaluation.contract.objectives.first(), progress="in_progress"
    )
    response = _export(login(world["director"]), "federal_exchange", H1_2026)
    document = json.loads(response.content)
    jsonschema.validate(document, SCHEMA)
    assert document["cpas"]["nis_code"] == cpas_a.nis_code
    assert len(document["agreements"]) == 8
    with_evaluation = next(a for a in document["agreements"] if a["evaluations"])
    assert with_evaluation["evaluations"][0]["commitments"] == [
        {"commitment": f"c{world['rows'][6][2].pk}", "delivery": "delivered"}
    ]
    assert with_evaluation["evaluations"][0]["progress"][0]["progress"] == "in_progress"
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="federal_exchange_exported").count() == 1


def test_only_the_director_exports_and_bad_input_is_refused(world, login):
    assert login(world["lead"]).get(reverse("observatory:federal_statistics"), H1_2026).status_code == 403
    assert login(world["lead"]).post(reverse("observatory:federal_exchange"), H1_2026).status_code == 403
    client = login(world["director"])
    assert client.get(reverse("observatory:federal")).status_code == 200
    assert client.get(reverse("observatory:federal_statistics"), {"year": "x", "half": 3}).status_code == 400
    assert client.get(reverse("observatory:federal_exchange"), {"year": 1990, "half": 1}).status_code == 400
    assert client.post(reverse("observatory:federal_exchange"), {"year": 1990, "half": 1}).status_code == 400
    assert not Job.objects.exists()
    # Another CPAS's export, or one of a kind the observatory does not serve, is as absent.
    from piis.jobs.enums import JobKind
    from tests.jobs.builders import make_job

    claim = make_job(world["director"].cpas, kind=JobKind.CLAIM_CSV)
    assert client.get(reverse("observatory:export_download", args=[claim.pk])).status_code == 404


def test_exports_read_a_fixed_number_of_queries(world, cpas_a, login, django_assert_max_num_queries):
    client = login(world["director"])
    with django_assert_max_num_queries(60) as first:
        client.post(reverse("observatory:federal_exchange"), H1_2026)
    for i in range(6):
        known_contract(cpas_a, worker=world["w1"].user, team=world["team"], i=80 + i, template=world["template"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.post(reverse("observatory:federal_exchange"), H1_2026)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.post(reverse("observatory:federal_statistics"), H1_2026)
