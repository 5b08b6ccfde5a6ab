"""The one catalogue from error code to translated message (see piis.core.errors).

Rules: one text per code; English source strings, translated in locale/; no legal number (days, months, ages,
caps), rule ID, assumption code or English text of the rules core inside a message — figures are `%(name)s`
params filled by the service from the rules core's parameter table or from the violation. tests/core/test_errors.py
checks that every code the rules core can raise has an entry here.
"""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["CATALOGUE", "GENERIC_MESSAGE"]

GENERIC_MESSAGE = _("This step is not possible now.")

# --- codes of the rules core (piis.rules: RuleViolation and InvalidInput) -----------------------------------------
RULES = {
    # obligation (R1–R15) and study PIIS (R22)
    "DATES_OUT_OF_ORDER": _(
        "Some dates of the file are in the wrong order (birth, RI decision, periods, exemptions)."
    ),
    "UNKNOWN_GROUND": _("An exemption has an unknown ground."),
    "EQUITY_ASSESSMENT_MISSING": _(
        "A study PIIS cannot be drafted yet: a person aged %(age)s or more needs an equity assessment decision "
        "accepting the full-time studies, recorded on the RI decision."
    ),
    # drafting, signature, amendment (R14, R23, R25, R27, R28, R39, R49)
    "NEEDS_ASSESSMENT_MISSING": _(
        "A needs assessment made after the RI request and on or before today is required before drafting."
    ),
    "COMMUNITY_SERVICE_FORBIDDEN": _(
        "Community service was annulled by the Constitutional Court and can never be part of a PIIS."
    ),
    "UNKNOWN_CLAUSE_KIND": _("Choose one of the kinds of commitment in the list."),
    "COMMITMENT_OF_ANOTHER_PARTY": _(
        "Only the person's own commitments can ground a sanction: a commitment of the CPAS or of a third party never "
        "can."
    ),
    "PIIS_BEFORE_RI_DECISION": _(
        "A PIIS cannot be signed before the RI decision (%(ri_decision_on)s). Choose a later signing date."
    ),
    "REFLECTION_PERIOD": _(
        "The reflection period is not over: the person may sign from %(earliest)s. Choose that date or a later one."
    ),
    "RIGHTS_INFORMATION_MISSING": _(
        "Before signing, record that the person was informed of the content, scope and consequences of the contract "
        "and of their rights (section “Information and rights”)."
    ),
    "INFORMATION_NOT_RECORDED": _(
        "Before the amendment is signed, record that the person was informed of its content, scope and consequences."
    ),
    "UNKNOWN_PARTY": _("Only the parties to the contract can consent to it."),
    "PARTY_CONSENT_MISSING": _("The person and the CPAS must both agree to the amendment."),
    "THIRD_PARTY_CONSENT_MISSING": _("A third party to the contract has not yet agreed to the amendment."),
    "SHARE_OUT_OF_RANGE": _("The share is outside its possible range."),
    # evaluations (R43–R47)
    "UNKNOWN_MODE": _("Choose how the evaluation was held from the list."),
    # sanctions (R55–R62)
    "NO_LEGAL_GROUND": _("The RI can only be suspended on one of the grounds the law provides."),
    "NO_PIIS_IN_FORCE": _("No PIIS was in force on the date of the breach."),
    "BREACH_BEFORE_CLAUSE": _("The commitment was not yet in force on the date of the breach."),
    "CLAUSE_NOT_SANCTIONABLE": _("This commitment cannot ground a sanction."),
    "UNKNOWN_OBLIGATION_KIND": _("Choose whether the commitment promises an effort or a result."),
    "UNKNOWN_BREACH_KIND": _("Choose what was not kept from the list."),
    "RESULT_NOT_PROMISED": _(
        "This commitment promised to try or to attend, not to obtain a result: a result not obtained is no "
        "breach of it. Report what was not done, or choose a commitment of result."
    ),
    "CATALOGUE_NAME_TAKEN": _("This name is already in the catalogue."),
    "CATALOGUE_ENTRY_INACTIVE": _("This entry of the catalogue is no longer active: choose another."),
    "CATALOGUE_NOT_A_PARTNER": _("Choose a partner of the catalogue, not a service of the CPAS."),
    "NOTICE_MISSING": _("A formal notice must be sent before a sanction is decided."),
    "HEARING_NOT_OFFERED": _("The person must be told of their right to be heard before a sanction is decided."),
    "OPINION_MISSING": _("The social worker's opinion is required before a sanction is decided."),
    "LEGITIMATE_REASON": _("No sanction is possible: the person had a legitimate reason."),
    "CPAS_COMMITMENT_UNMET": _("No sanction is possible: the CPAS did not meet its own commitment."),
    "SANCTION_TOO_LONG": _("The suspension is longer than the law allows for this breach."),
    "MONTHS_NOT_POSITIVE": _("A suspension must last some time: give a duration."),
    "ANCHOR_DATE_MISSING": _("The date from which a repeated breach is counted is missing."),
    "UNKNOWN_ANCHOR": _("The CPAS's setting for counting repeated breaches is not recognised."),
    "NOTIFICATION_TOO_LATE": _("The decision was notified too late: the suspension had to start by %(latest)s."),
    "SUSPENSION_START_OUTSIDE_WINDOW": _("The suspension must start between %(earliest)s and %(latest)s."),
    # subsidy and amounts (R68–R72)
    "AMOUNT_NEGATIVE": _("An amount cannot be negative."),
    "UNKNOWN_CATEGORY": _("Choose an RI category from the list."),
    "COVERAGE_MISSING": _("The share of beneficiaries with a PIIS is needed to compute this subsidy."),
    "COVERAGE_OUT_OF_RANGE": _("The share of beneficiaries with a PIIS is outside its possible range."),
    "PARTNERS_NOT_TWO": _("A couple has exactly two partners."),
    "NO_PIIS_ON_LAST_DAY": _("No PIIS was in force on the last day of the first subsidy period."),
    "MOTIVATION_MISSING": _("Extending the subsidy needs a written motivation."),
    # calendar and parameter table
    "DATE_OUT_OF_RANGE": _("This date is outside the calendar the application can handle."),
    "UNKNOWN_PARAMETER": _("A legal parameter is missing from the parameter table: contact the administrator."),
    "PARAMETER_NOT_IN_FORCE": _("A legal parameter has no value in force on this date: contact the administrator."),
}

