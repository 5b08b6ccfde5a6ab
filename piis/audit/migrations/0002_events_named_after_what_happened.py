"""Audit events named after what happened (issue 9): the verb column holds one of AuditVerb's events (up to 40
characters) instead of create/update/delete/read/export.

The rows written before are renamed in the same migration, each from its own content only (`legacy_event`): the
old word, the object type, the fields that changed and, where one write served several steps, the page it came
from. Nothing else in a row changes (who, when, which object, which values). A row no rule can name (an object
type the old code never audited) keeps its old word. The trail is append-only, so for this one UPDATE the
migration (run as the table owner) lifts the trigger and the forced row-level security, and puts both back in
the same transaction. The reverse turns the events back into the five old words.
"""

from django.db import migrations, models

# Object types whose rows were plain writes of one kind of record: (created, updated, deleted).
RECORD_EVENTS = {
    "cases.beneficiary": ("file_created", "file_updated", None),
    "cases.householdmember": ("household_member_added", "household_member_changed", "household_member_removed"),
    "cases.assistant": ("assistant_added", "assistant_changed", "assistant_removed"),
    "cases.ridecision": ("ri_decision_recorded", "ri_decision_corrected", "ri_decision_removed"),
    "cases.incomeperiod": ("earlier_period_recorded", "earlier_period_corrected", "earlier_period_removed"),
    "cases.exemption": ("exemption_granted", "exemption_changed", "exemption_removed"),
    "cases.needsassessment": ("needs_assessment_recorded", "needs_assessment_updated", None),
    # An item is written with its assessment, new or not: the assessment was updated either way.
    "cases.assessmentitem": ("needs_assessment_updated",) * 3,
    "contracts.objective": ("objective_added", "objective_changed", "objective_removed"),
    "contracts.step": ("step_added", "step_changed", "step_removed"),
    "contracts.clause": ("clause_added", "clause_changed", "clause_removed"),
    "contracts.thirdparty": ("third_party_added", "third_party_changed", "third_party_removed"),
    "contracts.signature": ("contract_signed", "contract_signed", None),
    "followup.evaluation": ("evaluation_recorded", "evaluation_corrected", None),
    "followup.objectiveprogress": ("evaluation_recorded", "evaluation_corrected", "evaluation_corrected"),
    "followup.commitmentreview": ("evaluation_recorded", "evaluation_corrected", "evaluation_corrected"),
    "followup.calendarfeed": ("calendar_feed_created", "calendar_feed_revoked", None),
    "accounts.cpas": (None, "cpas_settings_changed", None),
    "accounts.closureday": ("closure_day_added", "closure_day_changed", "closure_day_removed"),
    "accounts.signatory": ("signatory_added", "signatory_changed", "signatory_removed"),
    "accounts.signatorydelegation": ("delegation_granted", "delegation_changed", "delegation_revoked"),
}
READ_EVENTS = {
    "cases.beneficiary": "file_opened",
    "contracts.contract": "contract_opened",
    "contracts.contractversion": "contract_pdf_opened",
    "contracts.signature": "signature_scan_opened",
}
CONTRACT_STATUS_EVENTS = {
    "handed_over": "contract_handed_over",
    "draft": "handover_withdrawn",
    "awaiting_signatures": "contract_signed",
    "in_force": "contract_concluded",
    "ended": "contract_ended",
}
LEGACY = ("create", "update", "delete", "read", "export")


def _new_value(changes: dict, field: str):
    pair = changes.get(field)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None


def _contract_event(verb: str, changes: dict) -> str | None:
    if verb == "create":
        return "contract_drafted"
    if verb != "update":
        return None
    if "status" in changes:
        return CONTRACT_STATUS_EVENTS.get(_new_value(changes, "status"), "contract_details_changed")
    if "amendment_reason" in changes:
        return "amendment_started"
    if "editing_amendment" in changes:
        # Locked again: an amendment handed over; opened again without a reason: its hand-over withdrawn.
        return "contract_handed_over" if _new_value(changes, "editing_amendment") is False else "handover_withdrawn"
    if set(changes) == {"late_motivation"}:
        return "late_motivation_recorded"
    return "contract_details_changed"


