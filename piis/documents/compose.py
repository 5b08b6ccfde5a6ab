"""Filling in a letter: the values of its placeholders, read from the file, the contract and the follow-up through
their adapters (never a legal date computed here), and its HTML laid out as a PDF by the contract PDF machinery."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import time_format

from piis.contracts.reflection import reflection_dates
from piis.contracts.selectors_drafting import open_contract_of
from piis.contracts.services.lifecycle import pending_version
from piis.core.errors import ServiceError
from piis.documents.enums import LetterKind
from piis.documents.letters import Filled, default_wording, fill, rights_text, short_date
from piis.documents.selectors import template_for
from piis.followup.enums import MeetingStatus


def open_meeting_requests(beneficiary):
    return list(beneficiary.meeting_requests.filter(status=MeetingStatus.OPEN).order_by("-requested_on"))


@dataclass
class Composed:
    kind: str
    language: str
    sent_on: date
    contract: Any  # contracts.Contract or None
    filled: Filled


def compose(*, membership, beneficiary, kind: str, data: dict) -> Composed:
    """The letter of `kind` for `beneficiary` with the form's `data` (language, sent_on and per kind the meeting's
    details or request), in the CPAS's wording or the default. Raises ServiceError LETTER_NO_OPEN_CONTRACT,
    LETTER_NO_HANDOVER, LETTER_NO_MEETING_REQUEST, LETTER_MEETING_DETAILS_REQUIRED."""
    language = data["language"]
    sent_on = data["sent_on"]
    with translation.override(language):
        contract = open_contract_of(beneficiary=beneficiary)
        worker = (contract.social_worker if contract else None) or beneficiary.social_worker or membership.user
        values = {
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "cpas_name": membership.cpas.name,
            "worker_name": worker.get_full_name() or worker.get_username(),
            "letter_date": short_date(sent_on),
        }
        if kind == LetterKind.EVALUATION_INVITATION:
            if contract is None:
                raise ServiceError("LETTER_NO_OPEN_CONTRACT")
            if not (data.get("meeting_on") and data.get("meeting_time") and data.get("meeting_place")):
                raise ServiceError("LETTER_MEETING_DETAILS_REQUIRED")
            values |= {
                "meeting_date": short_date(data["meeting_on"]),
                "meeting_time": time_format(data["meeting_time"], "TIME_FORMAT"),
                "meeting_place": data["meeting_place"],
            }
        elif kind == LetterKind.MEETING_CONFIRMATION:
            wanted = data.get("meeting_request")
            request = next((m for m in open_meeting_requests(beneficiary) if m.pk == wanted), None)
            if request is None:
                raise ServiceError("LETTER_NO_MEETING_REQUEST", field="meeting_request")
            # The deadline the follow-up stored when the request was recorded (rules core: meeting_deadline).
            values |= {
                "request_date": short_date(request.requested_on),
                "meeting_deadline": short_date(request.deadline),
            }
        elif kind == LetterKind.HANDOVER:
            version = pending_version(contract) if contract else None
            if version is None:
                raise ServiceError("LETTER_NO_HANDOVER")
            reflection = reflection_dates(version.handed_over_on)
            values |= {
                "handover_date": short_date(reflection.handed_over_on),
                "reflection_end": short_date(reflection.last_day),
                "signature_from": short_date(reflection.signature_from),
            }
        elif kind == LetterKind.RIGHTS_REMINDER:
            values["rights"] = rights_text(sent_on)
        own = template_for(cpas=membership.cpas, kind=kind, language=language)
        subject, body = (own.subject, own.body) if own else default_wording(kind, language)
        return Composed(kind, language, sent_on, contract, fill(subject, body, values))


def letter_html(*, cpas, beneficiary, composed: Composed) -> str:
    with translation.override(composed.language):
        return render_to_string(
            "documents/pdf/letter.html",
            {
                "cpas": cpas,
                "beneficiary": beneficiary,
                "language": composed.language,
                "letter_date": composed.sent_on,
                "subject": composed.filled.subject,
                "paragraphs": composed.filled.body.split("\n\n"),
            },
        )
