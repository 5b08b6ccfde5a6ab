"""Reads of documents and letters: fetched inside the membership's CPAS and authorised (another CPAS's, or a
sensitive document the member may not see: 404), each read of a person's data audited."""

from django.db.models import Q
from django.http import Http404

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.access import require_file_access
from piis.cases.models import Beneficiary
from piis.documents.access import can_see_sensitive
from piis.documents.enums import SENSITIVE_DOCUMENT_KINDS, LetterKind
from piis.documents.letters import DEFAULTS
from piis.documents.models import Document, Letter, LetterTemplate
from piis.documents.perms import can_add_documents, can_manage_letter_templates, can_view_documents


def _visible(membership, beneficiary: Beneficiary):
    qs = Document.objects.for_cpas(membership.cpas).filter(beneficiary=beneficiary)
    if not can_see_sensitive(membership, beneficiary):
        qs = qs.exclude(kind__in=SENSITIVE_DOCUMENT_KINDS)
    return qs


def documents_for_file(*, membership, beneficiary: Beneficiary, contract=None) -> list[Document]:
    """The file's documents the member may see (a contract's only, when given), newest first, in two queries at
    most whatever their number (the step and the commitment they prove come with them)."""
    qs = _visible(membership, beneficiary).select_related("added_by", "step", "clause", "contract")
    if contract is not None:
        qs = qs.filter(contract=contract)
    return list(qs)


def hidden_sensitive_count(*, membership, beneficiary: Beneficiary) -> int:
    """How many documents of the sensitive area the member does not see (shown as a count only)."""
    if can_see_sensitive(membership, beneficiary):
        return 0
    return (
        Document.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary, kind__in=SENSITIVE_DOCUMENT_KINDS)
        .count()
    )


def letters_for_file(*, membership, beneficiary: Beneficiary, contract=None) -> list[Letter]:
    qs = Letter.objects.for_cpas(membership.cpas).filter(beneficiary=beneficiary).select_related("sent_by")
    if contract is not None:
        qs = qs.filter(Q(contract=contract))
    return list(qs)


def _file_of(membership, obj) -> None:
    assert obj.cpas_id == membership.cpas_id  # the second look: never serve another CPAS's row
    require_file_access(membership, obj.beneficiary)


def document_get_for_user(*, membership, document_id: int) -> Document:
    """One document of the membership's CPAS that the member may see: 404 for another CPAS's, a refused role or a
    sensitive document beyond the member's reach; NeedToKnowRefused beyond the file's need-to-know. Not audited
    here: the download is (document_download_record)."""
    if not can_view_documents(membership):
        raise Http404
    try:
        document = (
            Document.objects.for_cpas(membership.cpas).select_related("beneficiary", "contract").get(pk=document_id)
        )
    except Document.DoesNotExist:
        raise Http404 from None
    _file_of(membership, document)
    if document.is_sensitive and not can_see_sensitive(membership, document.beneficiary):
        raise Http404
    return document


def document_download_record(*, membership, document: Document, context: str) -> None:
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.DOCUMENT_OPENED,
        target=document,
        beneficiary_id=document.beneficiary_id,
        changes={"kind": document.kind, "sha256": document.sha256},
        context=context,
    )


def letter_get_for_user(*, membership, letter_id: int) -> Letter:
    if not can_view_documents(membership):
        raise Http404
    try:
        letter = Letter.objects.for_cpas(membership.cpas).select_related("beneficiary").get(pk=letter_id)
    except Letter.DoesNotExist:
        raise Http404 from None
    _file_of(membership, letter)
    return letter


def letter_opened_record(*, membership, letter: Letter, context: str) -> None:
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.LETTER_OPENED,
        target=letter,
        beneficiary_id=letter.beneficiary_id,
        context=context,
    )


def template_rows(*, membership) -> list[dict]:
    """Every kind × working language, with the CPAS's own wording when it has one (the admin's list page)."""
    if not can_manage_letter_templates(membership):
        raise Http404
    own = {(t.kind, t.language): t for t in LetterTemplate.objects.for_cpas(membership.cpas)}
    languages = list(membership.cpas.working_languages or []) or ["fr"]
    for code in ("fr", "nl", "de", "en"):
        if code not in languages:
            languages.append(code)
    return [
        {"kind": kind, "label": LetterKind(kind).label, "language": language, "own": own.get((kind, language))}
        for kind in DEFAULTS
        for language in languages
    ]


def template_for(*, cpas, kind: str, language: str) -> LetterTemplate | None:
    return LetterTemplate.objects.for_cpas(cpas).filter(kind=kind, language=language).first()


SECTION_ROWS = 5
_DOCUMENT_TABLE_FIELDS = (
    "id",
    "cpas_id",
    "beneficiary_id",
    "contract_id",
    "kind",
    "title",
    "dated_on",
    "size",
    "added_at",
    "added_by__id",
    "added_by__username",
    "added_by__first_name",
    "added_by__last_name",
    "step__id",
    "step__description",
    "clause__id",
    "clause__text",
)
_LETTER_TABLE_FIELDS = (
    "id",
    "cpas_id",
    "beneficiary_id",
    "contract_id",
    "language",
    "subject",
    "sent_on",
    "sent_by__id",
    "sent_by__username",
    "sent_by__first_name",
    "sent_by__last_name",
)


