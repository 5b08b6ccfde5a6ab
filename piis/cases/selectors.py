import functools
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Field,
    Model,
    Prefetch,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import ClosureDay
from piis.accounts.perms import can_view_beneficiaries
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.access import accessible_files_q, require_file_access
from piis.cases.enums import SENSITIVE_DOMAINS, LifeDomain
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Beneficiary,
    Exemption,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
    search_key,
)
from piis.cases.validators import normalize_nrn
from piis.core import compiled
from piis.core.rls import current_cpas_setting


def beneficiary_list(*, membership, query: str = "", mine: bool = False, everywhere: bool = False):
    """The files of the membership's CPAS that the member reaches (need-to-know: piis.cases.access), narrowed by a
    name or national-number search. With `everywhere` and a search, every file of the CPAS is searched (so that a
    worker at the desk finds whether a person already has a file): the page then shows only the name and masked
    number of a file beyond need-to-know, with the way to break the glass (`in_reach` False on those rows).

    A list shows no more than names and masked numbers; it writes one FILE_LIST_OPENED row (the view); opening
    a file is audited as its own read (beneficiary_get_for_user).
    """
    reach = accessible_files_q(membership)
    qs = Beneficiary.objects.for_cpas(membership.cpas).select_related("social_worker", "team")
    query = (query or "").strip()
    if everywhere and query:
        qs = qs.annotate(in_reach=Case(When(reach, then=True), default=False, output_field=BooleanField()))
    else:
        qs = qs.filter(reach).annotate(in_reach=Value(True, output_field=BooleanField()))
    digits = normalize_nrn(query)
    if re.fullmatch(r"[0-9]{11}", digits):
        # A whole number: equality reads the (cpas, national_number) B-tree; a prefix LIKE cannot under a non-C
        # collation and scans the CPAS's files (issue 15: 118 ms → < 1 ms among 90,000).
        qs = qs.filter(national_number=digits)
    elif re.fullmatch(r"[0-9]{6,10}", digits):
        qs = qs.filter(national_number__startswith=digits)
    elif query:
        words = search_key(query).split()
        if words and connection.vendor == "postgresql" and current_cpas_setting() == str(membership.cpas_id):
            # Under RLS the trigram index cannot serve LIKE (not LEAKPROOF): piis_name_search finds the ids of the
            # transaction's CPAS's matches through its own index (cases migration 0005, issue 15), the same words
            # matched the same way as the LIKEs below. (Without the CPAS set, as in a script, the LIKEs.)
            qs = qs.filter(pk__in=RawSQL("SELECT piis_name_search(%s::text[])", [words]))
        else:
            for word in words:
                qs = qs.filter(search_name__contains=word)
    if mine:
        qs = qs.filter(social_worker=membership.user)
    return qs


def beneficiary_get_for_user(
    *, membership, beneficiary_id: int, context: str, annotations: dict | None = None
) -> Beneficiary:
    """Fetch one file inside the membership's CPAS, check the role and the need-to-know, and record the read.

    Another CPAS's file and a refused role both give 404, so that nobody learns that a file exists elsewhere; a
    file of one's CPAS beyond one's need-to-know raises NeedToKnowRefused (the break-the-glass page).
    `annotations` are read with the file in the same query (the file page: which of its relations hold rows).
    """
    if not can_view_beneficiaries(membership):
        raise Http404
    found = _file_with(membership.cpas_id, beneficiary_id, annotations or {})
    if not found:
        raise Http404
    beneficiary = found[0]
    assert beneficiary.cpas_id == membership.cpas_id  # the second look: never serve another CPAS's row
    # Why the member reaches the file, for the page that shows it (access.glass_break_in_use): asked once.
    beneficiary.reached_by = require_file_access(membership, beneficiary)
    beneficiary_record_opened(membership=membership, beneficiary=beneficiary, context=context)
    return beneficiary


def _file_query(annotations: dict, *, cpas: int, file: int):
    """The query of Beneficiary.objects.for_cpas(cpas).select_related("social_worker").annotate(**annotations)
    .get(pk=file) (get: no order, at most MAX_GET_RESULTS rows)."""
    qs = Beneficiary.objects.for_cpas(cpas).select_related("social_worker")
    if annotations:
        qs = qs.annotate(**annotations)
    return qs.filter(pk=file).order_by()[:MAX_GET_RESULTS]


