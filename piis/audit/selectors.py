import datetime

from django.utils import timezone

from piis.audit.models import AuditEvent


def audit_event_list(*, cpas, filters: dict):
    """The CPAS's audit events, newest first, narrowed by the DPO's filters (all optional)."""
    qs = AuditEvent.objects.for_cpas(cpas)
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__gte=datetime.datetime.combine(filters["date_from"], datetime.time.min, tz))
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__lte=datetime.datetime.combine(filters["date_to"], datetime.time.max, tz))
    if filters.get("actor"):
        qs = qs.filter(actor_label__iexact=filters["actor"])
    if filters.get("verb"):
        qs = qs.filter(verb=filters["verb"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("beneficiary_id"):
        qs = qs.filter(beneficiary_id=filters["beneficiary_id"])
    return qs.order_by("-occurred_at", "-id")