# --- codes of the application ------------------------------------------------------------------------------------
CONTRACT_DRAFTING = {
    "NOT_EDITABLE": _("This contract can no longer be changed: it has been handed over or is not a draft."),
    "RI_DECISION_OF_ANOTHER_PERSON": _("Choose an RI decision of this person."),
    "ASSESSMENT_OF_ANOTHER_PERSON": _("Choose a needs assessment of this person."),
    "RI_REQUEST_IN_FUTURE": _("The RI request is dated in the future: check the RI decision."),
    "PLANNED_END_BEFORE_START": _("The planned end cannot be before the planned start."),
    "SUBSTITUTE_IS_SOCIAL_WORKER": _("The substitute must be another person."),
    "ONE_OPEN_CONTRACT": _(
        "This person already has a PIIS being negotiated or in force: amend or end it before starting a new one."
    ),
    "OBJECTIVE_WITHOUT_ASSESSMENT_ITEM": _("Link the objective to at least one item of the needs assessment."),
    "ASSESSMENT_ITEM_OF_ANOTHER_ASSESSMENT": _("Choose items of this contract's needs assessment."),
    "OBJECTIVE_DUE_DATE_MISSING": _("Give the objective a due date."),
    "PARTY_NOT_IN_CONTRACT": _("Choose a party of this contract."),
    "OBJECTIVE_OF_ANOTHER_CONTRACT": _("Choose an objective of this contract."),
    "CONTESTED_WITHOUT_DISCUSSION": _(
        "The person contests this clause: record the discussion before making it sanctionable."
    ),
    "THIRD_PARTY_REQUESTER_INVALID": _("A third party joins at the request of the person or the CPAS."),
}

