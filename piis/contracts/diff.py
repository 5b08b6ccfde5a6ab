"""A readable comparison of two contract versions (R49): what an amendment adds, removes or changes.

Works on typed snapshots (snapshot.py), so it compares the texts the parties actually read. Objectives, steps and
clauses are matched by their id (the live rows keep their id when edited); a row present on one side only is added
or removed.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst

from piis.contracts.enums import Orientation, Party
from piis.contracts.models import Contract
from piis.contracts.snapshot import ClauseEntry, ContractSnapshot, ObjectiveEntry

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"

_HEADER_FIELDS = ("orientations", "start_on", "end_on", "evaluation_arrangements", "beneficiary_comments")
_CLAUSE_FIELDS = ("text", "kind", "objective", "proposed_by", "position", "sanctionable", "due_on")
_OBJECTIVE_FIELDS = ("title", "observable_result", "due_on", "needs", "steps")


@dataclass
class Row:
    status: str
    before: Any  # an entry of the snapshot (ObjectiveEntry, ClauseEntry), None when added
    after: Any  # None when removed
    fields: tuple[str, ...] = ()

    @property
    def is_added(self) -> bool:
        return self.status == ADDED

    @property
    def is_removed(self) -> bool:
        return self.status == REMOVED

    @property
    def is_same(self) -> bool:
        return self.status == SAME


@dataclass
class PartySection:
    code: str
    name: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(row.status != SAME for row in self.rows)


def _header_label(name: str):
    """The contract field's own (translated) name: a person reads "Planned start", never `start_on`."""
    names = {f.name: f.verbose_name for f in Contract._meta.concrete_fields}
    return capfirst(names[name])


def _header_value(name: str, value: object) -> object:
    if name == "orientations":
        labels = dict(Orientation.choices)
        return ", ".join(str(labels.get(code, code)) for code in value or ())  # type: ignore[attr-defined]
    return value


@dataclass
class VersionDiff:
    # (label, in force, amended) of each general term that changed, labelled and shown as a person reads them
    header: list[tuple[Any, object, object]] = field(default_factory=list)
    objectives: list[Row] = field(default_factory=list)
    parties: list[PartySection] = field(default_factory=list)
    touched: frozenset[str] = frozenset()
    changed_clause_ids: frozenset[int] = frozenset()

    @property
    def changed_objectives(self) -> list[Row]:
        """The objectives added, removed or changed: the page shows a table only when there is one."""
        return [row for row in self.objectives if row.status != SAME]

    @property
    def changed_parties(self) -> list[PartySection]:
        return [party for party in self.parties if party.changed]

    @property
    def unchanged_parties(self) -> list[PartySection]:
        """Parties whose commitments are all unchanged: named in one line, not as empty tables."""
        return [party for party in self.parties if not party.changed]

    @property
    def is_empty(self) -> bool:
        return (
            not self.header
            and all(r.status == SAME for r in self.objectives)
            and not any(p.changed for p in self.parties)
        )


def _rows(before: tuple, after: tuple, fields: tuple[str, ...]) -> list[Row]:
    old = {item.id: item for item in before}
    new = {item.id: item for item in after}
    rows = []
    for item in after:
        previous = old.get(item.id)
        if previous is None:
            rows.append(Row(ADDED, None, item))
            continue
        changed = tuple(name for name in fields if getattr(previous, name) != getattr(item, name))
        rows.append(Row(CHANGED if changed else SAME, previous, item, changed))
    rows.extend(Row(REMOVED, item, None) for item in before if item.id not in new)
    return rows


def clause_party_code(clause: ClauseEntry) -> str:
    """The rules core's name of the party a frozen clause binds."""
    if clause.party == Party.THIRD_PARTY:
        return f"third_party:{clause.third_party}"
    return clause.party


def _step_party_codes(objective: ObjectiveEntry | None) -> set[str]:
    if not objective:
        return set()
    return {
        f"third_party:{step.third_party}" if step.owner == Party.THIRD_PARTY else step.owner
        for step in objective.steps
    }


def version_diff(before: ContractSnapshot | None, after: ContractSnapshot) -> VersionDiff:
    """Compare two snapshots (`before` None: nothing in force yet): header fields, objectives (with their steps)
    and clauses grouped by party."""
    before = before or ContractSnapshot()
    result = VersionDiff()
    result.header = [
        (_header_label(name), _header_value(name, getattr(before, name)), _header_value(name, getattr(after, name)))
        for name in _HEADER_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    result.objectives = _rows(before.objectives, after.objectives, _OBJECTIVE_FIELDS)
    touched: set[str] = set()
    for row in result.objectives:
        if row.status != SAME:
            touched |= _step_party_codes(row.before) | _step_party_codes(row.after)

    names: dict[str, str] = {Party.BENEFICIARY: str(Party.BENEFICIARY.label), Party.CPAS: str(Party.CPAS.label)}
    order = [Party.BENEFICIARY.value, Party.CPAS.value]
    for third in before.third_parties + after.third_parties:
        names.setdefault(third.code, third.name)
        if third.code not in order:
            order.append(third.code)
    clause_rows = _rows(before.clauses, after.clauses, _CLAUSE_FIELDS)
    changed_ids = set()
    for code in order:
        rows = [r for r in clause_rows if clause_party_code(r.after or r.before) == code]
        section = PartySection(code, names[code], rows)
        result.parties.append(section)
        if section.changed:
            touched.add(code)
        changed_ids |= {r.after.id for r in rows if r.status in (ADDED, CHANGED)}
    result.touched = frozenset(touched)
    result.changed_clause_ids = frozenset(changed_ids)
    return result
