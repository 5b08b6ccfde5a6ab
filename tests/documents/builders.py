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
