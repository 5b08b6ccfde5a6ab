from collections.abc import Mapping

from django.db import connection
from django.db.models import Exists, Field, Model, OuterRef
from django.db.models.expressions import RawSQL
from django.http import Http404

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.access import require_file_access
from piis.cases.models import Beneficiary, Exemption, IncomePeriod
from piis.cases.selectors import cpas_closure_days, relations_present_sql
from piis.contracts.enums import ContractStatus, LifecycleState, is_editable, lifecycle_state
from piis.contracts.models import AmendmentRequest, Contract, ContractVersion, ThirdParty
from piis.contracts.perms import can_view_contract
from piis.core import compiled


def obligation_facts() -> dict:
    """Annotations for contract_get_for_user: what conclusion_for_contract would otherwise read apart, in the query
    that reads the contract (an EXISTS each, under the same row-level security): `relations_present` (which of the
    file's OBLIGATION_RELATIONS hold a row, as cases.selectors.file_relations_exist says), `cpas_closure_days` (the
    closure days of the file's CPAS) and `other_contracts` (whether the file has another PIIS than this one)."""
    others = Contract.objects.filter(beneficiary_id=OuterRef("beneficiary_id")).exclude(pk=OuterRef("pk"))
    if connection.vendor != "postgresql":
        return {"other_contracts": Exists(others)}
    # Of the file's relations, only those the obligation reads (file_relations_exist tests those of the file page).
    relations = relations_present_sql(Beneficiary._meta.db_table, "beneficiary_id", OBLIGATION_RELATIONS)
    return {
        "relations_present": RawSQL(relations, (), output_field=Field()),
        **cpas_closure_days(),
        "other_contracts": Exists(others),
    }


# The file's relations the obligation reads and a file often has none of (named as cases.selectors.FILE_RELATIONS).
OBLIGATION_RELATIONS = (("income_periods", IncomePeriod), ("exemptions", Exemption))


# The contract's relations that its page shows and that a contract often has none of (more are named by the apps
# above contracts): whether each holds a row is read with the contract (contract_relations_exist).
CONTRACT_RELATIONS: dict[str, type[Model]] = {"third_parties": ThirdParty, "amendment_requests": AmendmentRequest}


def contract_relations_exist(**more: type[Model]) -> dict:
    """An annotation for contract_get_for_user: `contract_relations_present`, the names of CONTRACT_RELATIONS and of
    `more` (name=model with a `contract` foreign key, from the apps above contracts) that hold at least one row of
    the contract, read in the query that reads the contract (an EXISTS each, under the same row-level security)."""
    if connection.vendor != "postgresql":
        return {}
    relations = tuple({**CONTRACT_RELATIONS, **more}.items())
    return {
        "contract_relations_present": RawSQL(
            relations_present_sql(Contract._meta.db_table, "contract_id", relations), (), output_field=Field()
        )
    }


def contract_relation_present(contract: Contract, name: str) -> bool:
    """False when the contract is known to hold no row of the relation `name` (contract_relations_exist); True
    otherwise."""
    present = getattr(contract, "contract_relations_present", None)
    return present is None or name in present


def contract_get_for_user(
    *,
    membership,
    contract_id: int,
    context: str,
    audit: bool = True,
    with_obligation_facts: bool = False,
    relations: Mapping[str, type[Model]] | None = None,
) -> Contract:
    """Fetch one contract inside the membership's CPAS, check the role, and record the read of the file.

    Another CPAS's contract and a refused role both give 404; a file beyond need-to-know, NeedToKnowRefused.
    `with_obligation_facts`: read obligation_facts with the contract, and its RI decision with the file's decisions
    (conclusion_for_contract, which must then run before contract.ri_decision is read).
    `relations`: read contract_relations_exist(**relations) with the contract (None: not read).
    """
    if not can_view_contract(membership):
        raise Http404
    related = ["beneficiary", "assessment", "social_worker", "substitute_worker"]
    if not with_obligation_facts:
        # (read with the facts, the RI decision comes from the file's decisions, which conclusion_for_contract reads:
        # one table less to join, whose planning costs more than its reading)
        related.append("ri_decision")

    def build(*, cpas: int, pk: int):
        queryset = Contract.objects.for_cpas(cpas).select_related(*related)
        if with_obligation_facts:
            queryset = queryset.annotate(**obligation_facts())
        if relations is not None:
            queryset = queryset.annotate(**contract_relations_exist(**relations))
        return queryset.filter(pk=pk)

    if connection.vendor == "postgresql":
        # Its SQL built once per shape (core.compiled): with the page's annotations, building it cost more than
        # reading it.
        shape = ("contract_get_for_user", tuple(related), with_obligation_facts, tuple((relations or {}).items()),
                 relations is None)  # fmt: skip
        found = compiled.instances(shape, build, cpas=membership.cpas_id, pk=int(contract_id))
    else:
        found = list(build(cpas=membership.cpas_id, pk=int(contract_id)))
    if not found:
        raise Http404
    contract = found[0]
    assert contract.cpas_id == membership.cpas_id
    require_file_access(membership, contract.beneficiary)
    if audit:
        contract_record_opened(membership=membership, contract=contract, context=context)
    return contract


def contract_record_opened(*, membership, contract: Contract, context: str) -> None:
    """Record that a page showed this contract (and its beneficiary) to the member: one CONTRACT_OPENED row.

    For the pages that reach the contract through one of its parts (an objective, a step, a commitment…)."""
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.CONTRACT_OPENED,
        target=contract,
        beneficiary_id=contract.beneficiary_id,
        context=context,
    )


def contract_list_for_beneficiary(*, membership, beneficiary) -> list[Contract]:
    """Every PIIS of one file (newest first), for the file page. The caller has already audited the file read."""
    return list(
        Contract.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary)
        .select_related("social_worker")
        .order_by("-created_at", "-id")
    )


def contract_state(contract: Contract) -> LifecycleState:
    """Where `contract` stands in the lifecycle table (enums.TRANSITIONS); one query for a contract in force."""
    amendment_handed_over = (
        contract.status == ContractStatus.IN_FORCE
        and not contract.editing_amendment
        and ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=True, superseded=False)
        .exists()
    )
    return lifecycle_state(
        contract.status, editing_amendment=contract.editing_amendment, amendment_handed_over=amendment_handed_over
    )


def contract_is_editable(contract: Contract) -> bool:
    """The live content may change while drafting, and while an amendment is being drafted (EDITABLE_STATES).

    No query: an amendment handed over and a contract simply in force are both read-only, so telling them apart
    (contract_state) is not needed here.
    """
    return is_editable(lifecycle_state(contract.status, editing_amendment=contract.editing_amendment))
