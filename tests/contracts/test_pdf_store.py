"""A signed version's PDF is laid out once, stored with its SHA-256 and served from storage; a draft's on each
request; the stored file of CPAS A is reached from nowhere in CPAS B (issue #15, PDFs)."""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from piis.audit.models import AuditEvent
from piis.contracts.models import ContractVersion
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_member

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def layouts(monkeypatch):
    """Counts the layouts (the PDF worker is replaced: what is tested is when it runs, not what it draws)."""
    calls = []

    def layout(html, **kwargs):
        calls.append(len(html))
        return b"%PDF-1.7 laid out " + str(len(calls)).encode()

    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", layout)
    return calls


def version_of(cpas, worker, *, signed: bool) -> ContractVersion:
    from piis.contracts.services.lifecycle import contract_hand_over

    contract = drafted_contract(cpas)
    version = contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 3, 2),
                                 today=D(2026, 3, 2))  # fmt: skip
    if signed:
        ContractVersion.objects.filter(pk=version.pk).update(concluded_on=D(2026, 3, 20))
        version.refresh_from_db()
    return version


def test_a_signed_version_is_laid_out_once_and_then_served_from_storage(cpas_a, worker_a, login, layouts):
    version = version_of(cpas_a, worker_a, signed=True)
    url = reverse("contracts:pdf", args=[version.contract_id, version.pk])
    client = login(worker_a)
    first = client.get(url)
    assert first.status_code == 200 and layouts == [layouts[0]]
    version.refresh_from_db()
    assert version.pdf_sha256 == hashlib.sha256(first.content).hexdigest() == first["X-Content-SHA256"]
    with default_storage.open(version.pdf_file.name, "rb") as stored:
        assert stored.read() == first.content
    assert f"contracts/pdf/{cpas_a.pk}/" in version.pdf_file.name
    second = client.get(url)
    assert second.status_code == 200 and second.content == first.content
    assert len(layouts) == 1  # not laid out again
    page = client.get(reverse("contracts:version", args=[version.contract_id, version.pk])).content.decode()
    assert version.pdf_sha256 in page  # the hash, as evidence, on the version's page
    reads = AuditEvent.objects.filter(verb="contract_pdf_opened", context=url)
    assert reads.count() == 2 and all(e.changes == {"pdf_sha256": [None, version.pdf_sha256]} for e in reads)


def test_a_draft_is_laid_out_on_every_request_and_stored_nowhere(cpas_a, worker_a, login, layouts):
    version = version_of(cpas_a, worker_a, signed=False)
    url = reverse("contracts:pdf", args=[version.contract_id, version.pk])
    client = login(worker_a)
    assert client.get(url).content != client.get(url).content  # laid out twice: "… 1" then "… 2"
    assert len(layouts) == 2
    version.refresh_from_db()
    assert version.pdf_sha256 == "" and not version.pdf_file


def test_the_stored_pdf_of_cpas_a_is_reached_from_nowhere_in_cpas_b(cpas_a, cpas_b, worker_a, login, layouts):
    version = version_of(cpas_a, worker_a, signed=True)
    url = reverse("contracts:pdf", args=[version.contract_id, version.pk])
    assert login(worker_a).get(url).status_code == 200
    assert login(make_member(cpas_b)).get(url).status_code == 404
    assert len(layouts) == 1
    assert not ContractVersion.objects.for_cpas(cpas_b).filter(pdf_sha256__gt="").exists()


def test_a_stored_file_gone_missing_is_laid_out_again(cpas_a, worker_a, login, layouts):
    version = version_of(cpas_a, worker_a, signed=True)
    url = reverse("contracts:pdf", args=[version.contract_id, version.pk])
    client = login(worker_a)
    client.get(url)
    version.refresh_from_db()
    default_storage.delete(version.pdf_file.name)
    assert client.get(url).status_code == 200 and len(layouts) == 2


def test_the_right_of_access_export_holds_the_stored_file(cpas_a, worker_a, login, layouts):
    from piis.contracts.personal_data import _pdf_file

    version = version_of(cpas_a, worker_a, signed=True)
    served = login(worker_a).get(reverse("contracts:pdf", args=[version.contract_id, version.pk])).content
    version.refresh_from_db()
    assert _pdf_file(version).data == served and len(layouts) == 1
