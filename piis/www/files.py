"""The beneficiary file page: the file's records (cases), its PIIS contracts and their obligation (contracts), its
follow-up (followup)."""

import functools
import json
from datetime import date

from django.db import connection
from django.db.models import Field
from django.db.models.expressions import RawSQL
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.accounts.perms import can_edit_beneficiaries, can_view_beneficiaries
from piis.cases.access import glass_break_in_use
from piis.cases.selectors import (
    assessments_for_file,
    beneficiary_file_prefetch,
    beneficiary_get_for_user,
    cpas_closure_days,
    exemptions_for_file,
    file_relations_exist,
    relation_present,
    set_prefetched,
)
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.contracts.obligation import obligation_for_file
from piis.contracts.selectors import contract_list_for_beneficiary
from piis.contracts.selectors_drafting import NextAction
from piis.core import compiled
from piis.core.decorators import cpas_permission_required
from piis.documents.models import Document, Letter
from piis.documents.selectors import documents_section
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.selectors import followup_context_for_file
from piis.sanctions.models import SanctionDossier, SittingItem
from piis.sanctions.perms import can_list_dossiers, can_open_dossier
from piis.sanctions.selectors import dossiers_for_file, timeline
from piis.sanctions.selectors_council import timeline_entries as council_timeline


def file_next_step(*, beneficiary, has_ri_decision: bool, has_assessment: bool, contracts, obligation):
    """The file's obvious next action toward a PIIS, shown first on the file page: the RI decision (the obligation
    is computed from it), then, when a PIIS is required, the needs assessment that comes before any contract and the
    PIIS itself; a PIIS being negotiated is continued. None when nothing is to do (a PIIS in force, none required).
    """
    if not has_ri_decision:
        return NextAction(_("Record an RI decision"), reverse("cases:record_create", args=[beneficiary.pk, "ri"]))
    open_contract = next((c for c in contracts if c.status != ContractStatus.ENDED), None)
    if open_contract is not None:
        if open_contract.status == ContractStatus.IN_FORCE:
            return None
        return NextAction(_("Continue the PIIS"), reverse("contracts:detail", args=[open_contract.pk]))
    if not obligation.required:
        return None
    if not has_assessment:
        return NextAction(_("New needs assessment"), reverse("cases:assessment_create", args=[beneficiary.pk]))
    return NextAction(_("New PIIS"), reverse("contracts:create", args=[beneficiary.pk]))


def sanctions_context_for_file(
    *, membership, beneficiary, contracts, has_dossiers: bool = True, has_council_items: bool = True
) -> dict:
    """The file's sanction procedures, for those who may see them (apart from the support file: a worker sees the
    dossiers of the files they work on, never the other way round), each with its dated steps (the person's
    timeline of the procedure), and the PIIS in force on which a breach can be reported. `has_dossiers` and
    `has_council_items` False when the page knows that the file has no dossier, no council item: nothing read."""
    if not can_list_dossiers(membership):
        return {"sanction_dossiers": None}
    in_force = next((c for c in contracts if c.status == ContractStatus.IN_FORCE), None)
    can_open = in_force is not None and can_open_dossier(membership, beneficiary=beneficiary, contract=in_force)
    dossiers = dossiers_for_file(membership=membership, beneficiary=beneficiary) if has_dossiers else []
    # The council's steps on the file (sitting, decision, notification, appeal), to the file's social workers — those
    # who reach it by need-to-know, never through a broken glass (the same test as reporting a breach).
    works_on_file = can_open_dossier(membership, beneficiary=beneficiary, contract=in_force)
    council = (
        council_timeline(beneficiary.pk, cpas_id=membership.cpas_id) if works_on_file and has_council_items else []
    )
    return {
        "sanction_dossiers": [(dossier, timeline(dossier)) for dossier in dossiers],
        "sanction_contract": in_force if can_open else None,
        "council_steps": council,
    }


# What the follow-up section reads of each PIIS's evaluations (followup_context_for_file: their fields, the model's
# order), as one JSON array per contract read with the contracts.
_EVALUATION_FIELDS = ("id", "contract_id", "held_on", "mode")


@functools.cache
def _evaluations_sql() -> str:
    q = connection.ops.quote_name
    table, contract = q(Evaluation._meta.db_table), q(Contract._meta.db_table)
    return (
        f"(SELECT COALESCE(json_agg(json_build_array({table}.{q('id')}, {table}.{q('held_on')}, {table}.{q('mode')}) "
        f"ORDER BY {table}.{q('held_on')} DESC, {table}.{q('id')} DESC), '[]')::text FROM {table} "
        f"WHERE {table}.{q('contract_id')} = {contract}.{q('id')})"
    )


