"""What the list pages print on every row, made in Python once per row instead of by template includes, `{% url %}`s
and `{% blocktranslate %}`s per row (issue 15: the agenda's 50 rows cost more than its queries). Same HTML, same
message ids as the templates they replace (followup/_days_left.html, the agenda's "signing possible since")."""

from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
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


def agenda_row_html(item, today) -> SafeString:
    """One line of the agenda table (followup/agenda.html): when it is due and how long is left, the kind, the file
    (and its PIIS), what to do and on what. Made here rather than in the template's loop: a page of 50 lines is
    about 650 template variables, more than the rest of the page (issue 15). Every value is escaped as the
    template escaped it; the literals are the same message ids."""
    if item.opens_signing and item.due_on <= today:
        when = signing_possible_html(item.due_on)
    else:
        when = days_left_html(item.due_on, today)
    state = " is-overdue" if item.overdue else " is-at-risk" if item.at_risk else ""
    contract = ""
    if item.contract:
        contract = format_html(
            '<br><a class="small" href="{}">{}</a>', pk_url("contracts:detail", item.contract.pk), _literal("PIIS")
        )
    what = format_html('<a href="{}">{}</a>', item.url, item.label) if item.url else conditional_escape(item.label)
    detail = format_html('<br><span class="small">{}</span>', item.detail) if item.detail else ""
    return format_html(
        '<tr class="agenda-{}{}"><th scope="row">{}<br>{}</th><td>{}</td><td><a href="{}">{}</a>{}</td>'
        "<td>{}{}</td></tr>",
        item.kind,
        state,
        item.due_on.strftime("%d/%m/%Y"),
        when,
        item.kind_label,
        pk_url("cases:detail", item.beneficiary.pk),
        item.beneficiary,
        contract,
        what,
        detail,
    )


def _literal(message: str) -> SafeString:
    """{% translate "…" %} of a literal: the translation is not escaped (the catalogue is ours)."""
    return mark_safe(gettext(message))
