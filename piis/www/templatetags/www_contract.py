"""{% commitment_delivery %} (load www_contract): followup/_commitment_delivery.html made in Python, the same HTML to
the byte and the same message ids. The contract page showed it once per commitment through an include, its `{% url
%}`, CSRF input, read version and choices: more than the rest of the commitments' table (issue 15)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from piis.core.templatetags.piis_tags import read_version_input
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
