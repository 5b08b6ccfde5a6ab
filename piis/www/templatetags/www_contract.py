"""{% commitment_delivery %} (load www_contract): followup/_commitment_delivery.html made in Python, the same HTML to
the byte and the same message ids. The contract page showed it once per commitment through an include, its `{% url
%}`, CSRF input, read version and choices: more than the rest of the commitments' table (issue 15)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from piis.core.templatetags.fast_dates import date_format
from piis.core.templatetags.piis_tags import read_version_input
from piis.core.texts import gettext
from piis.www.rows import _escape, pk_url

register = template.Library()


def _csrf_input(context) -> str:
    """{% csrf_token %}: the hidden input, or nothing when the page has no token."""
    token = context.get("csrf_token")
    if not token:
        return ""
    token = str(token)
    if token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_escape(token)}">'


@register.simple_tag(takes_context=True)
def commitment_delivery(context, clause) -> SafeString:
    """One commitment's due date and delivery status on the contract page; the form records a change while the
    contract is in force (`followup_can_record`)."""
    parts = ["\n\n"]
    if clause.due_on:
        parts.append(
            f'\n    <p class="small">\n        {gettext("due date")}: '
            f"<strong>{_escape(clause.due_on.strftime('%d/%m/%Y'))}</strong>\n    </p>\n"
        )
    since = ""
    if clause.delivery_status_on:
        date = _escape(clause.delivery_status_on.strftime("%d/%m/%Y"))
        since = f"\n        {gettext('since %(date)s') % {'date': date}}\n    "
    parts.append(
        f'\n<p class="small">\n    <span class="badge delivery-{_escape(clause.delivery_status)}">'
        f"{_escape(clause.get_delivery_status_display())}</span>\n    {since}\n</p>\n"
    )
    if context.get("followup_can_record"):
        pk = _escape(clause.pk)
        today = context.get("today")
        day = _escape(today.strftime("%Y-%m-%d")) if today else ""
        status = clause.delivery_status
        options = "".join(
            f'\n                    \n                        <option value="{_escape(value)}"'
            f"{' selected' if value == status else ''}>{_escape(label)}</option>"
            for value, label in context.get("followup_delivery_choices") or ()
        )
        parts.append(
            f'\n    <details class="delivery-form">\n        <summary>\n            {gettext("Record the delivery")}'
            f'<span class="visually-hidden"> {_escape(Truncator(clause.text).chars(40))}</span>\n'
            f"        </summary>\n"
            f'        <form method="post"\n'
            f'              action="{_escape(pk_url("followup:commitment_delivery", clause.pk))}"\n'
            f'              class="form">\n'
            f"            {_csrf_input(context)}\n"
            f"            {read_version_input(clause, 'delivery', clause.pk)}\n"
            f'            <div class="field">\n'
            f'                <label for="delivery-{pk}-status">{gettext("Delivery")}</label>\n'
            f'                <select name="delivery-{pk}-status" id="delivery-{pk}-status">'
            f"{options}\n                    \n"
            f"                </select>\n"
            f"            </div>\n"
            f'            <div class="field">\n'
            f'                <label for="delivery-{pk}-on">{gettext("Since")}</label>\n'
            f'                <input type="date"\n'
            f'                       name="delivery-{pk}-on"\n'
            f'                       id="delivery-{pk}-on"\n'
            f'                       value="{day}"\n'
            f'                       max="{day}"\n'
            f"                       required>\n"
            f"            </div>\n"
            f'            <button type="submit">{gettext("Save")}</button>\n'
            f"        </form>\n"
            f"    </details>\n"
        )
    parts.append("\n")
    return mark_safe("".join(parts))


def _editable(context) -> bool:
    drafting = context.get("drafting")
    return bool(drafting and drafting.get("editable"))


def _date(value) -> str:
    """`value|date:"SHORT_DATE_FORMAT"`, escaped as the template escaped it; empty when there is no date."""
    return _escape(date_format(value, "SHORT_DATE_FORMAT")) if value else ""


def _remove_form(action: str, csrf: str, label: str, visible: str, indent: int) -> list[str]:
    """The inline form that removes one row (its `{% csrf_token %}` and its button named for screen readers)."""
    pad = " " * indent
    return [
        f'{pad}<form method="post"',
        f'{pad}      action="{_escape(action)}"',
        f'{pad}      class="inline">',
        f"{pad}    {csrf}",
        f'{pad}    <button type="submit" class="link">',
        f'{pad}        {label}<span class="visually-hidden"> {visible}</span>',
        f"{pad}    </button>",
        f"{pad}</form>",
    ]


def _step_lines(step, editable: bool, csrf: str, with_label: str) -> list[str]:
    """One row of an objective's steps table (contracts/_drafting.html), one string per line of the template."""
    description = _escape(step.description)
    lines = [
        "                                <tr>",
        '                                    <th scope="row">',
        f"                                        {description}",
        "                                        ",
    ]
    if step.catalogue_entry:
        lines += [
            "                                            <br>",
            f'                                            <span class="small">{with_label}: '
            f"{_escape(step.catalogue_entry.name)}</span>",
            "                                        ",
        ]
    who = step.third_party.name if step.third_party else step.get_owner_display()
    lines += [
        "                                    </th>",
        "                                    <td>",
        "                                        ",
        f"                                            {_escape(who)}",
        "                                        ",
        "                                    </td>",
        f"                                    <td>{_date(step.due_on) or '—'}</td>",
        "                                    ",
    ]
    if editable:
        lines += [
            '                                        <td class="actions">',
            f'                                            <a href="{_escape(pk_url("contracts:step_edit", step.pk))}">'
            f'{gettext("Edit")}<span class="visually-hidden"> {description}</span></a>',
            *_remove_form(pk_url("contracts:step_delete", step.pk), csrf, gettext("Remove"), description, 44),
            "                                        </td>",
            "                                    ",
        ]
    lines.append("                                </tr>")
    return lines


