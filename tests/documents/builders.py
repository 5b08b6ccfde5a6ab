"""Builders for the documents tests."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from piis.documents.models import Document, Letter, LetterTemplate
from tests.factories import make_beneficiary, make_member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_document(cpas, **kwargs) -> Document:
    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    added_by = kwargs.pop("added_by", None) or make_member(cpas).user
    document = Document(
        cpas=cpas,
        beneficiary=beneficiary,
        added_by=added_by,
        **{
            "kind": "certificate",
            "title": "Attestation",
            "dated_on": datetime.date(2026, 3, 1),
            "original_name": "attestation.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            **kwargs,
        },
    )
    document.file.save("attestation.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def make_letter(cpas, **kwargs) -> Letter:
    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    sent_by = kwargs.pop("sent_by", None) or make_member(cpas).user
    letter = Letter(
        cpas=cpas,
        beneficiary=beneficiary,
        sent_by=sent_by,
        **{
            "kind": "rights_reminder",
            "language": "fr",
            "subject": "Vos droits",
            "body": "Madame, Monsieur",
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "sent_on": datetime.date(2026, 3, 1),
            **kwargs,
        },
    )
    letter.pdf.save("letter.pdf", ContentFile(PDF), save=False)
    letter.save()
    return letter


def make_letter_template(cpas, **kwargs) -> LetterTemplate:
    defaults = {"kind": "rights_reminder", "language": "fr", "subject": "Vos droits", "body": "Bonjour {first_name}"}
    return LetterTemplate.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_explanation(cpas, **kwargs):
    from piis.documents.models import Explanation
    from tests.factories import make_version

    version = kwargs.pop("version", None) or make_version(cpas)
    defaults = {"orally": True, "language": "arabe", "interpreter": "SeTIS", "recorded_by": version.handed_over_by}
    return Explanation.objects.create(cpas=cpas, contract=version.contract, version=version, **{**defaults, **kwargs})


def make_outcome(cpas, **kwargs):
    from piis.documents.models import ContractOutcome
    from tests.factories import make_contract

    contract = kwargs.pop("contract", None) or make_contract(
        cpas, status="ended", signed_on=datetime.date(2025, 1, 10), ended_on=datetime.date(2026, 1, 10)
    )
    defaults = {"outcome": "employment", "destination": "Colruyt", "recorded_by": contract.social_worker}
    return ContractOutcome.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})
