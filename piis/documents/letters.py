"""Letters to the person from the CPAS's templates: the placeholders, the default wording shipped, the filling in.

A template is text with placeholders in braces, `{first_name}`; each kind of letter has its fixed set
(`PLACEHOLDERS`). The CPAS administrator may write its own wording per kind and language (models.LetterTemplate);
a placeholder outside the kind's set, or a stray brace, is refused with a translated error. Without its own wording
the CPAS uses the default below, whose source strings are English and translated like every other text (FR, NL,
DE, EN).

Legal dates are never computed here: the meeting's deadline is the one the follow-up stored when the request was
recorded (followup: the rules core's meeting_deadline with the CPAS's closure days); the reflection period comes
from contracts.reflection (the rules core's earliest_signature_date); the rights from contracts.rights.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from piis.core.errors import ServiceError
from piis.documents.enums import LetterKind

_COMMON = ("first_name", "last_name", "cpas_name", "worker_name", "letter_date")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    LetterKind.EVALUATION_INVITATION: (*_COMMON, "meeting_date", "meeting_time", "meeting_place"),
    LetterKind.MEETING_CONFIRMATION: (*_COMMON, "request_date", "meeting_deadline"),
    LetterKind.HANDOVER: (*_COMMON, "handover_date", "reflection_end", "signature_from"),
    LetterKind.RIGHTS_REMINDER: (*_COMMON, "rights"),
}
PLACEHOLDER_LABELS = {
    "first_name": _("the person's first name"),
    "last_name": _("the person's last name"),
    "cpas_name": _("the CPAS's name"),
    "worker_name": _("the social worker's name"),
    "letter_date": _("the date of the letter"),
    "meeting_date": _("the date of the evaluation"),
    "meeting_time": _("the time of the evaluation"),
    "meeting_place": _("the place of the evaluation"),
    "request_date": _("the date the person asked for a meeting"),
    "meeting_deadline": _("the day by which the meeting must be held"),
    "handover_date": _("the date the final draft was handed over"),
    "reflection_end": _("the last day of the reflection period"),
    "signature_from": _("the first day the person may sign"),
    "rights": _("the list of the person's rights"),
}

_SIGNATURE = _("Kind regards,\n\n{worker_name}\nSocial worker, {cpas_name}")
DEFAULTS: dict[str, tuple[Promise, Promise]] = {
    LetterKind.EVALUATION_INVITATION: (
        _("Invitation to the evaluation of your PIIS"),
        _(
            "Dear {first_name} {last_name},\n\n"
            "We invite you to the evaluation of your individualised social integration project (PIIS) on "
            "{meeting_date} at {meeting_time}, at the following place: {meeting_place}.\n\n"
            "Together we will look at how your objectives are going, at what the CPAS and its partners have done, "
            "and at what should be adjusted. You may come with a person of your choice. If you need an interpreter, "
            "tell us and we will arrange it.\n\n"
            "If you cannot come, please let us know as soon as possible, so that we can agree on another date."
        ),
    ),
    LetterKind.MEETING_CONFIRMATION: (
        _("Your request for a meeting"),
        _(
            "Dear {first_name} {last_name},\n\n"
            "On {request_date} you asked to meet your social worker. We confirm that we received your request.\n\n"
            "The law gives the CPAS until {meeting_deadline} to meet you. We will contact you to agree on the day "
            "and the time. You may come with a person of your choice."
        ),
    ),
    LetterKind.HANDOVER: (
        _("The final draft of your PIIS"),
        _(
            "Dear {first_name} {last_name},\n\n"
            "On {handover_date} we handed over to you the final draft of your individualised social integration "
            "project (PIIS).\n\n"
            "You have a reflection period until {reflection_end}: take the time to read it, to ask your questions "
            "and to get advice from a person of your choice. You can sign it from {signature_from}. Nothing is "
            "signed before then.\n\n"
            "If something is not clear, contact your social worker: we can explain it to you again, orally, with an "
            "interpreter if you wish."
        ),
    ),
    LetterKind.RIGHTS_REMINDER: (
        _("Your rights in your PIIS"),
        _(
            "Dear {first_name} {last_name},\n\n"
            "As agreed, here is a reminder of your rights in your individualised social integration project "
            "(PIIS). You have the right:\n\n{rights}\n\n"
            "Your social worker can explain them to you again at any time."
        ),
    ),
}

_BRACED = re.compile(r"\{([^{}]*)\}")


def check_template(kind: str, *texts: str) -> None:
    """Refuse a placeholder outside `kind`'s set, or a brace that opens or closes nothing (ServiceError
    LETTER_PLACEHOLDER_UNKNOWN, LETTER_BRACE_ALONE, with field "body")."""
    allowed = PLACEHOLDERS[kind]
    for text in texts:
        for name in _BRACED.findall(text):
            if name not in allowed:
                raise ServiceError(
                    "LETTER_PLACEHOLDER_UNKNOWN",
                    field="body",
                    params={"name": "{" + name + "}", "allowed": ", ".join("{" + n + "}" for n in allowed)},
                )
        if "{" in _BRACED.sub("", text) or "}" in _BRACED.sub("", text):
            raise ServiceError("LETTER_BRACE_ALONE", field="body")


def default_wording(kind: str, language: str) -> tuple[str, str]:
    """The default subject and text of `kind` in `language` (the shipped translation)."""
    subject, body = DEFAULTS[kind]
    with translation.override(language):
        return str(subject), str(body) + "\n\n" + str(_SIGNATURE)


@dataclass(frozen=True)
class Filled:
    subject: str
    body: str


def fill(subject: str, body: str, values: dict[str, str]) -> Filled:
    """Put the values in the placeholders (one pass: a value holding braces is never read as a placeholder)."""

    def put(text: str) -> str:
        return _BRACED.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    return Filled(put(subject), put(body))


def short_date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def rights_text(on) -> str:
    from piis.contracts.rights import rights_list

    return "\n".join(f"– {text}" for _code, text in rights_list(on))


def placeholder_help(kind: str) -> list[tuple[str, str]]:
    return [("{" + name + "}", str(PLACEHOLDER_LABELS[name])) for name in PLACEHOLDERS[kind]]