def _contracts_query(*, cpas: int, file: int):
    """contract_list_for_beneficiary's query (every PIIS of the file, newest first, with its social worker), each
    with its evaluations (`evaluations_json`)."""
    return (
        Contract.objects.for_cpas(cpas)
        .filter(beneficiary=file)
        .select_related("social_worker")
        .annotate(evaluations_json=RawSQL(_evaluations_sql(), (), output_field=Field()))
        .order_by("-created_at", "-id")
    )


def _file_contracts(*, membership, beneficiary) -> list[Contract]:
    """contract_list_for_beneficiary, its SQL compiled once (core.compiled) on PostgreSQL, each contract's
    evaluations read with it and set as prefetch_related sets them (what followup_context_for_file reads)."""
    if connection.vendor != "postgresql":
        return contract_list_for_beneficiary(membership=membership, beneficiary=beneficiary)
    contracts = compiled.instances(("file_contracts",), _contracts_query, cpas=membership.cpas_id, file=beneficiary.pk)
    alias = connection.alias
    for contract in contracts:
        rows = json.loads(contract.__dict__.pop("evaluations_json"))
        evaluations = [
            Evaluation.from_db(alias, _EVALUATION_FIELDS, (pk, contract.pk, date.fromisoformat(held_on), mode))
            for pk, held_on, mode in rows
        ]
        set_prefetched(contract, "evaluations", evaluations)
    return contracts


@cpas_permission_required(can_view_beneficiaries)
def beneficiary_detail(request, beneficiary_id: int):
    today = timezone.localdate()
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path,
        # Whether the file has each kind of record, PIIS, meeting request, sanction dossier, council item: read with
        # the file, so that the page skips the reads that would find none.
        annotations={
            **file_relations_exist(
                contracts=Contract, meeting_requests=MeetingRequest, sanction_dossiers=SanctionDossier,
                council_items=SittingItem, documents=Document, letters=Letter,
            ),
            **cpas_closure_days(),
        },
    )  # fmt: skip
    beneficiary_file_prefetch(beneficiary)
    contracts = (
        _file_contracts(membership=request.membership, beneficiary=beneficiary)
        if relation_present(beneficiary, "contracts")
        else []
    )
    can_edit = can_edit_beneficiaries(request.membership)
    obligation = obligation_for_file(
        beneficiary=beneficiary, today=today, contracts=contracts,
        closures=getattr(beneficiary, "cpas_closure_days", None),
    )  # fmt: skip
    assessments = assessments_for_file(beneficiary)
    ri_decisions = beneficiary.ri_decisions.all()
    next_step = None
    if can_edit:
        next_step = file_next_step(
            beneficiary=beneficiary, has_ri_decision=bool(ri_decisions), has_assessment=bool(assessments),
            contracts=contracts, obligation=obligation,
        )  # fmt: skip
    context = {
        "beneficiary": beneficiary,
        "glass_break": glass_break_in_use(
            request.membership, beneficiary, access=getattr(beneficiary, "reached_by", None)
        ),
        "can_edit": can_edit,
        "contracts": contracts,
        "today": today,
        "household": beneficiary.household.all(),
        "assistants": beneficiary.assistants.all(),
        "ri_decisions": ri_decisions,
        "income_periods": beneficiary.income_periods.all(),
        "exemptions": exemptions_for_file(beneficiary=beneficiary, today=today),
        "obligation": obligation,
        "assessments": assessments,
        "next_step": next_step,
        **followup_context_for_file(
            membership=request.membership,
            beneficiary=beneficiary,
            today=today,
            contracts=contracts,
            has_meeting_requests=relation_present(beneficiary, "meeting_requests"),
        ),
        **sanctions_context_for_file(
            membership=request.membership,
            beneficiary=beneficiary,
            contracts=contracts,
            has_dossiers=relation_present(beneficiary, "sanction_dossiers"),
            has_council_items=relation_present(beneficiary, "council_items"),
        ),
        **documents_section(
            membership=request.membership,
            beneficiary=beneficiary,
            has_documents=relation_present(beneficiary, "documents"),
            has_letters=relation_present(beneficiary, "letters"),
        ),  # fmt: skip
    }
    return render(request, "cases/detail.html", context)