@register.simple_tag(takes_context=True)
def objective_card(context, objective) -> SafeString:
    """One objective of the contract page (contracts/_drafting.html): its facts, the needs it answers, its steps and,
    while the draft is editable, the links and forms that change them. The same HTML to the byte and the same message
    ids as the template's loop it replaces (issue 15: the loops were most of the drafting section's time)."""
    editable = _editable(context)
    csrf = _csrf_input(context) if editable else ""
    with_label = gettext("With")
    title = _escape(objective.title)
    lines = [
        f'<article class="objective card" id="objective-{_escape(objective.pk)}">',
        f"                <h3>{_escape(objective.display_number)}. {title}</h3>",
        '                <dl class="facts">',
        "                    ",
    ]
    entry = objective.catalogue_entry
    if entry:
        contact = f"— {_escape(entry.contact)}" if entry.contact else ""
        lines += [
            f"                        <dt>{with_label}</dt>",
            "                        <dd>",
            f"                            {_escape(entry.name)}",
            f"                            {contact}",
            "                        </dd>",
            "                    ",
        ]
    lines += [
        f"                    <dt>{gettext('Observable result')}</dt>",
        "                    <dd>",
        f"                        {_escape(objective.observable_result)}",
        "                    </dd>",
        f"                    <dt>{gettext('Due date')}</dt>",
        "                    <dd>",
        f"                        {_date(objective.due_on)}",
        "                    </dd>",
        f"                    <dt>{gettext('Needs it answers')}</dt>",
        "                    <dd>",
        '                        <ul class="plain">',
        "                            ",
    ]
    items = objective.assessment_items.all()
    for item in items:
        lines += [
            f"                                <li>{_escape(item.get_domain_display())} — "
            f"{_escape(item.get_kind_display())}: {_escape(item.text)}</li>",
            "                            ",
        ]
    if not items:
        lines += [
            "                                <li>",
            f'                                    <span class="badge badge-bad">{gettext("none")}</span>',
            "                                </li>",
            "                            ",
        ]
    lines += [
        "                        </ul>",
        "                    </dd>",
        "                </dl>",
        f"                <h4>{gettext('Steps')}</h4>",
        "                ",
    ]
    steps = objective.steps.all()
    if steps:
        lines += [
            '                    <table class="list">',
            "                        <thead>",
            "                            <tr>",
            f'                                <th scope="col">{gettext("Step")}</th>',
            f'                                <th scope="col">{gettext("Who")}</th>',
            f'                                <th scope="col">{gettext("By")}</th>',
            "                                ",
        ]
        if editable:
            lines += [
                '                                    <th scope="col">',
                f'                                        <span class="visually-hidden">{gettext("Actions")}</span>',
                "                                    </th>",
                "                                ",
            ]
        lines += [
            "                            </tr>",
            "                        </thead>",
            "                        <tbody>",
            "                            ",
        ]
        for step in steps:
            lines += _step_lines(step, editable, csrf, with_label)
            lines.append("                            ")
        lines += [
            "                        </tbody>",
            "                    </table>",
            "                ",
        ]
    else:
        lines += [
            f'                    <p class="small">{gettext("No step yet.")}</p>',
            "                ",
        ]
    lines.append("                ")
    if editable:
        lines += [
            '                    <p class="actions">',
            f'                        <a class="button" href="{_escape(pk_url("contracts:step_add", objective.pk))}">'
            f"{gettext('Add a step')}</a>",
            f'                        <a href="{_escape(pk_url("contracts:objective_edit", objective.pk))}">'
            f"{gettext('Edit the objective')}</a>",
            "                    </p>",
            *_remove_form(
                pk_url("contracts:objective_delete", objective.pk), csrf, gettext("Remove the objective"), title, 20
            ),
            "                ",
        ]
    lines.append("            </article>")
    return mark_safe("\n".join(lines))