def _file_with(cpas: int, file: int, annotations: dict) -> list:
    """The file `file` of the CPAS with `annotations`, in a list (empty when there is none). Its SQL compiled once
    per set of annotations (core.compiled) when each is a RawSQL without parameters (file_relations_exist,
    cpas_closure_days), whose text is then the whole of what it adds."""
    if connection.vendor == "postgresql" and all(isinstance(a, RawSQL) and not a.params for a in annotations.values()):
        key = ("file", *((name, a.sql) for name, a in annotations.items()))
        return compiled.instances(key, functools.partial(_file_query, annotations), cpas=cpas, file=file)
    return list(_file_query(annotations, cpas=cpas, file=file))


def beneficiary_get_beyond_need_to_know(*, membership, beneficiary_id: int) -> Beneficiary:
    """One file of the membership's CPAS for the break-the-glass page, whatever the need-to-know (404 for another
    CPAS or a role that never opens files). Shows only who the file is about; the caller audits it."""
    if not can_view_beneficiaries(membership):
        raise Http404
    try:
        return Beneficiary.objects.for_cpas(membership.cpas).get(pk=beneficiary_id)
    except Beneficiary.DoesNotExist:
        raise Http404 from None


def beneficiary_record_opened(*, membership, beneficiary: Beneficiary, context: str) -> None:
    """Record that a page showed this person's file to the member: one FILE_OPENED row. For the pages that reach
    the person through another object (a meeting request…)."""
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.FILE_OPENED,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        context=context,
    )


# --- the file's records and needs assessments (obligation: cases/facts.py, contracts/obligation.py) ---------


# The file's relations that the file page shows and that a file often has none of: whether each holds a row is
# read with the file (file_relations_exist), and beneficiary_file_prefetch reads only those that do.
FILE_RELATIONS: dict[str, type[Model]] = {
    "household": HouseholdMember,
    "assistants": Assistant,
    "income_periods": IncomePeriod,
    "exemptions": Exemption,
    "assessments": NeedsAssessment,
}


@functools.cache
def relations_present_sql(owner_table: str, column: str, relations: tuple[tuple[str, type[Model]], ...]) -> str:
    """The names of `relations` (name, model whose `column` is a foreign key to `owner_table`) holding a row of the
    row of `owner_table` being read, as an array (an EXISTS each): the file's here, the contract's in
    contracts.selectors."""
    owner_id = f"{_quote(owner_table)}.{_quote('id')}"
    tests = ", ".join(
        f"CASE WHEN EXISTS (SELECT 1 FROM {_quote(model._meta.db_table)} WHERE {_quote(column)} = {owner_id}) "
        f"THEN '{name}' END"
        for name, model in relations
    )
    return f"ARRAY_REMOVE(ARRAY[{tests}]::text[], NULL)"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def file_relations_exist(**more: type[Model]) -> dict:
    """An annotation for beneficiary_get_for_user: `relations_present`, the names of FILE_RELATIONS and of `more`
    (name=model with a `beneficiary` foreign key, from the apps above cases) that hold at least one row of the file,
    read in the query that reads the file (an EXISTS each, under the same row-level security)."""
    if connection.vendor != "postgresql":
        return {}  # (SQLite, as in a script: relation_present is then always True)
    relations = tuple({**FILE_RELATIONS, **more}.items())
    sql = relations_present_sql(Beneficiary._meta.db_table, "beneficiary_id", relations)
    return {"relations_present": RawSQL(sql, (), output_field=Field())}


def cpas_closure_days() -> dict:
    """An annotation for beneficiary_get_for_user: `cpas_closure_days`, the closure days of the file's CPAS (what
    obligation_on reads as `closures`), in the query that reads the file."""
    if connection.vendor != "postgresql":
        return {}
    closure_day = ClosureDay._meta
    sql = (
        f"ARRAY(SELECT {_quote('day')} FROM {_quote(closure_day.db_table)} WHERE {_quote('cpas_id')} = "
        f"{_quote(Beneficiary._meta.db_table)}.{_quote('cpas_id')} ORDER BY {_quote('day')})"
    )
    return {"cpas_closure_days": RawSQL(sql, (), output_field=Field())}


def relation_present(beneficiary: Beneficiary, name: str) -> bool:
    """False when the file is known to hold no row of the relation `name` (file_relations_exist); True otherwise."""
    present = getattr(beneficiary, "relations_present", None)
    return present is None or name in present


