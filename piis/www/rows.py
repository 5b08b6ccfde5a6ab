"""What the list pages print on every row, made in Python once per row instead of by template includes, `{% url %}`s
and `{% blocktranslate %}`s per row (issue 15: the agenda's 50 rows cost more than its queries). Same HTML, same
message ids as the templates they replace (followup/_days_left.html, the agenda's "signing possible since")."""

import html

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from piis.core.templatetags.fast_dates import date_format
from piis.core.templatetags.fast_url import numbered_url, pk_url_maker
from piis.core.texts import gettext


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose only argument is an integer key, without resolving the pattern on
    every row (core.templatetags.fast_url, which {% url %} uses too)."""
    return numbered_url(name, (int(pk),))


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


def _escape(value) -> str:
    """conditional_escape without its lazy wrapper per call (a tenth of the rows' time): the same text."""
    if isinstance(value, Promise):
        value = str(value)
    as_html = getattr(value, "__html__", None)
    return as_html() if as_html is not None else html.escape(str(value))


def agenda_row_html(item, today, memo: dict | None = None) -> SafeString:
    """One line of the agenda table (followup/agenda.html): when it is due and how long is left, the kind, the file
    (and its PIIS), what to do and on what. Made here rather than in the template's loop: a page of 50 lines is
    about 650 template variables, more than the rest of the page (issue 15). Every value is escaped as the
    template escaped it; the literals are the same message ids. `memo`, shared by the rows of one page (one
    language), keeps what is the same on many lines: the time left per date and kind, the words of a kind."""
    memo = {} if memo is None else memo
    signing = item.opens_signing and item.due_on <= today
    key = (item.due_on, signing)
    when = memo.get(key)
    if when is None:
        when = memo[key] = signing_possible_html(item.due_on) if signing else days_left_html(item.due_on, today)
    state = " is-overdue" if item.overdue else " is-at-risk" if item.at_risk else ""
    contract = ""
    if item.contract:
        piis = memo.get("PIIS")
        if piis is None:
            piis = memo["PIIS"] = _literal("PIIS")
        contract = (
            f'<br><a class="small" href="{_escape(_url(memo, "contracts:detail", item.contract.pk))}">{piis}</a>'
        )
    label = _escape(item.label)
    what = f'<a href="{_escape(item.url)}">{label}</a>' if item.url else label
    detail = f'<br><span class="small">{_escape(item.detail)}</span>' if item.detail else ""
    kind_label = memo.get(("kind", item.kind))
    if kind_label is None:
        kind_label = memo[("kind", item.kind)] = _escape(item.kind_label)
    return mark_safe(
        f'<tr class="agenda-{_escape(item.kind)}{state}"><th scope="row">{_escape(item.due_on.strftime("%d/%m/%Y"))}'
        f"<br>{when}</th><td>{kind_label}</td>"
        f'<td><a href="{_escape(_url(memo, "cases:detail", item.beneficiary.pk))}">{_escape(item.beneficiary)}</a>'
        f"{contract}</td><td>{what}{detail}</td></tr>"
    )


def _url(memo: dict, name: str, pk: int) -> str:
    """pk_url(name, pk), its path looked up once per page (the rows' memo) rather than once per row."""
    make = memo.get(("url", name))
    if make is None:
        make = memo[("url", name)] = pk_url_maker(name)
    return make(pk)


def _literal(message: str) -> SafeString:
    """{% translate "…" %} of a literal: the translation is not escaped (the catalogue is ours)."""
    return mark_safe(gettext(message))


def deadline_list_html(items, list_class: str, list_label: str = "") -> SafeString:
    """www/_deadline_list.html (the home page's overdue and next deadlines), the same HTML to the byte: each item's
    date, kind and file, linking to where the worker acts."""
    label = f' aria-label="{_escape(list_label)}"' if list_label else ""
    lines = "".join(
        f'\n    \n        <li>\n            <a href="{_escape(item.url)}">'
        f"{_escape(date_format(item.due_on, 'SHORT_DATE_FORMAT'))} — {_escape(item.kind_label)} — "
        f"{_escape(item.beneficiary)}</a>\n        </li>"
        for item in items
    )
    return mark_safe(f'\n<ul class="plain small {_escape(list_class)}"{label}>{lines}\n    \n</ul>\n')