CONTRACT_LIFECYCLE = {
    "NOT_DRAFTING": _("Only a draft (or an amendment being drafted) can be handed over."),
    "HANDOVER_IN_FUTURE": _("The hand-over date cannot be in the future."),
    "HANDOVER_BEFORE_RI_DECISION": _("The hand-over cannot be dated before the RI decision of %(date)s."),
    "REASON_REQUIRED": _("Give the reason for the amendment."),
    "DRAFTING_PROBLEMS": _("The draft cannot be handed over yet: correct the points listed below."),
    "NOTHING_HANDED_OVER": _("There is no version handed over to withdraw."),
    "VERSION_CLOSED": _("This version is no longer open for information or signatures."),
    "INFORMATION_IN_FUTURE": _("The information cannot be dated in the future."),
    "RIGHTS_INCOMPLETE": _("Every right must be explained to the person: tick each one once it has been explained."),
    "ASSISTANT_NAME_REQUIRED": _("Give the name of the person who assisted."),
    "UNKNOWN_SIGNER": _("Choose who signs from the list."),
    "DELEGATION_INVALID": _("This delegation is not for the chosen signatory or is not valid on the signing date."),
    "ALREADY_SIGNED": _("This party has already signed this version."),
    "SIGNATURE_IN_FUTURE": _("The signature cannot be dated in the future."),
    "SIGNATURE_BEFORE_HANDOVER": _(
        "The signature cannot be dated before the hand-over of the final draft (%(date)s)."
    ),
    "MOTIVATION_REQUIRED": _("Write why the contract is concluded after its deadline."),
    "NOT_IN_FORCE": _("Only a contract in force can be amended or ended."),
    "AMENDMENT_PENDING": _("An amendment is already being prepared."),
    "END_IN_FUTURE": _("The end date cannot be in the future."),
    "END_BEFORE_SIGNATURE": _("The end date cannot be before the conclusion of the contract (%(date)s)."),
    "UNKNOWN_REASON": _("Choose a reason from the list."),
    # printing the contract (contracts.print_bounds, contracts.pdf)
    "PRINT_TEXT_TOO_LONG": _(
        "The contract is too long to print: the text “%(start)s” has %(length)s characters, and one text may have "
        "at most %(limit)s. Shorten it."
    ),
    "PRINT_TOO_LONG": _(
        "The contract is too long to print: its texts have %(length)s characters together, and a contract may have "
        "at most %(limit)s. Shorten them."
    ),
    "PRINT_TIMEOUT": _(
        "The PDF could not be produced in time. Try again in a moment; if it happens again, tell the administrator."
    ),
}

FOLLOWUP = {
    "EVALUATION_BEFORE_CONCLUSION": _("An evaluation cannot be dated before the contract was concluded."),
    "EVALUATION_AFTER_END": _("An evaluation cannot be dated after the end of the contract."),
    "EVALUATION_IN_FUTURE": _("Record an evaluation once it has been held: the date is in the future."),
    "EVALUATION_CONTRACT_NOT_IN_FORCE": _("Evaluations are recorded on a contract in force."),
    "MEETING_REQUEST_CLOSED": _("This request is already closed."),
    "DATE_BEFORE_MEETING_REQUEST": _("This date cannot be before the request."),
    "DELIVERY_CONTRACT_NOT_IN_FORCE": _(
        "The delivery of a commitment is recorded on a contract in force; while drafting, edit the commitment."
    ),
    "DELIVERY_STATUS_UNKNOWN": _("Choose a delivery status from the list."),
    "DELIVERY_IN_FUTURE": _("Record the delivery once it has happened: the date is in the future."),
    "DELIVERY_BEFORE_CONCLUSION": _("This date is before the conclusion of the contract (%(date)s)."),
}

