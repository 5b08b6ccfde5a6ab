import re

from django.http import Http404

from piis.accounts.perms import can_view_beneficiaries
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.models import Beneficiary, search_key
from piis.cases.validators import normalize_nrn


def beneficiary_list(*, membership, query: str = "", mine: bool = False):
    """The files of the membership's CPAS, narrowed by a name or national-number search.

    Lists are not audited as reads of a file (they show no more than a name and masked number); opening a
    file is (beneficiary_get_for_user).
    """
    qs = Beneficiary.objects.for_cpas(membership.cpas).select_related("social_worker")
    query = (query or "").strip()
    digits = normalize_nrn(query)
    if re.fullmatch(r"[0-9]{6,11}", digits):
        qs = qs.filter(national_number__startswith=digits)
    elif query:
        for word in search_key(query).split():
            qs = qs.filter(search_name__contains=word)
    if mine:
        qs = qs.filter(social_worker=membership.user)
    return qs


def beneficiary_get_for_user(*, membership, beneficiary_id: int, context: str) -> Beneficiary:
    """Fetch one file inside the membership's CPAS, check the role, and record the read.

    Another CPAS's file and a refused role both give 404, so that nobody learns that a file exists elsewhere.
    """
    if not can_view_beneficiaries(membership):
        raise Http404
    try:
        beneficiary = (
            Beneficiary.objects.for_cpas(membership.cpas).select_related("social_worker").get(pk=beneficiary_id)
        )
    except Beneficiary.DoesNotExist:
        raise Http404 from None
    assert beneficiary.cpas_id == membership.cpas_id  # the second look: never serve another CPAS's row
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.READ,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        context=context,
    )
    return beneficiary
