"""Migration 0002: audit rows written with the old CRUD words get the event named after what happened."""

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
migration = importlib.import_module("piis.audit.migrations.0002_events_named_after_what_happened")


@pytest.mark.parametrize(
    ("verb", "target_type", "changes", "context", "event"),
    [
        ("read", "cases.beneficiary", {}, "/files/3/", "file_opened"),
        ("read", "contracts.contract", {}, "/contracts/4/", "contract_opened"),
        ("read", "contracts.contractversion", {}, "/contracts/4/versions/5/pdf/", "contract_pdf_opened"),
        ("read", "contracts.signature", {}, "/contracts/4/signatures/6/scan/", "signature_scan_opened"),
        ("export", "audit.auditevent", {"rows": 3}, "/audit/export/", "audit_exported"),
        ("create", "cases.beneficiary", {"last_name": [None, "Peeters"]}, "", "file_created"),
        ("update", "cases.beneficiary", {"phone": ["1", "2"]}, "", "file_updated"),
        ("create", "cases.ridecision", {"category": [None, 2]}, "", "ri_decision_recorded"),
        ("update", "cases.ridecision", {"category": [2, 3]}, "", "ri_decision_corrected"),
        ("create", "cases.exemption", {}, "", "exemption_granted"),
        ("delete", "cases.householdmember", {}, "", "household_member_removed"),
        ("create", "contracts.contract", {}, "", "contract_drafted"),
        ("update", "contracts.contract", {"status": ["draft", "handed_over"]}, "", "contract_handed_over"),
        ("update", "contracts.contract", {"status": ["handed_over", "draft"]}, "", "handover_withdrawn"),
        ("update", "contracts.contract", {"status": ["handed_over", "awaiting_signatures"]}, "", "contract_signed"),
        ("update", "contracts.contract", {"status": ["awaiting_signatures", "in_force"]}, "", "contract_concluded"),
        ("update", "contracts.contract", {"status": ["in_force", "ended"]}, "", "contract_ended"),
        (
            "update",
            "contracts.contract",
            {"editing_amendment": [False, True], "amendment_reason": [None, "Formation"]},
            "",
            "amendment_started",
        ),
        ("update", "contracts.contract", {"editing_amendment": [True, False]}, "", "contract_handed_over"),
        ("update", "contracts.contract", {"late_motivation": ["", "Absent"]}, "", "late_motivation_recorded"),
        ("update", "contracts.contract", {"end_on": [None, "2026-12-31"]}, "", "contract_details_changed"),
        ("create", "contracts.contractversion", {}, "", "contract_handed_over"),
        (
            "update",
            "contracts.contractversion",
            {"information_given_on": [None, "2026-03-02"]},
            "",
            "information_recorded",
        ),
        ("update", "contracts.contractversion", {"concluded_on": [None, "2026-03-09"]}, "", "contract_concluded"),
        ("update", "contracts.contractversion", {"superseded": [False, True]}, "/contracts/4/end/", "contract_ended"),
        (
            "update",
            "contracts.contractversion",
            {"superseded": [False, True]},
            "/contracts/4/versions/5/sign/",
            "amendment_concluded",
        ),
        (
            "update",
            "contracts.contractversion",
            {"superseded": [False, True]},
            "/contracts/4/back-to-draft/",
            "handover_withdrawn",
        ),  # fmt: skip
        ("create", "contracts.signature", {}, "", "contract_signed"),
        ("delete", "contracts.clause", {}, "", "clause_removed"),
        ("update", "contracts.clausetemplate", {"active": [True, False]}, "", "clause_template_deactivated"),
        ("update", "contracts.clausetemplate", {"active": [False, True]}, "", "clause_template_reactivated"),
        ("update", "contracts.clausetemplate", {"title": ["a", "b"]}, "", "clause_template_changed"),
        ("create", "followup.meetingrequest", {}, "", "meeting_requested"),
        ("update", "followup.meetingrequest", {"status": ["open", "held"]}, "", "meeting_held"),
        ("update", "followup.meetingrequest", {"status": ["open", "withdrawn"]}, "", "meeting_withdrawn"),
        ("update", "followup.evaluation", {"third_parties": [[], [4]]}, "", "evaluation_corrected"),
        (
            "update",
            "followup.calendarfeed",
            {"revoked_at": [None, "2026-03-02T10:00:00"]},
            "",
            "calendar_feed_revoked",
        ),
        ("update", "accounts.cpas", {"name": ["A", "B"]}, "", "cpas_settings_changed"),
        ("delete", "accounts.signatorydelegation", {}, "", "delegation_revoked"),
        # Nothing the old code wrote: left as it was rather than given a name it may not deserve.
        ("create", "x.unknown", {}, "", None),
        ("read", "followup.evaluation", {}, "", None),
    ],
)
def test_legacy_rows_are_named_from_their_own_content(verb, target_type, changes, context, event):
    assert migration.legacy_event(verb, target_type, changes, context) == event
    if event is not None:
        assert event in AuditVerb.values


def _legacy(cpas, verb, target_type, changes=None, context=""):
    # Written as the old code did: a bare word, not through record() (which accepts only events now).
    return AuditEvent.objects.create(
        cpas=cpas, actor_label="old", verb=verb, target_type=target_type, changes=changes or {}, context=context
    )


def _run(step):
    with connection.schema_editor() as schema_editor:
        step(apps, schema_editor)


def test_the_migration_renames_old_rows_and_puts_the_append_only_guards_back(cpas_a):
    opened = _legacy(cpas_a, "read", "cases.beneficiary")
    created = _legacy(cpas_a, "create", "cases.ridecision", {"category": [None, 2]})
    removed = _legacy(cpas_a, "delete", "cases.householdmember", {"name": ["Noa", None]})
    ended = _legacy(cpas_a, "update", "contracts.contract", {"status": ["in_force", "ended"]})
    unknown = _legacy(cpas_a, "update", "x.unknown", {"a": [1, 2]})

    _run(migration.name_legacy_rows)

    verbs = dict(AuditEvent.objects.values_list("pk", "verb"))
    assert verbs == {
        opened.pk: "file_opened",
        created.pk: "ri_decision_recorded",
        removed.pk: "household_member_removed",
        ended.pk: "contract_ended",
        unknown.pk: "update",
    }
    assert AuditEvent.objects.get(pk=ended.pk).changes == {"status": ["in_force", "ended"]}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=opened.pk).update(verb="file_updated")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'audit_auditevent'")
            assert cursor.fetchone() == (True,)

    _run(migration.back_to_crud_words)

    verbs = dict(AuditEvent.objects.values_list("pk", "verb"))
    assert verbs == {opened.pk: "read", created.pk: "create", removed.pk: "delete", ended.pk: "update",
                     unknown.pk: "update"}  # fmt: skip
