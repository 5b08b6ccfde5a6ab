"""Reads of the personal-data tools: fetch-and-authorise (404 for another CPAS or a refused role)."""

import re

from django.http import Http404

from piis.cases.models import Beneficiary, search_key
from piis.cases.validators import normalize_nrn
from piis.privacy.models import RetentionPeriod
from piis.privacy.perms import can_edit_retention, can_export_personal_data
from piis.privacy.retention import POLICIES

SEARCH_LIMIT = 20


def person_search(*, membership, query: str) -> list[Beneficiary]:
    """The files of the DPO's CPAS matching a name or a national register number (at most SEARCH_LIMIT)."""
    if not can_export_personal_data(membership):
        raise Http404
    query = (query or "").strip()
    if not query:
        return []
    people = Beneficiary.objects.for_cpas(membership.cpas)
    digits = normalize_nrn(query)
    if re.fullmatch(r"[0-9]{6,11}", digits):
        people = people.filter(national_number__startswith=digits)
    else:
        words = search_key(query).split()
        if not words:
            return []
        for word in words:
            people = people.filter(search_name__contains=word)
    return list(people.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


def person_get_for_export(*, membership, beneficiary_id: int) -> Beneficiary:
    if not can_export_personal_data(membership):
        raise Http404
    try:
        person = Beneficiary.objects.for_cpas(membership.cpas).select_related("cpas").get(pk=beneficiary_id)
    except Beneficiary.DoesNotExist:
        raise Http404 from None
    assert person.cpas_id == membership.cpas_id
    return person


def retention_period_for_edit(*, membership, kind: str) -> RetentionPeriod:
    """The CPAS's period of `kind`, or a new one at the default (saved only when the administrator saves it)."""
    if not can_edit_retention(membership) or kind not in POLICIES:
        raise Http404
    period = RetentionPeriod.objects.for_cpas(membership.cpas).filter(kind=kind).first()
    return period or RetentionPeriod(cpas=membership.cpas, kind=kind, years=POLICIES[kind].default_years)