def _section_documents(membership, beneficiary, contract) -> list[Document]:
    # Only the columns the section's table shows (documents/_document_table.html).
    documents = (
        _visible(membership, beneficiary).select_related("added_by", "step", "clause").only(*_DOCUMENT_TABLE_FIELDS)
    )
    if contract is not None:
        documents = documents.filter(contract=contract)
    return list(documents[: SECTION_ROWS + 1])


def _section_letters(membership, beneficiary, contract) -> list[Letter]:
    # Only the columns the section's table shows (documents/_letter_table.html).
    letters = (
        Letter.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary)
        .select_related("sent_by")
        .only(*_LETTER_TABLE_FIELDS)
    )
    if contract is not None:
        letters = letters.filter(contract=contract)
    return list(letters[: SECTION_ROWS + 1])


def documents_section(
    *,
    membership,
    beneficiary,
    contract=None,
    versions=None,
    evaluations=None,
    has_documents=True,
    has_letters=True,
    has_explanations=True,
) -> dict:
    """For the file page and the contract page: the latest documents and letters (two queries, of the rows shown);
    for a contract, how its hand-overs and evaluations were explained (one query, none when there is neither) and,
    once it has ended, its outcome (one query). The contract page passes the `versions` and `evaluations` it has
    read already (in any order); they are read here otherwise. `has_documents` / `has_letters` False: the file is
    known to hold none (read with the file, cases.selectors.file_relations_exist, or with the contract,
    contracts.selectors.contract_relations_exist), so that table is not read; `has_explanations` likewise."""
    if not can_view_documents(membership):
        return {"documents_section": None}
    # One more row than shown tells whether there are more. (A table known to hold none is not even queried: building
    # its query cost a tenth of a millisecond each.)
    documents = _section_documents(membership, beneficiary, contract) if has_documents else []
    letters = _section_letters(membership, beneficiary, contract) if has_letters else []
    extra = {}
    if contract is not None:
        from piis.contracts.models import ContractVersion
        from piis.documents.models import ContractOutcome
        from piis.followup.models import Evaluation

        if versions is None:
            versions = ContractVersion.objects.for_cpas(contract.cpas_id).filter(contract=contract)
        if evaluations is None:
            evaluations = Evaluation.objects.for_cpas(contract.cpas_id).filter(contract=contract)
        versions = sorted(versions, key=lambda v: v.number)
        evaluations = sorted(evaluations, key=lambda e: (e.held_on, e.pk))
        explained = (
            explanations_for_contract(contract=contract)
            if has_explanations and (versions or evaluations)
            else {"by_version": {}, "by_evaluation": {}}
        )
        ended = contract.status == "ended"
        extra = {
            "handovers": [(v, explained["by_version"].get(v.pk)) for v in versions],
            "evaluations": [(e, explained["by_evaluation"].get(e.pk)) for e in evaluations],
            "outcome": ContractOutcome.objects.for_cpas(contract.cpas_id).filter(contract=contract).first()
            if ended
            else None,
            "ended": ended,
            "can_record": can_add_documents(membership),
        }
    return {
        "documents_section": {
            **extra,
            "contract": contract,
            "documents": documents[:SECTION_ROWS],
            "letters": letters[:SECTION_ROWS],
            "more": len(documents) > SECTION_ROWS or len(letters) > SECTION_ROWS,
        }
    }


def outcome_counts(cpas, start, end) -> dict[str, int]:
    """For the annual report (piis.reports): how many PIIS ended between `start` and `end` (inclusive) with each
    outcome, every outcome listed (0 when none), plus "unrecorded" for ended PIIS without one. Two queries."""
    from django.db.models import Count

    from piis.contracts.enums import ContractStatus
    from piis.contracts.models import Contract
    from piis.documents.enums import ExitOutcome
    from piis.documents.models import ContractOutcome

    counts = dict.fromkeys(ExitOutcome.values, 0)
    rows = (
        ContractOutcome.objects.for_cpas(cpas)
        .filter(contract__status=ContractStatus.ENDED, contract__ended_on__gte=start, contract__ended_on__lte=end)
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["outcome"]] = row["n"]
    ended = (
        Contract.objects.for_cpas(cpas)
        .filter(status=ContractStatus.ENDED, ended_on__gte=start, ended_on__lte=end)
        .count()
    )
    counts["unrecorded"] = ended - sum(counts[value] for value in ExitOutcome.values)
    return counts


def explanations_for_contract(*, contract) -> dict:
    """The explanations of the contract's hand-overs (by version id) and evaluations (by evaluation id)."""
    from piis.documents.models import Explanation

    rows = list(Explanation.objects.for_cpas(contract.cpas_id).filter(contract=contract).select_related("assistant"))
    return {
        "by_version": {row.version_id: row for row in rows if row.version_id},
        "by_evaluation": {row.evaluation_id: row for row in rows if row.evaluation_id},
    }