# --- input bounds: dates (piis.core.dates), uploads and database constraints (piis.core.constraints) -------------
INPUT = {
    "BIRTH_IN_FUTURE": _("A date of birth cannot be in the future."),
    "BIRTH_TOO_OLD": _("A date of birth before %(date)s is not plausible: check the year."),
    "DATE_BEFORE_LAW": _(
        "This date is before %(date)s, when the law on the right to social integration took effect: check the year."
    ),
    "DATE_IN_FUTURE": _("This date is in the future: record it once it has happened."),
    "DATE_TOO_FAR_AHEAD": _("This date is too far ahead: choose a date on or before %(date)s."),
    "DATE_BEFORE_BIRTH": _("This date is before the person's birth (%(date)s)."),
    "BIRTH_AFTER_RI_DECISION": _("The date of birth cannot be after the RI decision of %(date)s."),
    "INFORMATION_BEFORE_HANDOVER": _(
        "The information cannot be dated before the hand-over of the final draft (%(date)s)."
    ),
    "DUE_BEFORE_CONTRACT_START": _("This date is before the planned start of the contract (%(date)s)."),
    "UPLOAD_TOO_LARGE": _("This file is too large: upload a file of at most %(size)s MB."),
    "UPLOAD_TYPE_REFUSED": _("Upload a PDF, PNG or JPEG file."),
    "END_BEFORE_START": _("The end cannot be before the start."),
    "DECISION_BEFORE_REQUEST": _("The decision cannot be dated before the request."),
    "NOTIFICATION_BEFORE_DECISION": _("The notification cannot be dated before the decision."),
    "REVIEW_BEFORE_START": _("The review cannot be dated before the start of the exemption."),
    "FILE_NUMBER_EXISTS": _("A file with this national register number already exists."),
    "CLOSURE_DAY_EXISTS": _("This day is already a closure day."),
    "SIGNATORY_FUNCTION_EXISTS": _("This function is already in the signatory matrix."),
    "MEMBERSHIP_EXISTS": _("This user already has a role in this CPAS."),
    # a row kept because signatures or evaluations refer to it (on_delete=PROTECT): a signatory line, a delegation,
    # a third party, an objective or a commitment of the contract in force while an amendment is drafted
    "REFERRED_TO_BY_RECORDS": _("This cannot be removed: signatures or evaluations already recorded refer to it."),
    "NIS_CODE_INVALID": _("The NIS code of a CPAS is made of five digits."),
    "CONCURRENT_CHANGE": _("Someone else saved this at the same time: reload the page and try again."),
    # an edit form saved after someone else changed the same object (piis.core.concurrency): nothing was written
    "STALE_SAVE": _(
        "Someone else saved this while you were editing it, so nothing has been saved. What they saved is shown "
        "beside what you typed: check it, then save again to keep your version."
    ),
    "STALE_SAVE_FIELD": _("Saved meanwhile: %(theirs)s — yours: %(yours)s"),
    "STALE_SAVE_OTHER": _("Also changed meanwhile: %(changes)s."),
    "STALE_SAVE_REMOVED": _("Someone else removed this while you were editing it, so nothing has been saved."),
    "CONSTRAINT_VIOLATED": _("The values entered contradict each other: check them and try again."),
}

# --- need-to-know (piis.cases.access): teams and break the glass ---------------------------------------------------
NEED_TO_KNOW = {
    "BREAK_GLASS_REASON_TOO_SHORT": _(
        "Say why you need this file now, in at least %(min)s characters: the data-protection officer reads it."
    ),
    "TEAM_NAME_EXISTS": _("A team with this name already exists."),
    "TEAM_LEAD_NOT_A_LEAD": _("Choose a member whose role in this CPAS is team lead."),
    "TEAM_OF_ANOTHER_CPAS": _("Choose a team of this CPAS."),
}

