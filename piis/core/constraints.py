"""Database constraints → the error vocabulary: the one mapping from a constraint's name to a catalogue code.

A constraint's name is for the database and the developers; the user reads the catalogue's message for its code,
on the form field it concerns. Three paths lead here:
- a form (or a service's `full_clean`) validates the constraints: `TenantModel.validate_constraints` puts the
  translated message on the field (`constraint_validation_error`);
- a write the database refuses anyway (two users at once): `audited_save` turns the `IntegrityError`, or the
  `ValidationError` its `full_clean` raised, into a `ServiceError` (`constraint_service_error`);
- tests/core/test_constraints.py fails for a constraint of any model that has no entry here.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError

from piis.core.error_catalogue import CATALOGUE
from piis.core.errors import ServiceError, error_message

__all__ = [
    "CONSTRAINT_ERRORS",
    "ConstraintError",
    "constraint_name",
    "constraint_service_error",
    "constraint_validation_error",
]

logger = logging.getLogger(__name__)


class ConstraintError(NamedTuple):
    code: str  # a code of piis.core.error_catalogue
    field: str | None  # the model field the message belongs on (None: the whole form)


# Two people writing the same row at once: the second one tries again after reloading.
_CONCURRENT = ConstraintError("CONCURRENT_CHANGE", None)

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # accounts
    "cpas_nis_code_five_digits": ConstraintError("NIS_CODE_INVALID", "nis_code"),
    "closureday_unique_per_cpas": ConstraintError("CLOSURE_DAY_EXISTS", "day"),
    "signatory_function_once_per_cpas": ConstraintError("SIGNATORY_FUNCTION_EXISTS", "function"),
    "delegation_until_after_from": ConstraintError("END_BEFORE_START", "valid_until"),
    "membership_one_role_per_cpas": ConstraintError("MEMBERSHIP_EXISTS", None),
    "team_name_unique_per_cpas": ConstraintError("TEAM_NAME_EXISTS", "name"),
    # cases
    "beneficiary_nrn_unique_per_cpas": ConstraintError("FILE_NUMBER_EXISTS", "national_number"),
    "ri_decided_after_request": ConstraintError("DECISION_BEFORE_REQUEST", "decided_on"),
    "ri_notified_after_decision": ConstraintError("NOTIFICATION_BEFORE_DECISION", "notified_on"),
    "ri_end_after_start": ConstraintError("END_BEFORE_START", "end_on"),
    "ri_amount_not_negative": ConstraintError("AMOUNT_NEGATIVE", "monthly_amount"),
    "period_end_after_start": ConstraintError("END_BEFORE_START", "end_on"),
    "exemption_end_after_start": ConstraintError("END_BEFORE_START", "end_on"),
    "exemption_review_after_start": ConstraintError("REVIEW_BEFORE_START", "review_on"),
    # contracts
    "contract_end_after_start": ConstraintError("PLANNED_END_BEFORE_START", "end_on"),
    "contract_one_open_per_beneficiary": ConstraintError("ONE_OPEN_CONTRACT", None),
    "step_third_party_iff_owner": ConstraintError("PARTY_NOT_IN_CONTRACT", None),
    "clause_third_party_iff_party": ConstraintError("PARTY_NOT_IN_CONTRACT", None),
    "clause_no_community_service": ConstraintError("COMMUNITY_SERVICE_FORBIDDEN", "kind"),
    "version_number_unique": _CONCURRENT,
    # the service dates every change of delivery status: a status without its date is a write that bypassed it
    "clause_delivery_status_dated": ConstraintError("CONSTRAINT_VIOLATED", "delivery_status"),
    # followup
    "progress_once_per_objective": _CONCURRENT,
    "review_once_per_clause": _CONCURRENT,
    "meeting_deadline_after_request": ConstraintError("DATE_BEFORE_MEETING_REQUEST", None),
    "meeting_held_after_request": ConstraintError("DATE_BEFORE_MEETING_REQUEST", "held_on"),
    "reminder_once": _CONCURRENT,
    "calendar_feed_one_active": _CONCURRENT,
    # portal: two workers opening the same person's account at once
    "portal_account_one_active": ConstraintError("PORTAL_ACCOUNT_EXISTS", None),
    # privacy: two administrators setting the same kind's first period at once
    "retention_period_once_per_kind": _CONCURRENT,
    # sanctions
    "dossier_closed_with_reason": ConstraintError("CLOSURE_REASON_REQUIRED", "closure_reason"),
    "evidence_evaluation_named": ConstraintError("EVIDENCE_EVALUATION_REQUIRED", "evaluation"),
    "evidence_disclosed_after_source": ConstraintError("DISCLOSED_BEFORE_SOURCE", "disclosed_on"),
    "notice_comply_after_sending": ConstraintError("COMPLY_BY_NOT_AFTER_SENDING", "comply_by"),
    "notice_delivered_after_sending": ConstraintError("DELIVERED_BEFORE_SENT", "delivered_on"),
    "answer_dated": ConstraintError("ANSWER_DATE_REQUIRED", "answered_on"),
    "answer_reason_assessed_with_text": ConstraintError(
        "REASON_ASSESSMENT_INCOMPLETE", "legitimate_reason_assessment"
    ),
    "check_line_once_per_clause": _CONCURRENT,
    "opinion_share_in_range": ConstraintError("SHARE_OUT_OF_RANGE", "proposed_share"),
    "opinion_months_positive": ConstraintError("MONTHS_NOT_POSITIVE", "proposed_months"),
    # the service gives a hearing to exactly one matter: a row with none or both bypassed it
    "hearing_of_one_matter": ConstraintError("CONSTRAINT_VIOLATED", None),
    "hearing_held_after_notification": ConstraintError("HEARING_BEFORE_NOTIFICATION", "held_on"),
    "hearing_asked_after_notification": ConstraintError("HEARING_BEFORE_NOTIFICATION", "asked_on"),
    "item_dossier_iff_sanction": ConstraintError("CONSTRAINT_VIOLATED", None),
    "item_exemption_named": ConstraintError("EXEMPTION_REQUIRED", "exemption"),
    "item_dossier_once_per_sitting": ConstraintError("DOSSIER_ALREADY_ON_AGENDA", None),
    "decision_share_in_range": ConstraintError("SHARE_OUT_OF_RANGE", "share"),
    "decision_deferred_share_in_range": ConstraintError("SHARE_OUT_OF_RANGE", "deferred_share"),
    "decision_months_positive": ConstraintError("MONTHS_NOT_POSITIVE", "months"),
    "decision_suspension_complete": ConstraintError("SUSPENSION_INCOMPLETE", None),
    "decision_notified_after_decided": ConstraintError("NOTIFICATION_BEFORE_DECISION", "notified_on"),
    "decision_end_after_start": ConstraintError("END_BEFORE_START", "end_on"),
    "appeal_outcome_dated": ConstraintError("JUDGMENT_DATE_REQUIRED", "outcome_on"),
    "appeal_outcome_after_lodging": ConstraintError("JUDGMENT_BEFORE_APPEAL", "outcome_on"),
    "payment_line_end_after_start": ConstraintError("END_BEFORE_START", "end_on"),
    # an export's reversal line names the line it reverses, a suspension line none: written only by the service
    "payment_line_reversal_names_line": ConstraintError("CONSTRAINT_VIOLATED", None),
    # transfers
    "transfer_has_a_destination": ConstraintError("TRANSFER_DESTINATION_REQUIRED", "new_cpas"),
    "transfer_once_per_contract": ConstraintError("TRANSFER_EXISTS", None),
    # a refused transfer keeps no content: the service never writes one (R52)
    "incoming_refused_has_no_content": ConstraintError("CONSTRAINT_VIOLATED", None),
    # documents: an explanation is of a hand-over or of an evaluation, written only by the service
    "explanation_of_handover_or_evaluation": ConstraintError("CONSTRAINT_VIOLATED", None),
    # two administrators writing the CPAS's first wording of the same letter at once
    "letter_template_once_per_language": ConstraintError("CONCURRENT_CHANGE", None),
    # reports: the month's claim is stored once per CPAS and month (two computations at once: the second fails)
    "claim_run_once_per_month": _CONCURRENT,
    "claim_line_position_unique": _CONCURRENT,
    # api: a token's calls of one minute are one row, counted by an upsert (never a form)
    "api_call_count_one_per_minute": _CONCURRENT,
    # observatory: one stored figure per CPAS, quarter and figure, replaced by compute_equity (never a form)
    "observatory_cpasfigure_one_per_period": _CONCURRENT,
}

_UNKNOWN = ConstraintError("CONSTRAINT_VIOLATED", None)


def _entry(name: str) -> ConstraintError:
    entry = CONSTRAINT_ERRORS.get(name)
    if entry is None:
        logger.error("No catalogue code for the database constraint %s", name)
        return _UNKNOWN
    return entry


def constraint_validation_error(name: str, *, exclude=None) -> tuple[str, ValidationError]:
    """(key, error) for a violated constraint: the translated message, coded with its catalogue code, on its field
    (NON_FIELD_ERRORS when it has none or a form does not show it: `exclude` is the fields left out)."""
    code, field = _entry(name)
    if field is None or (exclude is not None and field in exclude):
        field = NON_FIELD_ERRORS
    return field, ValidationError(error_message(code), code=code)


def _sqlite_unique_name(message: str) -> str | None:
    # SQLite names the columns, not the constraint: "UNIQUE constraint failed: cases_beneficiary.cpas_id, …".
    from django.apps import apps

    columns = re.findall(r"(\w+)\.(\w+)", message.partition(":")[2])
    if not columns:
        return None
    table = columns[0][0]
    wanted = {column for _table, column in columns}
    for model in apps.get_models():
        if model._meta.db_table != table:
            continue
        for constraint in model._meta.constraints:
            names = getattr(constraint, "fields", ())
            if names and {getattr(model._meta.get_field(f), "column", f) for f in names} == wanted:
                return constraint.name
    return None


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint the database refused, on PostgreSQL (psycopg's diagnostics) or SQLite."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return str(diag.constraint_name)
    message = str(error)
    if message.startswith("CHECK constraint failed:"):
        return message.partition(":")[2].strip() or None
    if message.startswith("UNIQUE constraint failed:"):
        return _sqlite_unique_name(message)
    return None


def constraint_service_error(error: IntegrityError | ValidationError) -> ServiceError | None:
    """The ServiceError of a refused write: an IntegrityError naming a constraint of the mapping, or a
    ValidationError all of whose messages are catalogue codes (as `constraint_validation_error` makes them).
    None when the error is of another kind: the caller re-raises it."""
    if isinstance(error, IntegrityError):
        name = constraint_name(error)
        if name is None or name not in CONSTRAINT_ERRORS:
            return None
        entry = CONSTRAINT_ERRORS[name]
        return ServiceError(entry.code, field=entry.field)
    items = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    found = [(key, e.code) for key, errors in items for e in errors]
    if not found or any(code not in CATALOGUE for _key, code in found):
        return None
    key, code = found[0]
    return ServiceError(str(code), field=None if key == NON_FIELD_ERRORS else key)
