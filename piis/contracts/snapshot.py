"""The frozen text of a contract version (S-Neg 7): what the parties read, sign and get as a PDF.

`ContractSnapshot` is its typed shape; `ContractVersion.snapshot` stores it as JSON (`to_json`: dates as ISO
strings, lists in a stable order, so two snapshots of the same content are equal and an amendment can be compared
with the version in force, diff.py). Readers go through `version_snapshot`, never through the raw JSON.
S-Dom 16: a need in a sensitive life domain is frozen as its domain only, never its text.

Schemas (the `schema` key): 1, the contract's content; 2 adds `cpas_signatories`, the lines of the CPAS's signatory
matrix required when the version was handed over; 3 adds each clause's `due_on`; 4 adds the contract's `path`,
each objective's `stage`, each clause's `obligation` (means or result) and the `catalogue` entry (`CatalogueRef`:
name, kind and contact as they stood) of objectives, steps, clauses and third parties. A key missing from an older
snapshot reads as its default (`cpas_signatories` None: not recorded, the reader falls back to today's matrix; a
clause's `due_on` None: no due date; `obligation` "means", as migration contracts 0006 set every commitment
recorded before; `path` "", `stage` and `catalogue` None: not recorded). A clause's delivery status is follow-up,
never frozen.
"""

import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any

from piis.accounts.selectors import required_cpas_signatories
from piis.cases.enums import SENSITIVE_DOMAINS
from piis.contracts.models import Contract, ContractVersion
from piis.rules import RuleViolation, check_clause_sanctionable

SNAPSHOT_SCHEMA = 4


@dataclass(frozen=True)
class CatalogueRef:
    """An entry of the CPAS's catalogue as it stood at hand-over (schema 4)."""

    id: int
    name: str
    kind: str = ""
    contact: str = ""


def catalogue_ref(entry) -> CatalogueRef | None:
    return None if entry is None else CatalogueRef(entry.pk, entry.name, entry.kind, entry.contact)


@dataclass(frozen=True)
class CpasEntry:
    name: str = ""
    region: str = ""


@dataclass(frozen=True)
class BeneficiaryEntry:
    first_name: str = ""
    last_name: str = ""
    birth_date: date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""


@dataclass(frozen=True)
class ThirdPartyEntry:
    id: int
    code: str  # the rules core's party name, "third_party:<id>"
    name: str
    kind: str
    requested_by: str = ""
    contact: str = ""
    signatory_name: str = ""
    catalogue: CatalogueRef | None = None  # schema 4


@dataclass(frozen=True)
class NeedEntry:
    id: int
    domain: str
    kind: str
    sensitive: bool
    text: str = ""  # always empty for a sensitive domain (S-Dom 16)


@dataclass(frozen=True)
class StepEntry:
    id: int
    description: str
    owner: str
    third_party: int | None = None
    due_on: date | None = None
    catalogue: CatalogueRef | None = None  # schema 4


@dataclass(frozen=True)
class ObjectiveEntry:
    id: int
    title: str
    observable_result: str = ""
    due_on: date | None = None
    needs: tuple[int, ...] = ()
    steps: tuple[StepEntry, ...] = ()
    stage: int | None = None  # schema 4
    catalogue: CatalogueRef | None = None  # schema 4


@dataclass(frozen=True)
class ClauseEntry:
    id: int
    party: str
    kind: str
    text: str
    third_party: int | None = None
    objective: int | None = None
    proposed_by: str = ""
    position: str = ""
    sanctionable: bool = False
    due_on: date | None = None  # schema 3
    obligation: str = "means"  # schema 4 (Obligation): means or result
    catalogue: CatalogueRef | None = None  # schema 4

    @property
    def grounds_sanction(self) -> bool:
        """Whether this commitment may ground a sanction (R55, R56): never one of the CPAS or of a third party, even
        in a version frozen before the rule was enforced."""
        return grounds_sanction(party=self.party, sanctionable=self.sanctionable)


def grounds_sanction(*, party: str, sanctionable: bool) -> bool:
    """R55, R56: a commitment marked sanctionable grounds a sanction only when it is the person's own (the rules
    core's check_clause_sanctionable); a row or snapshot of the CPAS or a third party saying otherwise is ignored."""
    try:
        check_clause_sanctionable(party=party, sanctionable=sanctionable)
    except RuleViolation:
        return False
    return sanctionable


@dataclass(frozen=True)
class SignatoryLine:
    """A required line of the CPAS's signatory matrix as it stood at hand-over (R35, O5)."""

    line_id: int
    function: str
    holder_name: str


@dataclass(frozen=True)
class ContractSnapshot:
    schema: int = 1  # the first snapshots already carried it
    cpas: CpasEntry = CpasEntry()
    beneficiary: BeneficiaryEntry = BeneficiaryEntry()
    social_worker: str = ""
    social_worker_email: str = ""
    substitute_worker: str = ""
    ri_decision_on: date | None = None
    orientations: tuple[str, ...] = ()
    start_on: date | None = None
    end_on: date | None = None
    evaluation_arrangements: str = ""
    beneficiary_comments: str = ""
    path: str = ""  # schema 4 (PathKind)
    third_parties: tuple[ThirdPartyEntry, ...] = ()
    needs: tuple[NeedEntry, ...] = ()
    objectives: tuple[ObjectiveEntry, ...] = ()
    clauses: tuple[ClauseEntry, ...] = ()
    cpas_signatories: tuple[SignatoryLine, ...] | None = None  # schema 2; None: not recorded

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ContractSnapshot":
        """Read a stored snapshot of any schema; a missing key takes the field's default."""
        return _load(cls, data)

    def to_json(self) -> dict[str, Any]:
        """The JSON stored in ContractVersion.snapshot (what `from_json` reads back)."""
        return _dump(self)

    def signatory_lines(self, *, cpas) -> list[SignatoryLine]:
        """The CPAS lines printed for signature: those saved at hand-over; for a snapshot of schema 1, which did
        not save them, the lines required today in `cpas`'s matrix."""
        if self.cpas_signatories is not None:
            return list(self.cpas_signatories)
        return _matrix_lines(cpas)


