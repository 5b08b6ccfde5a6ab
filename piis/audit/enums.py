from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    """What happened, named as the people who did it would say it: one event per business action.

    Every row written by one service call carries that service's event (a signature that concludes a contract
    writes the signature as `contract_signed` and the conclusion as `contract_concluded`); `target_type` and
    `changes` say which rows moved. Reads of a file or of its documents are `*_opened`. Add an event here, to
    AUDIT_VERB_GROUPS below, and call it by name from the service; never a create/update/delete word.
    """

    # Beneficiary files (piis/cases)
    FILE_OPENED = "file_opened", _("File opened")
    FILE_LIST_OPENED = "file_list_opened", _("Files listed")
    FILE_CREATED = "file_created", _("File created")
    FILE_UPDATED = "file_updated", _("File details changed")
    HOUSEHOLD_MEMBER_ADDED = "household_member_added", _("Household member added")
    HOUSEHOLD_MEMBER_CHANGED = "household_member_changed", _("Household member changed")
    HOUSEHOLD_MEMBER_REMOVED = "household_member_removed", _("Household member removed")
    ASSISTANT_ADDED = "assistant_added", _("Assistant added")
    ASSISTANT_CHANGED = "assistant_changed", _("Assistant changed")
    ASSISTANT_REMOVED = "assistant_removed", _("Assistant removed")
    RI_DECISION_RECORDED = "ri_decision_recorded", _("RI decision recorded")
    RI_DECISION_CORRECTED = "ri_decision_corrected", _("RI decision corrected")
    RI_DECISION_REMOVED = "ri_decision_removed", _("RI decision removed")
    EARLIER_PERIOD_RECORDED = "earlier_period_recorded", _("Earlier period recorded")
    EARLIER_PERIOD_CORRECTED = "earlier_period_corrected", _("Earlier period corrected")
    EARLIER_PERIOD_REMOVED = "earlier_period_removed", _("Earlier period removed")
    EXEMPTION_GRANTED = "exemption_granted", _("Exemption granted")
    EXEMPTION_CHANGED = "exemption_changed", _("Exemption changed")
    EXEMPTION_REMOVED = "exemption_removed", _("Exemption removed")
    NEEDS_ASSESSMENT_RECORDED = "needs_assessment_recorded", _("Needs assessment recorded")
    NEEDS_ASSESSMENT_UPDATED = "needs_assessment_updated", _("Needs assessment updated")
    # PIIS contracts: drafting (piis/contracts/services/drafting.py)
    CONTRACT_OPENED = "contract_opened", _("Contract opened")
    CONTRACT_DRAFTED = "contract_drafted", _("PIIS draft started")
    CONTRACT_DETAILS_CHANGED = "contract_details_changed", _("Contract details changed")
    OBJECTIVE_ADDED = "objective_added", _("Objective added")
    OBJECTIVE_CHANGED = "objective_changed", _("Objective changed")
    OBJECTIVE_REMOVED = "objective_removed", _("Objective removed")
    STEP_ADDED = "step_added", _("Step added")
    STEP_CHANGED = "step_changed", _("Step changed")
    STEP_REMOVED = "step_removed", _("Step removed")
    CLAUSE_ADDED = "clause_added", _("Commitment added")
    CLAUSE_CHANGED = "clause_changed", _("Commitment changed")
    CLAUSE_REMOVED = "clause_removed", _("Commitment removed")
    THIRD_PARTY_ADDED = "third_party_added", _("Third party added")
    THIRD_PARTY_CHANGED = "third_party_changed", _("Third party changed")
    THIRD_PARTY_REMOVED = "third_party_removed", _("Third party removed")
    CLAUSE_TEMPLATE_ADDED = "clause_template_added", _("Library clause added")
    CLAUSE_TEMPLATE_CHANGED = "clause_template_changed", _("Library clause changed")
    CLAUSE_TEMPLATE_DEACTIVATED = "clause_template_deactivated", _("Library clause deactivated")
    CLAUSE_TEMPLATE_REACTIVATED = "clause_template_reactivated", _("Library clause reactivated")
    # PIIS contracts: lifecycle (piis/contracts/services/lifecycle.py)
    CONTRACT_HANDED_OVER = "contract_handed_over", _("Final draft handed over")
    HANDOVER_WITHDRAWN = "handover_withdrawn", _("Hand-over withdrawn, back to drafting")
    INFORMATION_RECORDED = "information_recorded", _("Information and rights recorded")
    CONTRACT_SIGNED = "contract_signed", _("Signature recorded")
    LATE_MOTIVATION_RECORDED = "late_motivation_recorded", _("Late conclusion motivated")
    CONTRACT_CONCLUDED = "contract_concluded", _("Contract concluded")
    AMENDMENT_STARTED = "amendment_started", _("Amendment started")
    AMENDMENT_CONCLUDED = "amendment_concluded", _("Amendment in force")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    CONTRACT_PDF_OPENED = "contract_pdf_opened", _("Contract PDF opened")
    SIGNATURE_SCAN_OPENED = "signature_scan_opened", _("Signed scan opened")
    # Follow-up (piis/followup)
    EVALUATION_RECORDED = "evaluation_recorded", _("Evaluation recorded")
    EVALUATION_CORRECTED = "evaluation_corrected", _("Evaluation corrected")
    MEETING_REQUESTED = "meeting_requested", _("Meeting requested")
    MEETING_HELD = "meeting_held", _("Requested meeting held")
    MEETING_WITHDRAWN = "meeting_withdrawn", _("Meeting request withdrawn")
    CALENDAR_FEED_CREATED = "calendar_feed_created", _("Calendar feed created")
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", _("Calendar feed revoked")
    # The CPAS's configuration (piis/accounts)
    CPAS_SETTINGS_CHANGED = "cpas_settings_changed", _("CPAS settings changed")
    CLOSURE_DAY_ADDED = "closure_day_added", _("Closure day added")
    CLOSURE_DAY_CHANGED = "closure_day_changed", _("Closure day changed")
    CLOSURE_DAY_REMOVED = "closure_day_removed", _("Closure day removed")
    SIGNATORY_ADDED = "signatory_added", _("Signatory added")
    SIGNATORY_CHANGED = "signatory_changed", _("Signatory changed")
    SIGNATORY_REMOVED = "signatory_removed", _("Signatory removed")
    DELEGATION_GRANTED = "delegation_granted", _("Signing delegation granted")
    DELEGATION_CHANGED = "delegation_changed", _("Signing delegation changed")
    DELEGATION_REVOKED = "delegation_revoked", _("Signing delegation revoked")
    # Staff accounts' second factor (piis/accounts)
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor set up")
    SECOND_FACTOR_CODES_RENEWED = "second_factor_codes_renewed", _("Recovery codes renewed")
    SECOND_FACTOR_CODE_USED = "second_factor_code_used", _("Logged in with a recovery code")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset by the CPAS administrator")
    # The audit trail itself
    AUDIT_TRAIL_OPENED = "audit_trail_opened", _("Audit trail consulted")
    AUDIT_EXPORTED = "audit_exported", _("Audit trail exported")