# --- the non-compliance procedure (piis.sanctions) ------------------------------------------------------------------
SANCTIONS = {
    "CLOSURE_REASON_REQUIRED": _("Choose why the procedure ends without going to the council."),
    "EVIDENCE_EVALUATION_REQUIRED": _("Choose the evaluation the passage comes from."),
    "DISCLOSED_BEFORE_SOURCE": _("A passage cannot be disclosed before the date of its source."),
    "COMPLY_BY_NOT_AFTER_SENDING": _("The date to comply or explain must be after the sending of the notice."),
    "DELIVERED_BEFORE_SENT": _("The delivery cannot be dated before the sending (%(date)s)."),
    "ANSWER_DATE_REQUIRED": _("Give the date of the person's answer."),
    "REASON_ASSESSMENT_INCOMPLETE": _(
        "Answer the reason the person gave: say whether it is legitimate and write why."
    ),
    "HEARING_BEFORE_NOTIFICATION": _("This date cannot be before the person was told of the right to be heard."),
    "EXEMPTION_REQUIRED": _("Choose the exemption the council is to decide on."),
    "DOSSIER_ALREADY_ON_AGENDA": _("This dossier is already on the agenda of this sitting."),
    "SUSPENSION_INCOMPLETE": _("A suspension needs its share, its number of months and its ground."),
    "JUDGMENT_DATE_REQUIRED": _("Give the date of the judgment."),
    # the procedure before the council (sanctions.services, the checklist of sanctions.selectors.readiness)
    "DOSSIER_NOT_IN_PREPARATION": _("This dossier is no longer being prepared: this step can no longer be changed."),
    "DOSSIER_STEP_NOT_ALLOWED": _("This step is not possible at this stage of the procedure."),
    "CLAUSE_OF_ANOTHER_CONTRACT": _("Choose a commitment of this contract."),
    "BREACH_FACTS_REQUIRED": _("Describe the facts of the breach."),
    "BREACH_FIXED_BY_NOTICE": _("The formal notice has been sent: the breach it states can no longer be changed."),
    "EVALUATION_OF_ANOTHER_PERSON": _("Choose an evaluation of this person."),
    "EVIDENCE_ALREADY_DISCLOSED": _("This passage has been disclosed to the person: it stays in the dossier."),
    "NOTICE_ALREADY_SENT": _("The formal notice has been sent: it can no longer be changed."),
    "NOTICE_NOT_PREPARED": _("Prepare the formal notice first."),
    "NOTICE_BEFORE_BREACH": _("The notice cannot be sent before the breach (%(date)s)."),
    "NOTICE_NOT_SENT": _("Record the sending of the formal notice first."),
    "NOTICE_NOT_DELIVERED": _("Record when the formal notice reached the person."),
    "DELIVERY_METHOD_UNKNOWN": _("Choose how the letter reached the person from the list."),
    "SILENCE_BEFORE_DEADLINE": _(
        "The person has until %(date)s to comply or explain: record their silence after that date."
    ),
    "ANSWER_BEFORE_NOTICE": _("The answer cannot be dated before the notice was sent (%(date)s)."),
    "ANSWER_TEXT_REQUIRED": _("Write what the person said or wrote."),
    "ANSWER_MISSING": _("Record the person's answer to the notice, or their silence."),
    "REASON_NOT_ANSWERED": _("Answer the question of a legitimate reason: yes or no, with the reasons."),
    "COMMITMENTS_NOT_CHECKED": _("Check the commitments of the CPAS and of the third parties due before the breach."),
    "COMMITMENT_UNMET_EXCLUDES": _(
        "Sanction excluded: a commitment of the CPAS or of a third party tied to this breach was not met. Write why "
        "the procedure goes on anyway, or close it."
    ),
    "NOTHING_TO_OVERRIDE": _("No unmet commitment is tied to this breach: there is nothing to motivate."),
    "OVERRIDE_MOTIVATION_REQUIRED": _("Write why the procedure goes on despite the unmet commitment."),
    "HEARING_RIGHT_NOT_NOTIFIED": _("Record first when the person was told of the right to be heard."),
    "HEARING_ANSWER_UNKNOWN": _("Choose the person's answer from the list."),
    "HEARING_ASKED_DATE_REQUIRED": _("Give the date the person asked to be heard."),
    "NO_REPLY_BEFORE_DEADLINE": _(
        "The person may still ask to be heard: record no reply once the date set has passed."
    ),
    "HEARING_ANSWER_PENDING": _("The person has not yet said whether they want to be heard."),
    "HEARING_NOT_ASKED": _("The person did not ask to be heard: there is no hearing to record."),
    "HEARING_NOT_HELD": _("The person asked to be heard: record the hearing once it has been held."),
    "HEARING_ATTENDEES_REQUIRED": _("Say who attended the hearing."),
    "HEARING_MINUTES_REQUIRED": _("Write the minutes of the hearing."),
    "NO_RECENT_PIIS_ALERT": _("This dossier has no alert to review."),
    "REVIEW_NOTE_REQUIRED": _("Write the outcome of your review."),
    "RECENT_PIIS_NOT_REVIEWED": _(
        "The PIIS was concluded or amended on %(date)s, shortly before this procedure: a team lead must review it."
    ),
    "READINESS_PROBLEMS": _("The dossier cannot go to the council yet: complete the points listed."),
    "CLOSURE_NOTE_REQUIRED": _("Explain why the procedure ends."),
    "JUDGMENT_BEFORE_APPEAL": _("The judgment cannot be dated before the appeal was lodged."),
    # the council's part (sanctions.services_council)
    "SITTING_MEMBER_NOT_COUNCIL": _("Convene only members whose role in this CPAS is council member."),
    "ORGAN_UNKNOWN": _("Choose the organ from the list."),
    "SITTING_ALREADY_HELD": _("This sitting has been held: its date, place and members can no longer be changed."),
    "SITTING_NOT_HELD_YET": _("The sitting is on %(date)s: its decisions are recorded from that day on."),
    "MINUTES_ALREADY_CLOSED": _(
        "The minutes of this sitting are closed: its agenda and decisions can no longer change."
    ),
    "ITEM_KIND_UNKNOWN": _("Choose the kind of matter from the list."),
    "ITEM_PERSON_REQUIRED": _("Choose the person concerned."),
    "ITEM_CONTRACT_OF_ANOTHER_PERSON": _("Choose a contract of this person."),
    "ITEM_CONTRACT_REQUIRED": _("Choose the contract whose commitments the person objects to."),
    "ITEM_CLAUSES_REQUIRED": _("Tick the commitments of this contract the person objects to."),
    "ITEM_REASONS_REQUIRED": _("Write the person's reasons, as they gave them."),
    "ITEM_ALREADY_DECIDED": _("The council has decided on this matter: it stays on the agenda as decided."),
    "AGENDA_ORDER_INCOMPLETE": _("The agenda changed meanwhile: reload the page and order it again."),
    "OUTCOME_NOT_FOR_THIS_MATTER": _("Choose one of the decisions offered for this matter."),
    "DECISION_MOTIVATION_REQUIRED": _(
        "Write the motivation of the decision: it is printed in the letter to the person."
    ),
    "LABOUR_COURT_REQUIRED": _("Name the competent labour court (the one of the person's residence)."),
    "LETTER_LANGUAGE_REQUIRED": _("Choose the language of the letter."),
    "PARTIAL_SHARE_REQUIRED": _(
        "A partial suspension needs the share of the RI suspended: more than nothing and less than all of it."
    ),
    "GROUND_NOT_OF_THIS_PROCEDURE": _(
        "This procedure only suspends the RI for a breach of the PIIS; undeclared resources follow another procedure."
    ),
    "DEFERRAL_UNKNOWN": _("Choose the deferral from the list."),
    "PROBATION_END_REQUIRED": _("A deferral needs the date until which it runs, after the decision (%(date)s)."),
    "DEFERRED_SHARE_REQUIRED": _(
        "A partial deferral needs the share deferred: more than nothing and less than all of the suspension."
    ),
    "SUSPENSION_START_REQUIRED": _("Give the date the suspension starts."),
    "DEFERRAL_NOT_EXECUTABLE": _(
        "Only a deferred suspension of this person, not annulled, can be executed, and only by a suspension that is "
        "itself executed."
    ),
    "DEFERRAL_PROBATION_OVER": _(
        "The new breach is not within the deferral (until %(date)s): the deferred suspension can no longer be "
        "executed."
    ),
    "DEFERRAL_ALREADY_EXECUTED": _("This deferred suspension has already been executed by another decision."),
    "DECISION_ALREADY_NOTIFIED": _("The notification of this decision is recorded: it can no longer be changed."),
    "LETTER_BEFORE_DECISION": _("The letter cannot be sent before the decision (%(date)s)."),
    "ITEMS_NOT_DECIDED": _("Record a decision on every matter of the agenda, or take the postponed ones off it."),
    "PRESENT_MEMBERS_REQUIRED": _("List the members present."),
    "APPEAL_BEFORE_DECISION": _("The appeal cannot be dated before the decision (%(date)s)."),
    "APPEAL_ALREADY_PENDING": _("An appeal against this decision is already pending: record its judgment first."),
    "APPEAL_ALREADY_JUDGED": _("The judgment on this appeal is recorded: it can no longer be changed."),
    "APPEAL_OUTCOME_UNKNOWN": _("Choose the court's decision from the list."),
}