def _version_event(verb: str, changes: dict, context: str) -> str | None:
    if verb == "create":
        return "contract_handed_over"
    if verb != "update":
        return None
    if "information_given_on" in changes:
        return "information_recorded"
    if "concluded_on" in changes:
        return "contract_concluded"
    # A version is superseded by an end, by the amendment that replaces it (a signature) or by a withdrawal.
    if context.rstrip("/").endswith("/end"):
        return "contract_ended"
    if context.rstrip("/").endswith("/sign"):
        return "amendment_concluded"
    return "handover_withdrawn"


def legacy_event(verb: str, target_type: str, changes: dict, context: str = "") -> str | None:
    """The event an audit row written before issue 9 records, read from the row alone; None when unknown."""
    changes = changes if isinstance(changes, dict) else {}
    if verb == "export":
        return "audit_exported"
    if verb == "read":
        return READ_EVENTS.get(target_type)
    if target_type == "contracts.contract":
        return _contract_event(verb, changes)
    if target_type == "contracts.contractversion":
        return _version_event(verb, changes, context)
    if target_type == "contracts.clausetemplate":
        if verb == "update" and "active" in changes:
            return "clause_template_reactivated" if _new_value(changes, "active") else "clause_template_deactivated"
        return {"create": "clause_template_added", "update": "clause_template_changed"}.get(verb)
    if target_type == "followup.meetingrequest":
        status = _new_value(changes, "status") if verb == "update" else None
        return {"held": "meeting_held", "withdrawn": "meeting_withdrawn"}.get(status, "meeting_requested")
    events = RECORD_EVENTS.get(target_type)
    if events is None or verb not in ("create", "update", "delete"):
        return None
    return events[("create", "update", "delete").index(verb)]


def crud_word(event: str, changes: dict) -> str:
    """The reverse: the old word for an event, from the shape of its changes (creation: no old value)."""
    if event.endswith("_opened"):
        return "read"
    if event == "audit_exported":
        return "export"
    pairs = [pair for pair in (changes or {}).values() if isinstance(pair, list) and len(pair) == 2]
    if pairs and all(new is None for _old, new in pairs):
        return "delete"
    if pairs and all(old is None for old, _new in pairs):
        return "create"
    return "update"


def _rename(apps, schema_editor, rename, old_values) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    rows = AuditEvent.objects.filter(verb__in=old_values).values_list(
        "id", "verb", "target_type", "changes", "context"
    )
    renamed: dict[str, list[int]] = {}
    for pk, verb, target_type, changes, context in rows.iterator(chunk_size=5000):
        new = rename(verb, target_type, changes, context)
        if new and new != verb:
            renamed.setdefault(new, []).append(pk)
    if not renamed:
        return
    vendor = schema_editor.connection.vendor
    _lift_guards(schema_editor, vendor)
    for new, pks in renamed.items():
        for start in range(0, len(pks), 5000):
            AuditEvent.objects.filter(pk__in=pks[start : start + 5000]).update(verb=new)
    _restore_guards(schema_editor, vendor)


def _lift_guards(schema_editor, vendor: str) -> None:
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        schema_editor.execute("ALTER TABLE audit_auditevent NO FORCE ROW LEVEL SECURITY")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_append_only")


def _restore_guards(schema_editor, vendor: str) -> None:
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent FORCE ROW LEVEL SECURITY")
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
        )


def name_legacy_rows(apps, schema_editor):
    _rename(apps, schema_editor, legacy_event, LEGACY)


