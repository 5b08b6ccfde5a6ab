"""The contracts' part of a person's access export (GDPR art. 15): each PIIS with its content, every version as
frozen (and its PDF), the signatures and the scans of signed copies. Registered with piis.core.personal_data."""

import os

from django.utils.translation import gettext_lazy as _

from piis.contracts.models import Clause, Contract, ContractVersion, Objective, Signature, Step, ThirdParty
from piis.contracts.pdf import contract_html, html_to_pdf
from piis.contracts.pdf_store import stored_pdf
from piis.core.errors import ServiceError
from piis.core.personal_data import ExportFile, PersonalDataSection, model_record, register_section


def _by_contract(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.contract_id, []).append(row)
    return grouped


def _pdf_file(version: ContractVersion) -> ExportFile:
    name = f"contract-{version.contract_id}-v{version.number}-{version.language}.pdf"
    stored = stored_pdf(version)  # a signed version: the very file served and hashed (contracts.pdf_store)
    if stored is not None:
        return ExportFile(name, data=stored)
    try:
        html = contract_html(version)  # reads the database: now, inside the transaction
    except ServiceError as error:
        message = str(error.message)

        def refused() -> bytes:
            raise RuntimeError(message)

        return ExportFile(name, later=refused)
    return ExportFile(name, later=lambda: html_to_pdf(html))


def _scan_file(signature: Signature) -> ExportFile | None:
    if not signature.scan:
        return None
    name = f"signature-{signature.pk}-{os.path.basename(signature.scan.name or '')}"
    try:
        with signature.scan.open("rb") as scan:
            return ExportFile(name, data=scan.read())
    except OSError:
        return ExportFile(name, data=None)


def _contracts(person):
    cpas = person.cpas_id
    contracts = list(
        Contract.objects.for_cpas(cpas)
        .filter(beneficiary_id=person.pk)
        .select_related("social_worker", "substitute_worker", "ri_decision", "assessment", "beneficiary")
        .order_by("pk")
    )
    live = {
        "third_parties": _by_contract(ThirdParty.objects.for_cpas(cpas).filter(contract__in=contracts).order_by("pk")),
        "objectives": _by_contract(Objective.objects.for_cpas(cpas).filter(contract__in=contracts).order_by("pk")),
        "clauses": _by_contract(Clause.objects.for_cpas(cpas).filter(contract__in=contracts).order_by("pk")),
    }
    steps: dict[int, list] = {}
    for step in Step.objects.for_cpas(cpas).filter(objective__contract__in=contracts).order_by("pk"):
        steps.setdefault(step.objective_id, []).append(step)
    versions = _by_contract(
        ContractVersion.objects.for_cpas(cpas)
        .filter(contract__in=contracts)
        .select_related("cpas", "handed_over_by", "information_given_by", "contract")
        .order_by("contract_id", "number")
    )
    signatures: dict[int, list] = {}
    for signature in (
        Signature.objects.for_cpas(cpas)
        .filter(version__contract__in=contracts)
        .select_related("signatory", "delegation", "third_party", "recorded_by")
        .order_by("pk")
    ):
        signatures.setdefault(signature.version_id, []).append(signature)
    for contract in contracts:
        record = model_record(contract, exclude=("beneficiary",))
        for key, rows in live.items():
            record.data[key] = [
                model_record(row, exclude=("contract",)).as_json() for row in rows.get(contract.pk, [])
            ]
        for objective in record.data["objectives"]:
            objective["steps"] = [
                model_record(step, exclude=("objective",)).as_json() for step in steps.get(objective["id"], [])
            ]
        record.data["versions"] = []
        for version in versions.get(contract.pk, []):
            entry = model_record(version, exclude=("contract",)).as_json()
            entry["signatures"] = [
                model_record(signature, exclude=("version",)).as_json() for signature in signatures.get(version.pk, [])
            ]
            record.data["versions"].append(entry)
            record.shown.append(
                (str(_("Version %(number)s") % {"number": version.number}), f"{version.handed_over_on:%d/%m/%Y}")
            )
            record.files.append(_pdf_file(version))
            for signature in signatures.get(version.pk, []):
                record.shown.append((str(_("Signature")), str(signature)))
                scan = _scan_file(signature)
                if scan is not None:
                    record.files.append(scan)
        yield record


register_section(PersonalDataSection("contracts", _("PIIS contracts"), collect=_contracts, order=20))
