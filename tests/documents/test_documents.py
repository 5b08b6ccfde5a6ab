"""Documents of a file and of a contract: isolation, the sensitive area, audited downloads, refused uploads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.documents.models import Document
from tests.documents.builders import PDF, make_document
from tests.factories import make_beneficiary, make_contract, make_member, make_objective, make_step, make_team

pytestmark = pytest.mark.django_db


def _worker_file(cpas):
    member = make_member(cpas, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas, social_worker=member.user)
    return member, beneficiary


def test_another_cpas_document_is_404(cpas_a, cpas_b, login):
    member, _beneficiary = _worker_file(cpas_a)
    theirs = make_document(cpas_b)
    client = login(member)
    assert client.get(reverse("documents:download", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("documents:file", args=[theirs.beneficiary_id])).status_code == 404


def test_download_writes_an_audit_row(cpas_a, login):
    member, beneficiary = _worker_file(cpas_a)
    document = make_document(cpas_a, beneficiary=beneficiary)
    response = login(member).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"] == 'attachment; filename="attestation.pdf"'
    row = AuditEvent.objects.for_cpas(cpas_a).get(verb="document_opened")
    assert row.target_id == document.pk and row.beneficiary_id == beneficiary.pk and row.actor == member.user


def test_medical_certificate_invisible_without_access(cpas_a, login):
    """A director reaches the file (its team) but not the sensitive area: the certificate is neither listed nor
    downloadable; the worker of the file sees and downloads it."""
    member, beneficiary = _worker_file(cpas_a)
    medical = make_document(cpas_a, beneficiary=beneficiary, kind="medical", title="Certificat du Dr X")
    director = make_member(cpas_a, Role.DIRECTOR, team=beneficiary.team)
    client = login(director)
    page = client.get(reverse("documents:file", args=[beneficiary.pk]))
    assert page.status_code == 200
    assert "Certificat du Dr X" not in page.content.decode()
    assert client.get(reverse("documents:download", args=[medical.pk])).status_code == 404
    file_page = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    assert "Certificat du Dr X" not in file_page.content.decode()
    client = login(member)
    assert "Certificat du Dr X" in client.get(reverse("documents:file", args=[beneficiary.pk])).content.decode()
    assert client.get(reverse("documents:download", args=[medical.pk])).status_code == 200


def _post(client, url, upload, **data):
    return client.post(url, {"kind": "certificate", "title": "Attestation", "dated_on": "2026-03-02",
                             "file": upload, **data})  # fmt: skip


def test_forged_upload_refused_with_translated_message(cpas_a, login):
    member, beneficiary = _worker_file(cpas_a)
    member.user.preferred_language = "fr"
    member.user.save()
    client = login(member)
    forged = SimpleUploadedFile("attestation.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with translation.override("fr"):
        response = _post(client, reverse("documents:add", args=[beneficiary.pk]), forged)
    assert response.status_code == 200
    with translation.override("fr"):
        from piis.core.error_catalogue import CATALOGUE

        expected = str(CATALOGUE["UPLOAD_TYPE_REFUSED"])
    assert response.context["form"].errors["file"] == [expected]
    assert not Document.objects.for_cpas(cpas_a).exists()
    # The other fields typed are kept.
    assert response.context["form"]["title"].value() == "Attestation"


def test_upload_as_proof_of_a_step(cpas_a, login):
    member, beneficiary = _worker_file(cpas_a)
    contract = make_contract(cpas_a, beneficiary=beneficiary, social_worker=member.user)
    step = make_step(cpas_a, objective=make_objective(cpas_a, contract=contract))
    client = login(member)
    upload = SimpleUploadedFile("presence.pdf", PDF, content_type="application/pdf")
    response = _post(client, reverse("documents:contract_add", args=[contract.pk]), upload, kind="attendance",
                     step=str(step.pk))  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.for_cpas(cpas_a).get()
    assert (document.contract, document.step, document.kind, document.size) == (contract, step, "attendance", len(PDF))
    assert document.added_by == member.user and len(document.sha256) == 64
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="document_added", target_id=document.pk).exists()
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Attestation" in page and reverse("documents:contract", args=[contract.pk]) in page


def test_director_cannot_add_a_medical_certificate(cpas_a):
    from piis.core.errors import ServiceError
    from piis.documents.services import document_add

    _member, beneficiary = _worker_file(cpas_a)
    # A worker of another team: no need-to-know of this file, so no sensitive area either.
    lead = make_member(cpas_a, Role.SOCIAL_WORKER, team=make_team(cpas_a, name="Other team"))
    upload = SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ServiceError) as refused:
        document_add(membership=lead, beneficiary=beneficiary, upload=upload, kind="medical", title="x",
                     dated_on=datetime.date(2026, 3, 1))  # fmt: skip
    assert refused.value.code == "DOCUMENT_SENSITIVE_NOT_ALLOWED"


def test_file_documents_page_queries_are_bounded(cpas_a, login, django_assert_max_num_queries):
    member, beneficiary = _worker_file(cpas_a)
    for _ in range(12):
        make_document(cpas_a, beneficiary=beneficiary)
    client = login(member)
    client.get(reverse("documents:file", args=[beneficiary.pk]))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("documents:file", args=[beneficiary.pk])).status_code == 200


def test_retention_lists_old_documents(cpas_a):
    from piis.privacy.enums import RecordKind
    from piis.privacy.retention import retention_plan

    old = make_document(cpas_a, dated_on=datetime.date(2010, 1, 1))
    make_document(cpas_a, dated_on=datetime.date(2026, 1, 1))
    plan = {p.kind: p for p in retention_plan(cpas_a, datetime.date(2026, 6, 1))}
    assert [c.pk for c in plan[RecordKind.DOCUMENT].candidates] == [old.pk]
