"""The person acting for themselves (the portal): who acts, the audit context, the confirmation e-mail.

The domain services of the person's actions (`person_*` in followup, contracts, transfers and cases) take the
person's own Django user — an account with no staff membership — and the file it is linked to. `person_actor`
refuses a staff account (staff never act as the person) and a file of another CPAS, and returns an object with the
`user`, `cpas` and `cpas_id` the services' audit rows need, so the staff services can be reused as they are. The
audit rows say the action came from the portal (`portal_context`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from piis.accounts.models import Cpas, Membership
from piis.core.errors import ServiceError

logger = logging.getLogger(__name__)

PORTAL = "portal"


@dataclass(frozen=True)
class PersonActor:
    """The person, acting through the portal: the shape of a membership without any role."""

    user: Any
    cpas: Cpas
    role: str = ""

    @property
    def cpas_id(self) -> int:
        return self.cpas.pk


def person_actor(*, user, beneficiary) -> PersonActor:
    """The person `user` acting on their own file `beneficiary`. PERSON_IS_STAFF for a user with a membership."""
    if user is None or not getattr(user, "pk", None):
        raise ServiceError("PERSON_NOT_OWN")
    if Membership.objects.filter(user=user).exists():
        raise ServiceError("PERSON_IS_STAFF")
    return PersonActor(user=user, cpas=beneficiary.cpas)


def require_own(beneficiary, beneficiary_id: int | None) -> None:
    """The object belongs to the person's own file, else PERSON_NOT_OWN (the portal's pages answer 404 before)."""
    if beneficiary_id != beneficiary.pk:
        raise ServiceError("PERSON_NOT_OWN")


def portal_context(context: str = "") -> str:
    """The audit context of a person's action: it came from the portal (and from which page)."""
    return f"{PORTAL}:{context}" if context else PORTAL


def _send(address: str, subject: str, body: str, beneficiary_id: int) -> None:
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # what was committed stays; the confirmation on screen was given
        logger.exception("Confirmation e-mail to the person of file %s not sent", beneficiary_id)


def confirm_to_person(*, beneficiary, subject: str | Promise, lines: Sequence[str | Promise]) -> bool:
    """E-mail the person a confirmation of what they did, in their language, after the commit (when they gave an
    address). `subject` and `lines` are lazy translations worded in the person's language here."""
    if not beneficiary.email:
        return False
    with translation.override(beneficiary.language or "fr"):
        text_subject = str(subject)
        body = render_to_string(
            "cases/email/person_confirmation.txt",
            {"beneficiary": beneficiary, "lines": [str(line) for line in lines], "cpas": beneficiary.cpas},
        )
    transaction.on_commit(partial(_send, beneficiary.email, text_subject, body, beneficiary.pk))
    return True