@register.simple_tag(takes_context=True)
def clause_row(context, clause) -> SafeString:
    """One commitment's row in its party's table on the contract page (contracts/_drafting.html): the text and its
    discussion, kind, objective, negotiation badges, due date and delivery and, while editable, its actions. The same
    HTML to the byte and the same message ids as the template's loop it replaces (issue 15)."""
    lines = [
        f'<tr id="clause-{_escape(clause.pk)}">',
        "                                    <td>",
        f"                                        {linebreaksbr(clause.text, autoescape=True)}",
        "                                        ",
    ]
    if clause.discussion:
        lines += [
            '                                            <p class="small">',
            f"                                                <strong>{gettext('Discussion:')}</strong> "
            f"{_escape(clause.discussion)}",
            "                                            </p>",
            "                                        ",
        ]
    lines.append("                                        ")
    if clause.catalogue_entry:
        lines += [
            '                                            <p class="small">',
            f"                                                {gettext('With')}: "
            f"{_escape(clause.catalogue_entry.name)}",
            "                                            </p>",
            "                                        ",
        ]
    objective = clause.objective
    objective_title = objective.title if objective is not None else None
    proposed_by = gettext("proposed by: %(who)s") % {"who": _escape(clause.get_proposed_by_display())}
    if clause.grounds_sanction:
        sanction = f'<span class="badge badge-warn">{gettext("may ground a sanction")}</span>'
    else:
        sanction = f'<span class="badge">{gettext("not sanctionable")}</span>'
    lines += [
        "                                    </td>",
        f"                                    <td>{_escape(clause.kind_label)}</td>",
        f"                                    <td>{_escape(objective_title) if objective_title else '—'}</td>",
        "                                    <td>",
        f'                                        <span class="badge">{proposed_by}</span>',
        f'                                        <span class="badge badge-{_escape(clause.position)}">'
        f"{_escape(clause.get_position_display())}</span>",
        f'                                        <span class="badge obligation-{_escape(clause.obligation)}">'
        f"{_escape(clause.get_obligation_display())}</span>",
        "                                        ",
        f"                                            {sanction}",
        "                                        ",
        "                                        ",
    ]
    if clause.unmodified_template:
        lines += [
            f'                                            <span class="badge">{gettext("template text")}</span>',
            "                                        ",
        ]
    lines += [
        "                                    </td>",
        "                                    <td>",
        f"                                        {commitment_delivery(context, clause)}",
        "                                    </td>",
        "                                    ",
    ]
    if _editable(context):
        text = _escape(Truncator(clause.text).chars(40))
        edit = _escape(pk_url("contracts:clause_edit", clause.pk))
        lines += [
            '                                        <td class="actions">',
            f'                                            <a href="{edit}">{gettext("Edit")}'
            f'<span class="visually-hidden"> {text}</span></a>',
            *_remove_form(
                pk_url("contracts:clause_delete", clause.pk), _csrf_input(context), gettext("Remove"), text, 44
            ),
            "                                        </td>",
            "                                    ",
        ]
    lines.append("                                </tr>")
    return mark_safe("\n".join(lines))