def version_snapshot(version: ContractVersion) -> ContractSnapshot:
    """The typed snapshot of `version` (whatever the schema it was saved with)."""
    return ContractSnapshot.from_json(version.snapshot or {})


def _dump(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _dump(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load(cls: Any, data: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    return cls(
        **{field.name: _read(hints[field.name], data[field.name]) for field in fields(cls) if field.name in data}
    )


def _read(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_read(item, value) for value in raw)
    if is_dataclass(hint):
        return _load(hint, raw)
    if hint is date:
        return date.fromisoformat(raw)
    return raw


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _matrix_lines(cpas) -> list[SignatoryLine]:
    return [SignatoryLine(line.pk, line.function, line.holder_name) for line in required_cpas_signatories(cpas=cpas)]


def _needs(contract: Contract) -> tuple[NeedEntry, ...]:
    if contract.assessment is None:
        return ()
    items = contract.assessment.items.order_by("domain", "kind", "id")
    # S-Dom 16: the details of a sensitive domain stay in the confidential social file.
    return tuple(
        NeedEntry(
            item.pk,
            item.domain,
            item.kind,
            item.domain in SENSITIVE_DOMAINS,
            "" if item.domain in SENSITIVE_DOMAINS else item.text,
        )  # fmt: skip
        for item in items
    )


def _objectives(contract: Contract) -> tuple[ObjectiveEntry, ...]:
    objectives = (
        contract.objectives.order_by("position", "id")
        .select_related("catalogue_entry")
        .prefetch_related("steps__catalogue_entry", "assessment_items")
    )
    return tuple(
        ObjectiveEntry(
            id=objective.pk,
            title=objective.title,
            observable_result=objective.observable_result,
            due_on=objective.due_on,
            needs=tuple(sorted(item.pk for item in objective.assessment_items.all())),
            steps=tuple(
                StepEntry(
                    step.pk,
                    step.description,
                    step.owner,
                    step.third_party_id,
                    step.due_on,
                    catalogue_ref(step.catalogue_entry),
                )
                for step in sorted(objective.steps.all(), key=lambda s: (s.position, s.pk))
            ),
            stage=objective.stage,
            catalogue=catalogue_ref(objective.catalogue_entry),
        )
        for objective in objectives
    )


def _clauses(contract: Contract) -> tuple[ClauseEntry, ...]:
    return tuple(
        ClauseEntry(
            id=clause.pk,
            party=clause.party,
            kind=clause.kind,
            text=clause.text,
            third_party=clause.third_party_id,
            objective=clause.objective_id,
            proposed_by=clause.proposed_by,
            position=clause.position,
            sanctionable=grounds_sanction(party=clause.party, sanctionable=clause.sanctionable),
            due_on=clause.due_on,
            obligation=clause.obligation,
            catalogue=catalogue_ref(clause.catalogue_entry),
        )
        for clause in contract.clauses.select_related("catalogue_entry").order_by("order", "id")
    )


def _third_parties(contract: Contract) -> tuple[ThirdPartyEntry, ...]:
    return tuple(
        ThirdPartyEntry(
            id=third.pk,
            code=third.party_code,
            name=third.name,
            kind=third.kind,
            requested_by=third.requested_by,
            contact=third.contact,
            signatory_name=third.signatory_name,
            catalogue=catalogue_ref(third.catalogue_entry),
        )
        for third in contract.third_parties.select_related("catalogue_entry").order_by("id")
    )


def freeze_contract(contract: Contract) -> ContractSnapshot:
    """The live content of `contract`, and the CPAS lines required to sign it today (see the module docstring)."""
    beneficiary = contract.beneficiary
    return ContractSnapshot(
        schema=SNAPSHOT_SCHEMA,
        cpas=CpasEntry(contract.cpas.name, contract.cpas.region),
        beneficiary=BeneficiaryEntry(
            first_name=beneficiary.first_name,
            last_name=beneficiary.last_name,
            birth_date=beneficiary.birth_date,
            address=beneficiary.address,
            phone=beneficiary.phone,
            email=beneficiary.email,
            language=beneficiary.language,
        ),
        social_worker=_person_name(contract.social_worker),
        social_worker_email=getattr(contract.social_worker, "email", "") or "",
        substitute_worker=_person_name(contract.substitute_worker),
        ri_decision_on=contract.ri_decision.decided_on,
        orientations=tuple(sorted(contract.orientations or [])),
        start_on=contract.start_on,
        end_on=contract.end_on,
        evaluation_arrangements=contract.evaluation_arrangements,
        beneficiary_comments=contract.beneficiary_comments,
        path=contract.path,
        third_parties=_third_parties(contract),
        needs=_needs(contract),
        objectives=_objectives(contract),
        clauses=_clauses(contract),
        cpas_signatories=tuple(_matrix_lines(contract.cpas)),
    )


def contract_snapshot(contract: Contract) -> dict[str, Any]:
    """`freeze_contract` as the JSON stored in ContractVersion.snapshot at hand-over."""
    return freeze_contract(contract).to_json()