def _prefixed(*prefixes: str) -> tuple[AuditVerb, ...]:
    return tuple(verb for verb in AuditVerb if verb.value.startswith(prefixes))


_FILES = ("file_", "household_", "assistant_", "ri_decision_", "earlier_period_", "exemption_", "needs_")
_CONTRACTS = ("contract_", "objective_", "step_", "clause_", "third_party_", "handover_", "information_", "late_")
# The DPO's filter lists the events by domain (tests/audit check that every event is in exactly one group).
AUDIT_VERB_GROUPS = (
    (_("Beneficiary files"), _prefixed(*_FILES)),
    (_("PIIS contracts"), _prefixed(*_CONTRACTS, "amendment_", "signature_")),
    (_("Follow-up"), _prefixed("evaluation_", "meeting_", "calendar_")),
    (_("CPAS settings"), _prefixed("cpas_", "closure_day_", "signatory_", "delegation_")),
    (_("Second factor"), _prefixed("second_factor_")),
    (_("Audit trail"), _prefixed("audit_")),
)


class ObjectEvents(NamedTuple):
    """What happens to one kind of object: added, changed or removed (the services' tables of verbs)."""

    added: AuditVerb
    changed: AuditVerb
    removed: AuditVerb

    def saved(self, instance) -> AuditVerb:
        """The event of saving `instance` now: added if new, changed otherwise."""
        return self.added if instance.pk is None else self.changed