# --- transfer to the newly competent CPAS and the open PIIS format (piis.transfers) ----------------------------------
TRANSFERS = {
    "TRANSFER_NOT_IN_FORCE": _("Only a PIIS in force can be transferred."),
    "TRANSFER_STUDY_PIIS_STAYS": _(
        "A study PIIS does not move while the studies go on without interruption: this CPAS stays competent."
    ),
    "TRANSFER_DESTINATION_REQUIRED": _("Choose the new CPAS, or give the name and NIS code of a CPAS elsewhere."),
    "TRANSFER_SAME_CPAS": _("The new CPAS must be another CPAS than this one."),
    "TRANSFER_DATES": _("The move must be known on or after the move, and not after today."),
    "TRANSFER_ANSWER_BEFORE_MOVE": _("The date for the person's answer cannot be before the move was known."),
    "TRANSFER_EXISTS": _("A transfer of this PIIS is already under way."),
    "TRANSFER_LETTER_DATE": _("The letter cannot be dated before the move was known, nor after today."),
    "TRANSFER_ANSWERED": _("The person's answer is already recorded."),
    "TRANSFER_ANSWER_DATE": _("The date of the answer must be between the move and today."),
    "TRANSFER_NO_ANSWER_TOO_EARLY": _("The person may still answer until %(date)s."),
    "TRANSFER_CHANNEL_REQUIRED": _("Say how the person gave their answer."),
    "TRANSFER_ALREADY_SENT": _("The PIIS has already been sent: the transfer can no longer be refused here."),
    "TRANSFER_REFUSED_NO_CONTENT": _("The person refused the transfer: nothing of the PIIS may be sent."),
    "TRANSFER_NOT_ANSWERED": _("Record the person's answer first (agreement, or no answer by the date given)."),
    "TAKEOVER_DECISION": _("Choose keep, adapt or drop."),
    "TAKEOVER_ALREADY_DECIDED": _("This commitment was already reviewed on %(date)s: nothing was changed."),
    "TAKEOVER_REASON_REQUIRED": _("Give the reason for this decision."),
    "PACKAGE_TOO_LARGE": _("The file is larger than %(mb)s MB."),
    "PACKAGE_NOT_JSON": _("The file is not an open PIIS file (JSON)."),
    "PACKAGE_WRONG_FORMAT": _("The file is not an open PIIS file."),
    "PACKAGE_WRONG_VERSION": _(
        "This open PIIS file has a version this application does not read (it reads version %(version)s)."
    ),
    "PACKAGE_INVALID": _("The open PIIS file does not follow the format (at %(where)s): nothing was imported."),
    "PACKAGE_NOT_FOR_US": _("This PIIS is addressed to another CPAS: nothing was imported."),
    "PACKAGE_MARKUP": _("The file contains markup or a script in a text: it was refused and nothing was imported."),
    "PACKAGE_INCONSISTENT": _("The file contradicts itself (dates or references): nothing was imported."),
    "PACKAGE_PDF_INVALID": _("The signed PIIS in the file is not a PDF: nothing was imported."),
    "PACKAGE_ALREADY_IMPORTED": _("This PIIS has already been imported."),
}

