"""Demo of documents and letters (piis.documents): in each CPAS, a CV and an attestation of attendance proving a
step of a PIIS in force, a medical certificate backing an exemption (sensitive area), a reminder of rights sent as
a letter, the CPAS's own wording of that letter, how the hand-over was explained (with an interpreter), and the
outcome of an ended PIIS. The files are tiny PDFs made here (fictitious, no real data). Idempotent (looked up by
title or kind before it is made); no WeasyPrint, so it runs on SQLite and quickly."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from piis.cases.models import Exemption
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract, ContractVersion, Step
from piis.documents.enums import DocumentKind, ExitOutcome, LetterKind
from piis.documents.letters import default_wording, fill, rights_text, short_date
from piis.documents.models import ContractOutcome, Document, Explanation, Letter, LetterTemplate

TITLES = {
    "fr": {"cv": "CV (mis à jour avec l'assistante sociale)", "attendance": "Attestation de présence — atelier CV",
           "medical": "Certificat médical (dispense)"},
    "nl": {"cv": "CV (bijgewerkt met de maatschappelijk werker)",
           "attendance": "Aanwezigheidsattest — sollicitatieworkshop", "medical": "Medisch attest (vrijstelling)"},
}  # fmt: skip
OWN_RIGHTS = {
    "fr": ("Rappel de vos droits — CPAS", "Bonjour {first_name},\n\nVoici vos droits dans votre PIIS :\n\n{rights}\n\n"
           "N'hésitez pas à nous appeler.\n\n{worker_name}\n{cpas_name}"),
    "nl": ("Uw rechten — OCMW", "Beste {first_name},\n\nDit zijn uw rechten in uw GPMI:\n\n{rights}\n\n"
           "Bel ons gerust.\n\n{worker_name}\n{cpas_name}"),
}  # fmt: skip


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), with a correct cross-reference table."""
    safe = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 60 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _document(cpas, beneficiary, *, kind, title, dated_on, by, contract=None, step=None) -> None:
    if Document.objects.for_cpas(cpas).filter(beneficiary=beneficiary, title=title).exists():
        return
    content = tiny_pdf(f"{title} - demo")
    document = Document(
        cpas=cpas, beneficiary=beneficiary, contract=contract, step=step, kind=kind, title=title, dated_on=dated_on,
        original_name="demo.pdf", content_type="application/pdf", size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), added_by=by,
    )  # fmt: skip
    document.file.save(f"demo-{beneficiary.pk}-{kind}.pdf", ContentFile(content), save=False)
    document.save()


def load_documents_demo(cpas, *, language: str, today: datetime.date) -> None:
    titles = TITLES.get(language, TITLES["fr"])
    # The PIIS chosen the first time is kept (later parts of the demo may change which ones are in force).
    shown = Document.objects.for_cpas(cpas).filter(title=titles["attendance"]).select_related("contract").first()
    contract = (
        shown.contract
        if shown is not None
        else Contract.objects.for_cpas(cpas).filter(status=ContractStatus.IN_FORCE).order_by("pk").first()
    )
    if contract is not None:
        person, worker = contract.beneficiary, contract.social_worker
        _document(cpas, person, kind=DocumentKind.CV, title=titles["cv"], dated_on=today - datetime.timedelta(days=40),
                  by=worker)  # fmt: skip
        step = Step.objects.for_cpas(cpas).filter(objective__contract=contract).order_by("pk").first()
        _document(cpas, person, kind=DocumentKind.ATTENDANCE, title=titles["attendance"], contract=contract, step=step,
                  dated_on=today - datetime.timedelta(days=10), by=worker)  # fmt: skip
        version = ContractVersion.objects.for_cpas(cpas).filter(contract=contract).order_by("number").first()
        if version is not None and not Explanation.objects.for_cpas(cpas).filter(contract=contract).exists():
            spoken, interpreter = ("arabe", "SeTIS") if language == "fr" else ("Turks", "Tolkendienst")
            Explanation.objects.create(cpas=cpas, contract=contract, version=version, orally=True, language=spoken,
                                       interpreter=interpreter, recorded_by=worker)  # fmt: skip
        if not Letter.objects.for_cpas(cpas).filter(beneficiary=person, kind=LetterKind.RIGHTS_REMINDER).exists():
            sent_on = today - datetime.timedelta(days=5)
            subject, body = default_wording(LetterKind.RIGHTS_REMINDER, person.language)
            values = {"first_name": person.first_name, "last_name": person.last_name, "cpas_name": cpas.name,
                      "worker_name": worker.get_full_name() or worker.username, "letter_date": short_date(sent_on),
                      "rights": rights_text(sent_on)}  # fmt: skip
            filled = fill(subject, body, values)
            content = tiny_pdf(filled.subject)
            letter = Letter(cpas=cpas, beneficiary=person, contract=contract, kind=LetterKind.RIGHTS_REMINDER,
                            language=person.language, subject=filled.subject, body=filled.body, sent_on=sent_on,
                            sha256=hashlib.sha256(content).hexdigest(), sent_by=worker)  # fmt: skip
            letter.pdf.save(f"demo-letter-{person.pk}.pdf", ContentFile(content), save=False)
            letter.save()
    exemption = Exemption.objects.for_cpas(cpas).select_related("beneficiary").order_by("pk").first()
    medical_done = Document.objects.for_cpas(cpas).filter(title=titles["medical"]).exists()
    if exemption is not None and exemption.beneficiary.social_worker_id and not medical_done:
        person = exemption.beneficiary
        _document(cpas, person, kind=DocumentKind.MEDICAL, title=titles["medical"], dated_on=exemption.decided_on,
                  by=person.social_worker)  # fmt: skip
    ended = Contract.objects.for_cpas(cpas).filter(status=ContractStatus.ENDED).order_by("pk").first()
    if ended is not None and not ContractOutcome.objects.for_cpas(cpas).exists():
        destination = "Bruxelles Formation" if language == "fr" else "VDAB opleiding"
        ContractOutcome.objects.create(cpas=cpas, contract=ended, outcome=ExitOutcome.TRAINING_COMPLETED,
                                       destination=destination, recorded_by=ended.social_worker)  # fmt: skip
    own_subject, own_body = OWN_RIGHTS.get(language, OWN_RIGHTS["fr"])
    LetterTemplate.objects.get_or_create(cpas=cpas, kind=LetterKind.RIGHTS_REMINDER, language=language,
                                         defaults={"subject": own_subject, "body": own_body})  # fmt: skip
