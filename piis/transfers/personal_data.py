"""The transfers' part of a person's access export (GDPR art. 15): the moves recorded for the person at this CPAS
(with what was sent), and the transfers received here for their file (the package as received; the signed PDF by
its size only, the contract itself being in the old CPAS's export). Registered with piis.core.personal_data."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext_lazy as _

from piis.core.personal_data import PersonalDataSection, model_record, register_section
from piis.transfers.models import IncomingTransfer, Transfer


def _without_pdf(package: dict[str, Any] | None) -> dict[str, Any] | None:
    if not package:
        return package
    package = copy.deepcopy(package)
    pdf = package["piis"]["signed_pdf"]
    pdf["base64"] = f"({len(pdf['base64']) * 3 // 4} bytes)"
    return package


def _transfers(person):
    for row in Transfer.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).order_by("pk"):
        yield model_record(row, exclude=("beneficiary", "package"), extra={"package": _without_pdf(row.package)})
    received = IncomingTransfer.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).order_by("pk")
    for item in received:
        yield model_record(item, exclude=("beneficiary", "package"), extra={"package": _without_pdf(item.package)})
        for review in item.reviews.order_by("pk"):
            yield model_record(review, exclude=("incoming",))


register_section(
    PersonalDataSection("transfers", _("Transfers to or from another CPAS"), collect=_transfers, order=30)
)