# --- the person's portal account (piis/portal) ---------------------------------------------------------------------
PORTAL_ACCOUNTS = {
    "PORTAL_ACCOUNT_EXISTS": _("This person already has a portal account."),
    "PORTAL_ACCOUNT_DISABLED": _("This portal account is disabled."),
    "PORTAL_INVITATION_UNUSABLE": _(
        "This code or link no longer works: it was used, replaced or is too old. Ask your social worker for a new one."
    ),
}

# --- the person's own actions through the portal (services person_* in followup, contracts, transfers, cases) -------
PORTAL_ACTIONS = {
    "PERSON_NOT_OWN": _("This page is not about you."),
    "PERSON_IS_STAFF": _("A staff account cannot act as the person."),
    "PERSON_TEXT_REQUIRED": _("Write a few words."),
    "PERSON_TEXT_TOO_LONG": _("Your text is too long: at most %(max)s characters."),
    "PERSON_NO_EVALUATION_COMMENT": _("You can comment an evaluation only of your PIIS."),
    "AMENDMENT_REQUEST_NOT_IN_FORCE": _("You can ask for a change only while your PIIS is in force."),
    "AMENDMENT_REQUEST_ANSWERED": _("This request is already answered."),
    "PERSON_TRANSFER_CLOSED": _("Your answer on this move is already recorded."),
    "PERSON_ASSISTANT_NAME_REQUIRED": _("Write the name of the person who helps you."),
}


