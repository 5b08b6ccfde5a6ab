import datetime
from dataclasses import dataclass

from django.db.models import Q
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


@dataclass(frozen=True)
class KeysetPage:
    """One page of the audit trail read by keyset (issue 15): no OFFSET, no COUNT over a table of tens of millions
    of rows; `older` / `newer` are the cursors of the next pages (empty when there is none)."""

    object_list: list
    older: str
    newer: str


def _cursor(event) -> str:
    return f"{int(event.occurred_at.timestamp() * 1_000_000)}.{event.pk}"


def _parse_cursor(value: str | None):
    """(time, id) from a cursor, or None for anything else (a hand-typed or stale cursor shows the first page)."""
    try:
        micros, pk = (int(part) for part in (value or "").split(".", 1))
        when = datetime.datetime.fromtimestamp(micros / 1_000_000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return (when, pk) if pk > 0 else None


def audit_event_page(events, *, older_than: str | None = None, newer_than: str | None = None, size: int = 50):
    """The page of `events` (ordered newest first) after cursor `older_than`, or before `newer_than`."""
    older, newer = _parse_cursor(older_than), _parse_cursor(newer_than)
    if newer is not None:
        when, pk = newer
        rows = list(
            events.filter(Q(occurred_at__gt=when) | Q(occurred_at=when, pk__gt=pk), occurred_at__gte=when).order_by(
                "occurred_at", "id"
            )[: size + 1]
        )
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        if older is not None:
            when, pk = older
            events = events.filter(Q(occurred_at__lt=when) | Q(occurred_at=when, pk__lt=pk), occurred_at__lte=when)
        rows = list(events[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = older is not None
    return KeysetPage(
        rows,
        older=_cursor(rows[-1]) if rows and has_older else "",
        newer=_cursor(rows[0]) if rows and has_newer else "",
    )
