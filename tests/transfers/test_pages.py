"""The transfer pages: a move recorded from the contract, the answer, the package at the new CPAS and its reviews;
after a refusal the new CPAS's pages show no content and its PDF and file answer 404; every page audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.transfers import services
from piis.transfers.enums import Answer
from piis.transfers.models import IncomingTransfer, Transfer
from tests.factories import make_member
from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

D = datetime.date
pytestmark = pytest.mark.django_db


def _worker_of(contract):
    return contract.social_worker.memberships.get(cpas=contract.cpas)


def test_move_recorded_from_the_page_and_on_the_agenda(cpas_a, cpas_b, login):
    contract = make_piis_in_force(cpas_a)
    client = login(_worker_of(contract))
    page = client.get(reverse("transfers:start", args=[contract.pk]))
    assert page.status_code == 200
    today = timezone.localdate()
    response = client.post(reverse("transfers:start", args=[contract.pk]), {
        "moved_on": today.strftime("%d/%m/%Y"), "learned_on": today.strftime("%d/%m/%Y"),
        "new_cpas": cpas_b.pk, "answer_by": (today + datetime.timedelta(days=14)).strftime("%d/%m/%Y"),
    })  # fmt: skip
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("transfers:detail", args=[transfer.pk]))
    assert detail.status_code == 200 and cpas_b.name in detail.content.decode()
    agenda = client.get(reverse("followup:agenda"))
    assert "transfer-dates" in agenda.content.decode()
    assert AuditEvent.objects.filter(verb="transfer_opened", beneficiary_id=contract.beneficiary_id).exists()


def test_bad_move_keeps_the_typed_values_and_says_why(cpas_a, login):
    contract = make_piis_in_force(cpas_a, studies=True)
    client = login(_worker_of(contract))
    response = client.post(reverse("transfers:start", args=[contract.pk]), {
        "moved_on": "01/07/2026", "learned_on": "02/07/2026", "other_name": "CPAS de Namur",
        "other_nis_code": "92094", "answer_by": "16/07/2026", "studies_uninterrupted": "on",
    })  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert "92094" in text and "TRANSFER_STUDY_PIIS_STAYS" not in text
    assert not Transfer.objects.exists()


def _sent(cpas_a, cpas_b):
    contract = make_piis_in_force(cpas_a)
    old = _worker_of(contract)
    transfer = services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED,
                                             learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16), new_cpas=cpas_b,
                                             today=D(2026, 7, 2))  # fmt: skip
    return old, transfer


def test_consent_package_shown_at_the_new_cpas_with_reviews(cpas_a, cpas_b, login):
    old, transfer = _sent(cpas_a, cpas_b)
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    client = login(make_member(cpas_b, Role.SOCIAL_WORKER))
    page = client.get(reverse("transfers:incoming", args=[incoming.pk]))
    assert "Un entretien par mois." in page.content.decode()
    assert client.get(reverse("transfers:incoming_pdf", args=[incoming.pk])).content == FAKE_PDF
    review = incoming.reviews.first()
    client.post(reverse("transfers:review", args=[review.pk]),
                {f"r{review.pk}-decision": "keep", f"r{review.pk}-reason": "Même formation ici."})  # fmt: skip
    review.refresh_from_db()
    assert review.decision == "keep"
    # the old CPAS reads what it sent, and only that
    old_client = login(old)
    assert old_client.get(reverse("transfers:export", args=[transfer.pk])).status_code == 200


def test_refusal_new_cpas_sees_no_content_anywhere(cpas_a, cpas_b, login):
    old, transfer = _sent(cpas_a, cpas_b)
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    client = login(make_member(cpas_b, Role.SOCIAL_WORKER))
    response = client.post(reverse("transfers:incoming_refusal", args=[incoming.pk]),
                           {"refused_on": "03/07/2026", "channel": "in_person"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("transfers:incoming", args=[incoming.pk])).content.decode()
    assert "Suivre la formation" not in page and "Un entretien" not in page
    assert client.get(reverse("transfers:incoming_pdf", args=[incoming.pk])).status_code == 404
    assert client.get(reverse("transfers:incoming_export", args=[incoming.pk])).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == "refused"
    assert AuditEvent.objects.filter(cpas=cpas_b, verb="transfer_refused").exists()
    # nothing of the PIIS in the new CPAS's audit rows either
    for event in AuditEvent.objects.filter(cpas=cpas_b):
        assert "Suivre la formation" not in str(event.changes)


def test_import_page_and_command(cpas_a, login, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command

    from piis.transfers.openpiis import dump
    from tests.factories import make_cpas

    elsewhere = make_cpas(name="CPAS de Namur", nis_code="92094")
    contract = make_piis_in_force(cpas_a)
    old = _worker_of(contract)
    transfer = services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED,
                                             learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
                                             other_name="CPAS de Namur", other_nis_code="92094",
                                             today=D(2026, 7, 2))  # fmt: skip
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.NO_ANSWER,
                                    answered_on=D(2026, 7, 17), today=D(2026, 7, 17))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 17))
    transfer.refresh_from_db()
    good = dump(transfer.package)
    hostile = good.replace(b"Suivre la formation en vente.", b"<script>alert(1)</script>")
    client = login(make_member(elsewhere, Role.SOCIAL_WORKER))
    refused = client.post(reverse("transfers:import"),
                          {"package": SimpleUploadedFile("p.json", hostile, "application/json")})  # fmt: skip
    assert refused.status_code == 200 and "script" in refused.content.decode().lower()
    assert not IncomingTransfer.objects.filter(cpas=elsewhere).exists()
    accepted = client.post(reverse("transfers:import"),
                           {"package": SimpleUploadedFile("p.json", good, "application/json")})  # fmt: skip
    assert accepted.status_code == 302
    path = tmp_path / "p.json"
    path.write_bytes(good)
    with pytest.raises(CommandError):  # imported already by the page
        call_command("import_piis", str(path), "--cpas", "92094")


def test_each_side_reads_only_its_own_rows(cpas_a, cpas_b, login):
    old, transfer = _sent(cpas_a, cpas_b)
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    new = make_member(cpas_b, Role.SOCIAL_WORKER)
    assert login(old).get(reverse("transfers:incoming", args=[incoming.pk])).status_code == 404
    assert login(new).get(reverse("transfers:detail", args=[transfer.pk])).status_code == 404
    # a colleague of the old CPAS without the file in their reach (another team) does not see the transfer either
    from tests.factories import make_team

    stranger = make_member(cpas_a, Role.SOCIAL_WORKER, team=make_team(cpas_a, name="Autre équipe"))
    assert login(stranger).get(reverse("transfers:detail", args=[transfer.pk])).status_code in (403, 404, 302)
    assert transfer.beneficiary.last_name not in login(stranger).get(reverse("transfers:list")).content.decode()


def test_the_letter_is_in_the_persons_language(cpas_a, cpas_b):
    from piis.transfers.pdf import letter_html

    contract = make_piis_in_force(cpas_a, language="nl")
    transfer = services.transfer_record_move(membership=_worker_of(contract), contract=contract, moved_on=MOVED,
                                             learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16), new_cpas=cpas_b,
                                             today=D(2026, 7, 2))  # fmt: skip
    html = letter_html(transfer)
    assert transfer.language == "nl" and '<html lang="nl">' in html
    assert "16/07/2026" in html and cpas_b.name in html  # the date to refuse by, and to whom


def test_the_access_export_holds_the_persons_transfers(cpas_a, cpas_b):
    from piis.core.personal_data import sections

    old, transfer = _sent(cpas_a, cpas_b)
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
    [section] = [s for s in sections() if s.key == "transfers"]
    [record] = list(section.collect(transfer.beneficiary))
    assert (
        record.data["package"]["piis"]["commitments"]
        and "bytes" in record.data["package"]["piis"]["signed_pdf"]["base64"]
    )


def test_the_contract_page_leads_to_the_transfer(cpas_a, cpas_b, login):
    old, transfer = _sent(cpas_a, cpas_b)
    client = login(old)
    page = client.get(reverse("contracts:detail", args=[transfer.contract_id])).content.decode()
    assert reverse("transfers:detail", args=[transfer.pk]) in page
    assert reverse("transfers:start", args=[transfer.contract_id]) not in page  # no second transfer offered


def test_a_refusal_on_the_portal_is_seen_by_the_new_cpas_staff(cpas_a, cpas_b, login, client):
    """The person refuses on their portal (the old CPAS's file): the new CPAS's staff see the refusal, said to come
    from the person's portal, with no refusal form left and no content; the transfer cannot be sent any more."""
    from tests.portal.helpers import open_account, portal_login

    old, transfer = _sent(cpas_a, cpas_b)
    account, _issued = open_account(old, transfer.beneficiary)
    person = portal_login(client, account)
    url = reverse("portal:answer_transfer", args=[transfer.pk])
    assert person.post(url, {"answer": "refuse"}).status_code == 302
    person.logout()
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    assert incoming.status == "refused" and incoming.refusal_channel == "portal"
    staff = login(make_member(cpas_b, Role.SOCIAL_WORKER))
    listing = staff.get(reverse("transfers:list")).content.decode()
    assert "Refused by the person" in listing
    page = staff.get(reverse("transfers:incoming", args=[incoming.pk])).content.decode()
    assert "The person refused the transfer of their PIIS" in page
    assert "By the person, on their portal" in page
    assert reverse("transfers:incoming_refusal", args=[incoming.pk]) not in page  # nothing left to record
    assert "Un entretien" not in page
    assert staff.get(reverse("transfers:incoming_pdf", args=[incoming.pk])).status_code == 404
    # at the old CPAS, the send is refused
    old_client = login(old)
    old_client.post(reverse("transfers:send", args=[transfer.pk]), follow=True)
    transfer.refresh_from_db()
    incoming.refresh_from_db()
    assert transfer.status == "refused" and transfer.package is None
    assert incoming.status == "refused" and incoming.package is None and not incoming.reviews.exists()
