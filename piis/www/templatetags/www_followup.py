"""{% compliance_table %} and {% evaluation_rows %} (load www_followup): the contract page's evaluations section
(followup/_contract_section.html) made in Python where it looped, the same HTML to the byte and the same message ids.
The compliance table (followup/_compliance_table.html: per contract year three `{% blocktranslate %}`s with date
filters) and the evaluations' rows (per row date filters, get_mode_display, truncatewords, an include of
followup/_person_comments.html and two `{% url %}`s) were most of the section's time (issue 15)."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import ngettext

from piis.core.texts import gettext
from piis.www.rows import _escape, pk_url

register = template.Library()

_NON_COMPLIANT = ("non_compliant_count", "non_compliant_in_person")


def _day(value) -> str:
    """`value|date:"d/m/Y"` of a date (the template's filter printed nothing for no date)."""
    return value.strftime("%d/%m/%Y") if value else ""


def _local(moment):
    """The moment in the current time zone, as the template's date filter took it (template_localtime)."""
    return localtime(moment) if moment and settings.USE_TZ and is_aware(moment) else moment


def _year_row(y) -> str:
    """One contract year's row of followup/_compliance_table.html (the loop's body, as it rendered)."""
    year = y.year
    start, end = _escape(_day(year.start)), _escape(_day(year.end))
    label = gettext("Year %(n)s: %(start)s – %(end)s") % {"n": _escape(y.number), "start": start, "end": end}
    rule = f'<span class="small">({_escape(y.rule_label)})</span>' if year.rule == "quarterly" else ""
    status = y.status
    what = y.missing_text
    if what:
        if status in _NON_COMPLIANT:
            text = gettext("%(what)s were due by %(end)s") % {"what": _escape(what), "end": end}
        else:
            days = y.days_left
            text = ngettext(
                "%(what)s by %(end)s (%(days)s day left)", "%(what)s by %(end)s (%(days)s days left)", days
            ) % {"what": _escape(what), "end": end, "days": _escape(days)}
        missing = (
            f"\n                        \n                            {text}\n                        \n" + " " * 20
        )
    else:
        missing = "\n                        —\n                    "
    return (
        "\n            <tr>"
        '\n                <th scope="row">'
        f"\n                    {label}"
        f"\n                    {rule}"
        "\n                </th>"
        f"\n                <td>{_escape(year.count)}</td>"
        f"\n                <td>{_escape(year.in_person)}</td>"
        "\n                <td>"
        f'\n                    <span class="compliance-status compliance-{_escape(status)}">'
        f"{_escape(y.status_label)}</span>"
        "\n                </td>"
        "\n                <td>"
        f"\n                    {missing}"
        "\n                </td>"
        "\n            </tr>"
        "\n        "
    )


@register.simple_tag
def compliance_table(years) -> SafeString:
    """followup/_compliance_table.html: the evaluations held per contract year, its status and what is missing."""
    rows = "".join(_year_row(y) for y in years)
    return mark_safe(
        "\n"
        '<table class="list compliance">\n'
        f'    <caption class="visually-hidden">{gettext("Evaluations per contract year")}</caption>\n'
        "    <thead>\n"
        "        <tr>\n"
        f'            <th scope="col">{gettext("Contract year")}</th>\n'
        f'            <th scope="col">{gettext("Evaluations")}</th>\n'
        f'            <th scope="col">{gettext("In person")}</th>\n'
        f'            <th scope="col">{gettext("Status")}</th>\n'
        f'            <th scope="col">{gettext("Still missing")}</th>\n'
        "        </tr>\n"
        "    </thead>\n"
        "    <tbody>\n"
        f"        {rows}\n"
        "    </tbody>\n"
        "</table>\n"
    )


def person_comments_html(comments) -> str:
    """followup/_person_comments.html (kept for the evaluation's print page): the person's comments on an evaluation
    written on their portal, or a dash."""
    if not comments:
        return "\n\n    —\n\n"
    disagrees_label = gettext("Disagrees with this evaluation")
    items = []
    for comment in comments:
        written = gettext("Written by the person on their portal, %(date)s") % {
            "date": _escape(_day(_local(comment.created_at)))
        }
        disagrees = comment.disagrees
        strong = f'<strong class="status">{disagrees_label}</strong>' if disagrees else ""
        items.append(
            f'\n            <li class="person-comment{" person-disagrees" if disagrees else ""}">'
            f'\n                <span class="small">{written}</span>'
            f"\n                {strong}"
            f"\n                <q>{linebreaksbr(comment.text, autoescape=True)}</q>"
            "\n            </li>"
            "\n        "
        )
    return f'\n\n    <ul class="plain person-comments">\n        {"".join(items)}\n    </ul>\n\n'


@register.simple_tag(takes_context=True)
def evaluation_rows(context, evaluations) -> SafeString:
    """The rows of the contract page's table of evaluations held (the loop of followup/_contract_section.html): date,
    mode, difficulties and adjustments (20 words), the person's comments and the links to print and, while the
    worker may record, to edit."""
    view = gettext("View and print")
    edit = gettext("Edit") if context.get("followup_can_record") else None
    rows = []
    for evaluation in evaluations:
        pk = evaluation.pk
        print_url = _escape(pk_url("followup:evaluation_print", pk))
        edit_link = (
            f'\n                                    · <a href="{_escape(pk_url("followup:evaluation_edit", pk))}">'
            f"{edit}</a>\n                                "
            if edit is not None
            else ""
        )
        rows.append(
            "\n                        <tr>"
            f'\n                            <th scope="row">{_escape(_day(evaluation.held_on))}</th>'
            f"\n                            <td>{_escape(evaluation.get_mode_display())}</td>"
            f"\n                            <td>{_escape(truncatewords(evaluation.difficulties or '—', 20))}</td>"
            f"\n                            <td>{_escape(truncatewords(evaluation.adjustments or '—', 20))}</td>"
            "\n                            <td>"
            f"\n                                {person_comments_html(list(evaluation.person_comments.all()))}"
            "\n                            </td>"
            "\n                            <td>"
            f'\n                                <a href="{print_url}">{view}</a>'
            f"\n                                {edit_link}"
            "\n                            </td>"
            "\n                        </tr>"
            "\n                    "
        )
    return mark_safe("".join(rows))
