"""What the list pages print on every row, made in Python once per row instead of by a template include, a `{% url %}`
and a `{% blocktranslate %}` per row (issue 15: the agenda's 50 rows cost more than its queries). Same HTML, same
message ids as the templates they replace (followup/_days_left.html, the agenda's "signing possible since")."""

from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

# A number no real primary key reaches, reversed once per URL name: a row's URL is that path with its own key.
_PLACEHOLDER = "8642097531"


@cache
def _path_of(name: str, prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[int(_PLACEHOLDER)])
    head, placeholder, tail = path.rpartition(_PLACEHOLDER)
    assert placeholder, path
    return head, tail


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose only argument is an integer key, without resolving the pattern on
    every row (the script prefix is part of the cached path)."""
    head, tail = _path_of(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def days_left_html(due_on, today) -> SafeString:
    """followup/_days_left.html: how many days are left until `due_on`, or how long it is overdue."""
    days = (due_on - today).days
    if days < 0:
        n = -days
        text = ngettext("%(n)s day overdue", "%(n)s days overdue", n) % {"n": n}
        return mark_safe(f'<span class="deadline-overdue">{text}</span>')
    if days == 0:
        return mark_safe(f'<span class="deadline-soon">{gettext("today")}</span>')
    text = ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    return mark_safe(f'<span class="deadline-left">{text}</span>')


def signing_possible_html(due_on) -> SafeString:
    """The agenda's line for a reflection period that has ended: the PIIS may be signed since that day."""
    text = gettext("signing possible since %(date)s") % {"date": due_on.strftime("%d/%m/%Y")}
    return mark_safe(f'<span class="deadline-reached">{text}</span>')