# --- the REST API and its tokens (piis/api) -------------------------------------------------------------------------
API = {
    "API_TOKEN_NAME_REQUIRED": _("Name the integration that will use this token."),
    "API_TOKEN_SCOPES_REQUIRED": _("Choose at least one thing the integration may do."),
    "API_TOKEN_VALIDITY": _("A token is valid for at most %(days)s days."),
    "API_NOT_AUTHENTICATED": _("A valid, unexpired and unrevoked API token is required."),
    "API_SCOPE_MISSING": _("This token does not allow this operation."),
    "API_NOT_FOUND": _("Nothing found here."),
    "API_INVALID_INPUT": _("The request is not valid: %(where)s."),
    "SUBSIDY_CLAIM_NOT_COMPUTED": _(
        "The claim of this month has not been computed yet: the director computes it from the claim page."
    ),
    "API_STALE": _("This record has changed since you read it: read it again, then send your change."),
    "API_PRECONDITION_REQUIRED": _("Send the ETag you read in an If-Match header."),
    "API_RATE_LIMITED": _("Too many requests for this token: wait a minute."),
}

# --- documents and letters (piis.documents) -------------------------------------------------------------------------
DOCUMENTS = {
    "DOCUMENT_NOT_ALLOWED": _("Your role does not allow this."),
    "DOCUMENT_UNKNOWN_KIND": _("Choose the type of document from the list."),
    "DOCUMENT_SENSITIVE_NOT_ALLOWED": _(
        "A medical certificate belongs to the confidential part of the file: only the workers who carry the file "
        "may add or see it."
    ),
    "DOCUMENT_CONTRACT_OF_ANOTHER_FILE": _("Choose a PIIS of this person."),
    "DOCUMENT_PROOF_OF_ANOTHER_CONTRACT": _("A document proves a step or a commitment of its own PIIS only."),
    "LETTER_UNKNOWN_KIND": _("Choose a letter from the list."),
    "LETTER_PLACEHOLDER_UNKNOWN": _(
        "%(name)s is not a placeholder of this letter. The placeholders you may use: %(allowed)s."
    ),
    "LETTER_BRACE_ALONE": _(
        "A brace opens or closes nothing: write placeholders as {first_name}, and no other braces."
    ),
    "LETTER_NO_OPEN_CONTRACT": _("This person has no PIIS being negotiated or in force."),
    "LETTER_NO_HANDOVER": _("No final draft is waiting for signature: hand it over first."),
    "LETTER_NO_MEETING_REQUEST": _("Choose the person's meeting request that this letter confirms."),
    "LETTER_MEETING_DETAILS_REQUIRED": _("Give the date, the time and the place of the evaluation."),
    "OUTCOME_UNKNOWN": _("Choose the outcome from the list."),
    "OUTCOME_CONTRACT_NOT_ENDED": _("The outcome is recorded once the PIIS has ended."),
    "EXPLANATION_ASSISTANT_OF_ANOTHER_FILE": _("Choose an assistant of this person."),
}


def _merge(*parts: Mapping[str, Promise]) -> dict[str, Promise]:
    merged: dict[str, Promise] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:  # one text per code: a second text for the same code is the drift this catalogue removes
            raise ValueError(f"Error codes defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUE: dict[str, Promise] = _merge(
    RULES,
    CONTRACT_DRAFTING,
    CONTRACT_LIFECYCLE,
    FOLLOWUP,
    INPUT,
    NEED_TO_KNOW,
    SANCTIONS,
    TRANSFERS,
    PORTAL_ACCOUNTS,
    PORTAL_ACTIONS,
    API,
    DOCUMENTS,
)
