"""Reads of the catalogue and the target groups, always inside one CPAS (404 for another's)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from piis.catalogue.enums import PARTNER_KINDS
from piis.catalogue.models import CatalogueEntry, TargetGroup


def catalogue_entries(cpas, *, active_only: bool = False):
    rows = CatalogueEntry.objects.for_cpas(cpas)
    return rows.filter(active=True) if active_only else rows


def partner_entries(cpas):
    """The active partners a contract's third party can be created from."""
    return catalogue_entries(cpas, active_only=True).filter(kind__in=PARTNER_KINDS)


def catalogue_entry_get(cpas, entry_id: int) -> CatalogueEntry:
    return get_object_or_404(CatalogueEntry.objects.for_cpas(cpas), pk=entry_id)


def target_groups(cpas, *, active_only: bool = False):
    rows = TargetGroup.objects.for_cpas(cpas)
    return rows.filter(active=True) if active_only else rows


def target_group_get(cpas, group_id: int) -> TargetGroup:
    return get_object_or_404(TargetGroup.objects.for_cpas(cpas), pk=group_id)


@dataclass(frozen=True)
class TargetGroupCount:
    """One line of the annual report: a target group of the CPAS's policy and, over the period, the files in it
    and how many of them had a PIIS in force at some day of the period."""

    group_id: int
    name: str
    basis: str
    active: bool
    files: int
    with_piis: int


def target_group_counts(cpas, start: date, end: date) -> list[TargetGroupCount]:
    """For the annual report (piis/reports): per target group of `cpas` (inactive ones included, they may have
    counted during the period), the files in the group that existed on `end` and, of them, those with a PIIS in
    force during [start, end] (concluded on or before `end`, not ended before `start`). One query; no personal data
    is read, so nothing is audited."""
    in_force = (
        Q(beneficiaries__contracts__signed_on__isnull=False)
        & Q(beneficiaries__contracts__signed_on__lte=end)
        & (Q(beneficiaries__contracts__ended_on__isnull=True) | Q(beneficiaries__contracts__ended_on__gte=start))
    )
    existed = Q(beneficiaries__created_at__date__lte=end)
    rows = (
        TargetGroup.objects.for_cpas(cpas)
        .annotate(
            n_files=Count("beneficiaries", filter=existed, distinct=True),
            n_piis=Count("beneficiaries", filter=existed & in_force, distinct=True),
        )
        .order_by("name", "id")
    )
    return [TargetGroupCount(g.pk, g.name, g.basis, g.active, g.n_files, g.n_piis) for g in rows]
