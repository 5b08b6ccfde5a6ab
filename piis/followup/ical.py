"""A minimal iCalendar writer (RFC 5545) for the deadline feed: all-day events, no dependency.

Privacy: events name the file by its number and the person's initials, never the full name, and leave out an
item's `detail` (an objective's title, a commitment's text). Each event links (URL) to the page where the worker
acts, behind the login.
"""

from datetime import UTC, date, datetime

from django.urls import reverse

CRLF = "\r\n"


def feed_path(token: str) -> str:
    return reverse("followup:feed", args=[token])


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets without splitting a UTF-8 character (§3.1)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def event(item, *, stamp: str, host: str, base_url: str = "") -> list[str]:
    summary = f"{item.kind_label}: {item.file_label}"
    description = item.label
    # URL is a URI value (§3.8.4.6, §3.3.13): not TEXT-escaped; our paths hold no character that needs it.
    link = [f"URL:{base_url}{item.url}"] if base_url and item.url else []
    return [
        "BEGIN:VEVENT",
        f"UID:{escape(item.key)}@{escape(host)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(item.due_on)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        *link,
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(items, *, today: date, host: str, name: str, now: datetime | None = None, base_url: str = "") -> str:
    """The whole VCALENDAR text, CRLF line endings, lines folded. All-day events: a DTSTART with VALUE=DATE and
    no DTEND lasts that one day (RFC 5545 §3.6.1). `base_url` ("https://host") makes each item's page a link."""
    stamp = (now or datetime.now(tz=UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PIIS//Deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for item in items:
        lines.extend(event(item, stamp=stamp, host=host, base_url=base_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