def back_to_crud_words(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = set(AuditEvent.objects.exclude(verb__in=LEGACY).values_list("verb", flat=True).distinct())
    _rename(apps, schema_editor, lambda verb, _type, changes, _context: crud_word(verb, changes), events)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("file_opened", "File opened"),
                    ("file_created", "File created"),
                    ("file_updated", "File details changed"),
                    ("household_member_added", "Household member added"),
                    ("household_member_changed", "Household member changed"),
                    ("household_member_removed", "Household member removed"),
                    ("assistant_added", "Assistant added"),
                    ("assistant_changed", "Assistant changed"),
                    ("assistant_removed", "Assistant removed"),
                    ("ri_decision_recorded", "RI decision recorded"),
                    ("ri_decision_corrected", "RI decision corrected"),
                    ("ri_decision_removed", "RI decision removed"),
                    ("earlier_period_recorded", "Earlier period recorded"),
                    ("earlier_period_corrected", "Earlier period corrected"),
                    ("earlier_period_removed", "Earlier period removed"),
                    ("exemption_granted", "Exemption granted"),
                    ("exemption_changed", "Exemption changed"),
                    ("exemption_removed", "Exemption removed"),
                    ("needs_assessment_recorded", "Needs assessment recorded"),
                    ("needs_assessment_updated", "Needs assessment updated"),
                    ("contract_opened", "Contract opened"),
                    ("contract_drafted", "PIIS draft started"),
                    ("contract_details_changed", "Contract details changed"),
                    ("objective_added", "Objective added"),
                    ("objective_changed", "Objective changed"),
                    ("objective_removed", "Objective removed"),
                    ("step_added", "Step added"),
                    ("step_changed", "Step changed"),
                    ("step_removed", "Step removed"),
                    ("clause_added", "Commitment added"),
                    ("clause_changed", "Commitment changed"),
                    ("clause_removed", "Commitment removed"),
                    ("third_party_added", "Third party added"),
                    ("third_party_changed", "Third party changed"),
                    ("third_party_removed", "Third party removed"),
                    ("clause_template_added", "Library clause added"),
                    ("clause_template_changed", "Library clause changed"),
                    ("clause_template_deactivated", "Library clause deactivated"),
                    ("clause_template_reactivated", "Library clause reactivated"),
                    ("contract_handed_over", "Final draft handed over"),
                    ("handover_withdrawn", "Hand-over withdrawn, back to drafting"),
                    ("information_recorded", "Information and rights recorded"),
                    ("contract_signed", "Signature recorded"),
                    ("late_motivation_recorded", "Late conclusion motivated"),
                    ("contract_concluded", "Contract concluded"),
                    ("amendment_started", "Amendment started"),
                    ("amendment_concluded", "Amendment in force"),
                    ("contract_ended", "Contract ended"),
                    ("contract_pdf_opened", "Contract PDF opened"),
                    ("signature_scan_opened", "Signed scan opened"),
                    ("evaluation_recorded", "Evaluation recorded"),
                    ("evaluation_corrected", "Evaluation corrected"),
                    ("meeting_requested", "Meeting requested"),
                    ("meeting_held", "Requested meeting held"),
                    ("meeting_withdrawn", "Meeting request withdrawn"),
                    ("calendar_feed_created", "Calendar feed created"),
                    ("calendar_feed_revoked", "Calendar feed revoked"),
                    ("cpas_settings_changed", "CPAS settings changed"),
                    ("closure_day_added", "Closure day added"),
                    ("closure_day_changed", "Closure day changed"),
                    ("closure_day_removed", "Closure day removed"),
                    ("signatory_added", "Signatory added"),
                    ("signatory_changed", "Signatory changed"),
                    ("signatory_removed", "Signatory removed"),
                    ("delegation_granted", "Signing delegation granted"),
                    ("delegation_changed", "Signing delegation changed"),
                    ("delegation_revoked", "Signing delegation revoked"),
                    ("audit_exported", "Audit trail exported"),
                ],
                max_length=40,
                verbose_name="what",
            ),
        ),
        migrations.RunPython(name_legacy_rows, back_to_crud_words),
    ]
