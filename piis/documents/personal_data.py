"""Documents and letters in a person's access export (GDPR art. 15): each document with its file, each letter
with its text as sent and its PDF. Registered with piis.core.personal_data (see there)."""

from django.utils.translation import gettext_lazy as _

from piis.core.personal_data import ExportFile, PersonalDataSection, model_record, register_section
from piis.documents.models import Document, Letter


def _read(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


def _documents(person):
    rows = Document.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).order_by("pk")
    for document in rows:
        record = model_record(document)
        if document.file:
            name = f"documents/{document.pk}-{document.original_name}"
            record.files.append(ExportFile(name, later=lambda f=document.file: _read(f)))
        yield record


def _letters(person):
    rows = Letter.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).order_by("pk")
    for letter in rows:
        record = model_record(letter)
        if letter.pdf:
            record.files.append(
                ExportFile(f"letters/{letter.pk}-{letter.kind}.pdf", later=lambda f=letter.pdf: _read(f))
            )
        yield record


register_section(PersonalDataSection("documents", _("Documents"), order=45, collect=_documents))
register_section(PersonalDataSection("letters", _("Letters sent"), order=46, collect=_letters))