def set_empty(instance, name: str) -> None:
    """Mark the relation `name` of `instance` as read and empty, as a prefetch that found no row would, so that
    the page reads it without a query."""
    set_prefetched(instance, name, [])


def set_prefetched(instance, name: str, rows: list) -> None:
    """Mark the reverse foreign key `name` of `instance` as read with `rows` (its rows, in the relation's order),
    as prefetch_related would: `instance.<name>.all()` gives them without a query, and each row's foreign key gives
    `instance` back."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    if rows:
        field = manager.field
        for row in rows:
            field.set_cached_value(row, instance)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _ri_decisions(*, beneficiary: int):
    """The file's RI decisions as prefetch_related reads them (the same SQL: the relation's order)."""
    return RiDecision.objects.filter(beneficiary__in=[beneficiary])


def beneficiary_file_prefetch(beneficiary: Beneficiary) -> Beneficiary:
    """Load every record the file page shows in a fixed number of queries (one per relation). A relation of
    FILE_RELATIONS known to be empty (absent from the `relations_present` annotation, file_relations_exist) is set
    empty without a query, as is the target group of a file without one."""
    lookups: list = []
    if connection.vendor == "postgresql":  # its SQL compiled once (core.compiled)
        set_prefetched(
            beneficiary,
            "ri_decisions",
            compiled.instances(("file_ri_decisions",), _ri_decisions, beneficiary=beneficiary.pk),
        )
    else:
        lookups.append("ri_decisions")
    for name in FILE_RELATIONS:
        if not relation_present(beneficiary, name):
            set_empty(beneficiary, name)
        elif name == "assessments":
            lookups.append(
                Prefetch(
                    "assessments",
                    queryset=NeedsAssessment.objects.select_related("author").prefetch_related("items"),
                )
            )
        else:
            lookups.append(name)
    if beneficiary.target_group_id is not None:
        lookups.append("target_group")
    prefetch_related_objects([beneficiary], *lookups)
    return beneficiary


def file_record_get(*, membership, beneficiary: Beneficiary, model, record_id: int):
    """One record of a file, looked up inside the membership's CPAS and that file; 404 otherwise."""
    try:
        record = model.objects.for_cpas(membership.cpas).get(pk=record_id, beneficiary=beneficiary)
    except model.DoesNotExist:
        raise Http404 from None
    assert record.cpas_id == membership.cpas_id
    return record


def assessment_get(*, membership, beneficiary: Beneficiary, assessment_id: int) -> NeedsAssessment:
    return file_record_get(
        membership=membership, beneficiary=beneficiary, model=NeedsAssessment, record_id=assessment_id
    )


def assistants_allowed_file_data(beneficiary: Beneficiary) -> list[Assistant]:
    """S-Third 19: the only assistants who may receive data from the file (active, with the person's consent)."""
    return [a for a in beneficiary.assistants.all() if a.active and a.may_receive_file_data]


@dataclass(frozen=True)
class ExemptionRow:
    exemption: Exemption
    state: str  # "upcoming" | "active" | "ended"

    @property
    def state_label(self):
        return EXEMPTION_STATE_LABELS[self.state]


EXEMPTION_STATE_LABELS = {"upcoming": _("Not yet started"), "active": _("Active"), "ended": _("Ended")}


def exemptions_for_file(*, beneficiary: Beneficiary, today: date) -> list[ExemptionRow]:
    return [ExemptionRow(e, e.state_on(today)) for e in beneficiary.exemptions.all()]


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    label: str
    sensitive: bool
    items: tuple[AssessmentItem, ...]


def assessment_domains(assessment: NeedsAssessment) -> list[DomainGroup]:
    """The items of one assessment grouped by life domain, in the S-Dom order (professional → intimate)."""
    by_domain: dict[str, list[AssessmentItem]] = {}
    for item in assessment.items.all():
        by_domain.setdefault(item.domain, []).append(item)
    return [
        DomainGroup(domain.value, str(domain.label), domain in SENSITIVE_DOMAINS, tuple(by_domain[domain.value]))
        for domain in LifeDomain
        if domain.value in by_domain
    ]


@dataclass(frozen=True)
class AssessmentView:
    assessment: NeedsAssessment
    domains: list[DomainGroup]


def assessments_for_file(beneficiary: Beneficiary) -> list[AssessmentView]:
    return [AssessmentView(a, assessment_domains(a)) for a in beneficiary.assessments.all()]
