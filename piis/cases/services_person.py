"""The person says, on their portal, who assists them (R38: a person of their choice; a role, never a party)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from piis.audit.services import audited_save
from piis.cases.models import Assistant, Beneficiary
from piis.cases.person import confirm_to_person, person_actor, portal_context
from piis.cases.services import record_saved_event
from piis.core.errors import ServiceError

NAME_MAX_LENGTH = 200  # Assistant.name, relationship, contact


def _short(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > NAME_MAX_LENGTH:
        raise ServiceError("PERSON_TEXT_TOO_LONG", field=field, params={"max": NAME_MAX_LENGTH})
    return value


@transaction.atomic
def person_set_assistant(
    *,
    user,
    beneficiary,
    name: str,
    relationship: str = "",
    contact: str = "",
    may_receive_file_data: bool = False,
    context: str = "",
) -> Assistant:
    """The person names who assists them. An active assistant of the same name on their file is updated (so the
    same form sent twice records once); otherwise one is added. The assistants the worker recorded stay."""
    actor = person_actor(user=user, beneficiary=beneficiary)
    name = _short(name, "name")
    if not name:
        raise ServiceError("PERSON_ASSISTANT_NAME_REQUIRED", field="name")
    relationship, contact = _short(relationship, "relationship"), _short(contact, "contact")
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk", flat=True).first()
    assistant = (
        Assistant.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, active=True, name__iexact=name)
        .first()
    ) or Assistant(cpas=actor.cpas, beneficiary=beneficiary, name=name)
    assistant.relationship, assistant.contact = relationship, contact
    assistant.may_receive_file_data = bool(may_receive_file_data)
    assistant = audited_save(
        actor=actor.user,
        cpas=actor.cpas,
        verb=record_saved_event(assistant),
        instance=assistant,
        context=portal_context(context),
        beneficiary_id=beneficiary.pk,
    )
    confirm_to_person(
        beneficiary=beneficiary,
        subject=_("The person who helps you"),
        lines=[
            _("You told us who helps you: %(name)s.") % {"name": name},
            _("This person may see your file data.")
            if assistant.may_receive_file_data
            else _("This person may not see your file data."),
        ],
    )
    return assistant
