"""The data-protection officer's access export (GDPR art. 15): one ZIP with everything held about one person, and
nothing about anyone else."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.audit.services import record_people_shown
from piis.core.personal_data import ExportRecord, PersonalDataSection, register_section, sections
from tests.factories import make_beneficiary, make_household_member, make_member
from tests.privacy.builders import SCAN, person_with_everything

pytestmark = pytest.mark.django_db

EVERY_SECTION = {
    "identity", "household", "assistants", "ri_decisions", "earlier_periods", "exemptions", "needs_assessments",
    "contracts", "evaluations", "meeting_requests", "reminders", "glass_breaks", "accesses",
}  # fmt: skip


def _export(client, person) -> tuple[dict, str, dict[str, bytes]]:
    response = client.post(reverse("privacy:export", args=[person.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert person.last_name not in response["Content-Disposition"]  # no name in the file name
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files["personal-data.json"]), files["summary.html"].decode(), files


@pytest.fixture
def dpo(cpas_a, login):
    membership = make_member(cpas_a, Role.DPO)
    return login(membership), membership


def test_the_export_holds_every_kind_of_record_of_the_person(cpas_a, dpo):
    client, _membership = dpo
    world = person_with_everything(cpas_a, marker="MINE")
    data, summary, files = _export(client, world.person)
    sections_ = data["sections"]
    assert set(sections_) >= EVERY_SECTION
    empty = [key for key in EVERY_SECTION if not sections_[key]]
    assert not empty, f"sections without the person's records: {empty}"
    assert sections_["identity"][0]["national_number"] == world.person.national_number
    contract = sections_["contracts"][0]
    assert contract["objectives"][0]["steps"] and contract["clauses"] and contract["third_parties"]
    [version] = contract["versions"]
    assert version["snapshot"]["schema"] and version["signatures"][0]["signer_name"] == "Signer MINE"
    assert sections_["needs_assessments"][0]["items"]
    evaluation = sections_["evaluations"][0]
    assert evaluation["progress"] and evaluation["commitments"]
    assert [r["id"] for r in sections_["reminders"]] == [world.reminder.pk]
    accesses = {row["id"] for row in sections_["accesses"]}
    assert {world.opened.pk, world.listed.pk} <= accesses
    # files: the version as a PDF (laid out after the transaction) and the scan as uploaded
    pdf_name = f"files/contract-{world.contract.pk}-v1-fr.pdf"
    assert files[pdf_name].startswith(b"%PDF")
    scan = next(name for name in files if name.startswith(f"files/signature-{world.signature.pk}-"))
    assert files[scan] == SCAN
    # the purposes, legal bases, retention periods, and the summary in words
    assert data["meta"]["purposes"] and data["meta"]["retention"]
    assert world.person.last_name in summary and "Household MINE" in summary and "<script" not in summary


def test_the_export_holds_nothing_of_another_person_or_cpas(cpas_a, cpas_b, dpo):
    client, _membership = dpo
    mine = person_with_everything(cpas_a, marker="MINE")
    neighbour = person_with_everything(cpas_a, marker="NEIGHBOUR")
    elsewhere = person_with_everything(cpas_b, marker="ELSEWHERE")
    # a list page that showed both people of CPAS A: it is an access to each
    both = record_people_shown(actor=mine.reader, cpas=cpas_a, beneficiary_ids=[mine.person.pk, neighbour.person.pk],
                               context="/files/")  # fmt: skip
    data, summary, files = _export(client, mine.person)
    text = json.dumps(data) + summary
    for marker in ("NEIGHBOUR", "ELSEWHERE", neighbour.person.national_number, elsewhere.person.national_number):
        assert marker not in text
    ids = {section: {row["id"] for row in rows} for section, rows in data["sections"].items()}
    assert both.pk in ids["accesses"]
    assert neighbour.opened.pk not in ids["accesses"] and elsewhere.opened.pk not in ids["accesses"]
    assert neighbour.reminder.pk not in ids["reminders"]
    assert neighbour.contract.pk not in ids["contracts"]
    assert not [
        name for name in files if f"-{neighbour.contract.pk}-" in name or f"-{neighbour.signature.pk}-" in name
    ]


def test_another_cpas_person_answers_404_and_only_the_dpo_may_export(cpas_a, cpas_b, login):
    theirs = make_beneficiary(cpas_b)
    mine = make_beneficiary(cpas_a)
    dpo = login(make_member(cpas_a, Role.DPO))
    assert dpo.post(reverse("privacy:export", args=[theirs.pk])).status_code == 404
    assert dpo.get(reverse("privacy:export", args=[mine.pk])).status_code == 405
    for role in Role.values:
        if role == Role.DPO:
            continue
        client = login(make_member(cpas_a, role))
        assert client.post(reverse("privacy:export", args=[mine.pk])).status_code == 403, role
        assert client.get(reverse("privacy:search"), {"q": mine.last_name}).status_code == 403, role
    assert not AuditEvent.objects.filter(verb=AuditVerb.PERSONAL_DATA_EXPORTED).exists()


def test_the_export_and_the_search_are_audited(cpas_a, dpo):
    client, membership = dpo
    world = person_with_everything(cpas_a)
    make_beneficiary(cpas_a, last_name="Someone")
    response = client.get(reverse("privacy:search"), {"q": world.person.last_name})
    assert response.status_code == 200 and world.person.last_name in response.content.decode()
    searched = AuditEvent.objects.get(verb=AuditVerb.PERSONAL_DATA_SEARCHED)
    assert searched.changes["beneficiaries"] == [world.person.pk] and searched.actor == membership.user
    _export(client, world.person)
    exported = AuditEvent.objects.get(verb=AuditVerb.PERSONAL_DATA_EXPORTED)
    assert exported.beneficiary_id == world.person.pk and exported.actor == membership.user
    assert exported.changes["sections"]["contracts"] == 1 and exported.changes["files"] == 2
    assert exported.changes["files_not_made"] == []


def test_a_search_showing_nobody_writes_nothing(cpas_a, dpo):
    client, _membership = dpo
    before = AuditEvent.objects.count()
    response = client.get(reverse("privacy:search"), {"q": "nobody-of-that-name"})
    assert response.status_code == 200 and AuditEvent.objects.count() == before


def test_the_export_reads_the_person_not_the_cpas(cpas_a, dpo):
    """Bounded: the number of queries does not grow with the CPAS (other files), nor with the accesses."""
    client, _membership = dpo
    world = person_with_everything(cpas_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _export(client, world.person)
        return len(captured)

    first = queries()
    for _ in range(5):
        person_with_everything(cpas_a)
        make_household_member(cpas_a, beneficiary=world.person)
    assert queries() == first


def test_a_section_registered_by_another_app_is_exported(cpas_a, dpo):
    """The registry later apps (sanctions, transfers) use: a section of theirs lands in the JSON and the summary."""
    client, _membership = dpo
    person = make_beneficiary(cpas_a)

    def collect(p):
        yield ExportRecord(type="tests.thing", id=1, data={"about": p.pk}, shown=[("Thing", "held by a later app")])

    section = register_section(PersonalDataSection("later_app", "A later app", collect=collect, order=95))
    try:
        data, summary, _files = _export(client, person)
    finally:
        from piis.core import personal_data

        personal_data._SECTIONS.pop("later_app")
    assert data["sections"]["later_app"] == [{"type": "tests.thing", "id": 1, "about": person.pk}]
    assert "held by a later app" in summary
    assert section not in sections()
    with pytest.raises(ValueError, match="registered twice"):
        register_section(PersonalDataSection("identity", "Again", collect=collect))


def test_the_search_page_reads_a_fixed_number_of_queries(cpas_a, dpo):
    client, _membership = dpo

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("privacy:search"), {"q": "Searched"})
        assert response.status_code == 200
        return len(captured)

    make_beneficiary(cpas_a, last_name="Searched")
    few = queries()
    for _ in range(12):
        make_beneficiary(cpas_a, last_name="Searched")
    assert queries() == few
