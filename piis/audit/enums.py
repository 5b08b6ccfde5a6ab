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
    FILE_GLASS_BROKEN = "file_glass_broken", _("File opened by breaking the glass")
    FILE_ACCESS_REFUSED = "file_access_refused", _("File outside need-to-know asked for")
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
    AMENDMENT_REQUESTED = "amendment_requested", _("Amendment asked for by the person")
    AMENDMENT_REQUEST_ANSWERED = "amendment_request_answered", _("The person's amendment request answered")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    CONTRACT_PDF_OPENED = "contract_pdf_opened", _("Contract PDF opened")
    SIGNATURE_SCAN_OPENED = "signature_scan_opened", _("Signed scan opened")
    CONTRACT_OUTCOME_RECORDED = "contract_outcome_recorded", _("Outcome of an ended PIIS recorded")
    # Follow-up (piis/followup)
    EVALUATION_RECORDED = "evaluation_recorded", _("Evaluation recorded")
    EVALUATION_CORRECTED = "evaluation_corrected", _("Evaluation corrected")
    EVALUATION_COMMENTED = "evaluation_commented", _("The person's comment on an evaluation added")
    PORTAL_REQUESTS_OPENED = "portal_requests_opened", _("Requests read by the person on the portal")
    MEETING_REQUESTED = "meeting_requested", _("Meeting requested")
    MEETING_HELD = "meeting_held", _("Requested meeting held")
    MEETING_WITHDRAWN = "meeting_withdrawn", _("Meeting request withdrawn")
    CALENDAR_FEED_CREATED = "calendar_feed_created", _("Calendar feed created")
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", _("Calendar feed revoked")
    # Documents and letters (piis/documents)
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    DOCUMENT_OPENED = "document_opened", _("Document downloaded")
    LETTER_SENT = "letter_sent", _("Letter sent")
    LETTER_OPENED = "letter_opened", _("Letter opened")
    LETTER_TEMPLATE_CHANGED = "letter_template_changed", _("Letter template changed")
    HANDOVER_EXPLAINED = "handover_explained", _("How the hand-over was explained recorded")
    EVALUATION_EXPLAINED = "evaluation_explained", _("How the evaluation was explained recorded")
    # API tokens of the CPAS's integrations (piis/api)
    API_TOKEN_ISSUED = "api_token_issued", _("API token issued")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    # The CPAS's configuration (piis/accounts)
    CPAS_SETTINGS_CHANGED = "cpas_settings_changed", _("CPAS settings changed")
    # its catalogue of services and partners, and its target groups (piis/catalogue)
    CPAS_CATALOGUE_ENTRY_ADDED = "cpas_catalogue_entry_added", _("Service or partner added to the catalogue")
    CPAS_CATALOGUE_ENTRY_CHANGED = "cpas_catalogue_entry_changed", _("Service or partner of the catalogue changed")
    CPAS_TARGET_GROUP_ADDED = "cpas_target_group_added", _("Target group added")
    CPAS_TARGET_GROUP_CHANGED = "cpas_target_group_changed", _("Target group changed")
    CLOSURE_DAY_ADDED = "closure_day_added", _("Closure day added")
    CLOSURE_DAY_CHANGED = "closure_day_changed", _("Closure day changed")
    CLOSURE_DAY_REMOVED = "closure_day_removed", _("Closure day removed")
    SIGNATORY_ADDED = "signatory_added", _("Signatory added")
    SIGNATORY_CHANGED = "signatory_changed", _("Signatory changed")
    SIGNATORY_REMOVED = "signatory_removed", _("Signatory removed")
    DELEGATION_GRANTED = "delegation_granted", _("Signing delegation granted")
    DELEGATION_CHANGED = "delegation_changed", _("Signing delegation changed")
    DELEGATION_REVOKED = "delegation_revoked", _("Signing delegation revoked")
    TEAM_ADDED = "team_added", _("Team added")
    TEAM_CHANGED = "team_changed", _("Team changed")
    TEAM_REMOVED = "team_removed", _("Team removed")
    # Staff accounts' second factor (piis/accounts)
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor set up")
    SECOND_FACTOR_CODES_RENEWED = "second_factor_codes_renewed", _("Recovery codes renewed")
    SECOND_FACTOR_CODE_USED = "second_factor_code_used", _("Logged in with a recovery code")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset by the CPAS administrator")
    # Personal data: the right of access and the retention periods (piis/privacy)
    PERSONAL_DATA_SEARCHED = "personal_data_searched", _("Person looked up for a right of access")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data exported (right of access)")
    # Subsidy claims and their inspection (piis/reports)
    SUBSIDY_CLAIM_OPENED = "subsidy_claim_opened", _("Subsidy claim consulted")
    SUBSIDY_CLAIM_EXPORTED = "subsidy_claim_exported", _("Subsidy claim downloaded")
    SUBSIDY_EVIDENCE_OPENED = "subsidy_evidence_opened", _("Subsidy evidence consulted")
    SUBSIDY_EVIDENCE_EXPORTED = "subsidy_evidence_exported", _("Subsidy evidence downloaded")
    RETENTION_PERIOD_CHANGED = "retention_period_changed", _("Retention period changed")
    RETENTION_ERASED = "retention_erased", _("Erased at the end of its retention period")
    # The non-compliance procedure before the council (piis/sanctions/services.py)
    SANCTION_PROCEDURE_STARTED = "sanction_procedure_started", _("Sanction procedure started (breach reported)")
    SANCTION_DOSSIER_OPENED = "sanction_dossier_opened", _("Sanction dossier opened")
    SANCTION_DOSSIER_LIST_OPENED = "sanction_dossier_list_opened", _("Sanction dossiers listed")
    SANCTION_BREACH_CORRECTED = "sanction_breach_corrected", _("Breach report corrected")
    SANCTION_EVIDENCE_EXTRACTED = "sanction_evidence_extracted", _("Passage extracted into a sanction dossier")
    SANCTION_EVIDENCE_DISCLOSED = "sanction_evidence_disclosed", _("Extracted passage disclosed to the person")
    SANCTION_EVIDENCE_REMOVED = "sanction_evidence_removed", _("Extracted passage removed from the dossier")
    SANCTION_NOTICE_PREPARED = "sanction_notice_prepared", _("Formal notice prepared")
    SANCTION_NOTICE_SENT = "sanction_notice_sent", _("Formal notice sent")
    SANCTION_NOTICE_DELIVERED = "sanction_notice_delivered", _("Formal notice delivered")
    SANCTION_NOTICE_OPENED = "sanction_notice_opened", _("Formal notice letter opened")
    SANCTION_ANSWER_RECORDED = "sanction_answer_recorded", _("The person's answer to the notice recorded")
    SANCTION_REASON_ANSWERED = "sanction_reason_answered", _("Legitimate reason answered")
    SANCTION_COMMITMENTS_CHECKED = "sanction_commitments_checked", _("The CPAS's commitments checked")
    SANCTION_OVERRIDE_MOTIVATED = "sanction_override_motivated", _("Going on despite an unmet commitment motivated")
    SANCTION_OPINION_GIVEN = "sanction_opinion_given", _("Social worker's opinion given")
    SANCTION_HEARING_RIGHT_NOTIFIED = "sanction_hearing_right_notified", _("Right to be heard notified")
    SANCTION_HEARING_ANSWER_RECORDED = "sanction_hearing_answer_recorded", _("Answer on the hearing recorded")
    SANCTION_HEARING_HELD = "sanction_hearing_held", _("Hearing held")
    SANCTION_RECENT_PIIS_REVIEWED = "sanction_recent_piis_reviewed", _("Recent PIIS reviewed by the team lead")
    SANCTION_DOSSIER_READY = "sanction_dossier_ready", _("Sanction dossier ready for the council")
    SANCTION_DOSSIER_REOPENED = "sanction_dossier_reopened", _("Sanction dossier back to preparation")
    SANCTION_DOSSIER_CLOSED = "sanction_dossier_closed", _("Sanction procedure closed without a decision")
    # The council's part (piis/sanctions/services_council.py): sittings, decisions, letters, appeals, payment
    SANCTION_SITTING_PLANNED = "sanction_sitting_planned", _("Council sitting planned")
    SANCTION_SITTING_CHANGED = "sanction_sitting_changed", _("Council sitting changed")
    SANCTION_SITTINGS_LISTED = "sanction_sittings_list_opened", _("Council sittings listed")
    SANCTION_SITTING_VIEWED = "sanction_sitting_opened", _("Council sitting consulted")
    SANCTION_ITEM_ADDED = "sanction_item_added", _("Matter put on a sitting's agenda")
    SANCTION_ITEM_REMOVED = "sanction_item_removed", _("Matter taken off a sitting's agenda")
    SANCTION_AGENDA_REORDERED = "sanction_agenda_reordered", _("Agenda of a sitting reordered")
    SANCTION_ITEM_HEARING_RECORDED = "sanction_item_hearing_recorded", _("Hearing on a council matter recorded")
    SANCTION_DECIDED = "sanction_decided", _("Council decision recorded")
    SANCTION_DECISION_NOTIFIED = "sanction_decision_notified", _("Council decision sent and notified")
    SANCTION_DECISION_LETTER_OPENED = "sanction_decision_letter_opened", _("Decision letter opened")
    SANCTION_MINUTES_CLOSED = "sanction_minutes_closed", _("Minutes of a sitting closed")
    SANCTION_MINUTES_OPENED = "sanction_minutes_opened", _("Minutes of a sitting opened")
    SANCTION_APPEAL_LODGED = "sanction_appeal_lodged", _("Appeal to the labour court recorded")
    SANCTION_APPEAL_JUDGED = "sanction_appeal_judged", _("Judgment of the labour court recorded")
    SANCTION_PAYMENTS_EXPORTED = "sanction_payments_exported", _("Suspension periods exported for payment")
    SANCTION_PAYMENTS_OPENED = "sanction_payments_opened", _("Payment exports")
    SANCTION_REGISTER_OPENED = "sanction_register_opened", _("Sanction register consulted")
    # Transfer of a PIIS to the newly competent CPAS (piis/transfers)
    TRANSFER_RECORDED = "transfer_recorded", _("Move recorded, transfer of the PIIS started")
    TRANSFER_REQUEST_RECEIVED = "transfer_request_received", _("Transfer request received from another CPAS")
    TRANSFER_LETTER_SENT = "transfer_letter_sent", _("Letter on the right to refuse the transfer sent")
    TRANSFER_LETTER_OPENED = "transfer_letter_opened", _("Transfer letter opened")
    TRANSFER_ANSWER_RECORDED = "transfer_answer_recorded", _("The person's answer on the transfer recorded")
    TRANSFER_REFUSED = "transfer_refused", _("Transfer refused by the person")
    TRANSFER_PACKAGE_SENT = "transfer_package_sent", _("PIIS sent to the new CPAS")
    TRANSFER_PACKAGE_RECEIVED = "transfer_package_received", _("Transferred PIIS received")
    TRANSFER_PACKAGE_IMPORTED = "transfer_package_imported", _("PIIS imported from an open PIIS file")
    TRANSFER_PACKAGE_EXPORTED = "transfer_package_exported", _("Open PIIS file downloaded")
    TRANSFER_PDF_OPENED = "transfer_pdf_opened", _("Signed PIIS of a transfer opened")
    TRANSFER_OPENED = "transfer_opened", _("Transfer consulted")
    TRANSFER_LIST_OPENED = "transfer_list_opened", _("Transfers listed")
    TRANSFER_TAKEOVER_DECIDED = "transfer_takeover_decided", _("Commitment reviewed for takeover")
    # The observatory and the federal figures (piis/observatory)
    OBSERVATORY_OPENED = "observatory_opened", _("Observatory consulted")
    OBSERVATORY_EXPORTED = "observatory_exported", _("Observatory figures exported")
    FEDERAL_STATISTICS_EXPORTED = "federal_statistics_exported", _("PIIS statistics for the federal flow exported")
    FEDERAL_EXCHANGE_EXPORTED = "federal_exchange_exported", _("Agreements and evaluations exported")
    # The person's portal (piis/portal)
    PORTAL_ACCOUNT_OPENED = "portal_account_opened", _("Portal account opened for the person")
    PORTAL_INVITATION_ISSUED = "portal_invitation_issued", _("Portal code and link handed over")
    PORTAL_ACCOUNT_DISABLED = "portal_account_disabled", _("Portal account disabled")
    PORTAL_PASSWORD_SET = "portal_password_set", _("Portal password set by the person")
    PORTAL_SECOND_FACTOR_CHANGED = "portal_second_factor_changed", _("Portal security code turned on or off")
    PORTAL_HOME_OPENED = "portal_home_opened", _("Portal home read by the person")
    PORTAL_CONTRACT_OPENED = "portal_contract_opened", _("PIIS read by the person on the portal")
    PORTAL_TIMELINE_OPENED = "portal_timeline_opened", _("Dates read by the person on the portal")
    PORTAL_RIGHTS_OPENED = "portal_rights_opened", _("Rights read by the person on the portal")
    PORTAL_LETTERS_OPENED = "portal_letters_opened", _("Letters listed by the person on the portal")
    PORTAL_DOCUMENT_OPENED = "portal_document_opened", _("Document downloaded by the person on the portal")
    # The audit trail itself
    AUDIT_PARTITIONS_DROPPED = "audit_partitions_dropped", _("Audit months past their retention period dropped")
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
    (_("Documents and letters"), _prefixed("document_", "letter_")),
    (_("CPAS settings"), _prefixed("cpas_", "closure_day_", "signatory_", "delegation_", "team_", "api_token_")),
    (_("Second factor"), _prefixed("second_factor_")),
    (_("Personal data"), _prefixed("personal_data_", "retention_")),
    (_("Non-compliance procedure"), _prefixed("sanction_")),
    (_("Transfers"), _prefixed("transfer_")),
    (_("Subsidy claims and inspection"), _prefixed("subsidy_")),
    (_("Observatory and federal figures"), _prefixed("observatory_", "federal_")),
    (_("Beneficiary portal"), _prefixed("portal_")),
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
