"""{% ri_decision_row %}, {% income_period_row %}, {% exemption_row %} and {% obligation_box %} (load www_cases): the
rows of the file page's RI decisions, earlier periods and exemptions and its answer on the PIIS obligation
(cases/_section_ri.html, cases/_section_obligation.html) made in Python, the same HTML to the byte and the same message
ids. Each row cost its dates, `{% blocktranslate %}`s and the include of cases/_row_actions.html with its `{% url %}`s,
the obligation's box its two dozen translations, dates and conditions: most of the two sections' time (issue 15)."""

from django import template
from django.template.base import NodeList, TextNode, Variable
from django.template.defaultfilters import floatformat, linebreaksbr
from django.template.defaulttags import IfNode
from django.template.library import SimpleNode
from django.templatetags.i18n import TranslateNode
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from piis.core.templatetags.fast_dates import date_format
from piis.core.templatetags.fast_url import numbered_url
from piis.core.templatetags.legal import legal_basis
from piis.core.texts import gettext
from piis.www.rows import _escape
from piis.www.templatetags.www_contract import _csrf_input, _date

register = template.Library()


def _record_url(name: str, beneficiary_pk: int, kind: str, record_pk: int) -> str:
    """{% url name beneficiary.pk kind record.pk %} (cases:record_edit, cases:record_remove), escaped."""
    return _escape(numbered_url(name, (int(beneficiary_pk), kind, int(record_pk))))


def _row_actions(context, kind: str, record, removable: bool = False) -> str:
    """cases/_row_actions.html as its include wrote it (with `label` the record itself)."""
    beneficiary_pk = context["beneficiary"].pk
    label = _escape(record)
    parts = [
        '\n\n<td class="row-actions">\n    <a href="',
        _record_url("cases:record_edit", beneficiary_pk, kind, record.pk),
        f'">{gettext("Edit")}<span class="visually-hidden"> {label}</span></a>\n    ',
    ]
    if removable:
        remove = _record_url("cases:record_remove", beneficiary_pk, kind, record.pk)
        parts.append(
            f'\n        <form method="post" action="{remove}" class="inline">\n'
            f"            {_csrf_input(context)}\n"
            '            <button type="submit" class="link">\n'
            f'                {gettext("Remove")}<span class="visually-hidden"> {label}</span>\n'
            "            </button>\n        </form>\n    "
        )
    parts.append("\n</td>\n")
    return "".join(parts)


def _period(start_on, end_on) -> str:
    """The blocktranslates "{{ start }} to {{ end }}" / "from {{ start }}" with their dates."""
    if end_on:
        return gettext("%(start)s to %(end)s") % {"start": _date(start_on), "end": _date(end_on)}
    return gettext("from %(start)s") % {"start": _date(start_on)}


def _actions_cell(context, kind: str, record, indent: int, removable: bool = False) -> str:
    """`{% if can_edit %}{% include "cases/_row_actions.html" ... %}{% endif %}` with its lines' whitespace."""
    if not context.get("can_edit"):
        return ""
    pad = " " * indent
    return f"\n{pad}    {_row_actions(context, kind, record, removable)}\n{pad}"


@register.simple_tag(takes_context=True)
def ri_decision_row(context, decision) -> SafeString:
    """One RI decision's row (cases/_section_ri.html)."""
    p24, p28, p32 = " " * 24, " " * 28, " " * 32
    top_up = (
        f'\n{p32}<span class="tag">{gettext("Top-up to wages")}</span>\n{p28}' if decision.employed_with_top_up else ""
    )
    studies = (
        f'\n{p32}<span class="tag">{gettext("Full-time studies (equity)")}</span>\n{p28}'
        if decision.full_time_studies
        else ""
    )
    notes = f'<p class="small">{linebreaksbr(decision.notes, autoescape=True)}</p>' if decision.notes else ""
    return mark_safe(
        f"<tr>\n"
        f'{p24}<th scope="row">{_date(decision.decided_on)}</th>\n'
        f"{p24}<td>{_escape(decision.get_category_display())}</td>\n"
        f"{p24}<td>{_date(decision.requested_on)}</td>\n"
        f"{p24}<td>{_date(decision.notified_on) or '—'}</td>\n"
        f"{p24}<td>\n{p28}\n{p32}{_period(decision.start_on, decision.end_on)}\n{p28}\n{p24}</td>\n"
        f'{p24}<td class="amount">€ {floatformat(decision.monthly_amount, "2g")}</td>\n'
        f"{p24}<td>\n{p28}{top_up}\n{p28}{studies}\n{p28}{notes}\n{p24}</td>\n"
        f"{p24}{_actions_cell(context, 'ri', decision, 24)}\n"
        f"                    </tr>"
    )


@register.simple_tag(takes_context=True)
def income_period_row(context, period) -> SafeString:
    """One earlier period's row (cases/_section_ri.html)."""
    p24 = " " * 24
    return mark_safe(
        f"<tr>\n"
        f'{p24}<th scope="row">{_escape(period.get_kind_display())}</th>\n'
        f"{p24}<td>{_date(period.start_on)}</td>\n"
        f"{p24}<td>{_date(period.end_on)}</td>\n"
        f"{p24}<td>{_escape(period.note) if period.note else '—'}</td>\n"
        f"{p24}{_actions_cell(context, 'period', period, 24, removable=True)}\n"
        f"                    </tr>"
    )


@register.simple_tag(takes_context=True)
def exemption_row(context, row) -> SafeString:
    """One exemption's row (cases/_section_obligation.html), with the whitespace of the `{% with %}` it replaces."""
    e = row.exemption
    p28, p32, p36 = " " * 28, " " * 32, " " * 36
    lifted = ""
    if e.lifted_on:
        lifted = f"\n{p36}<br>\n{p36}{gettext('lifted on %(day)s') % {'day': _date(e.lifted_on)}}\n{p32}"
    return mark_safe(
        f"\n                        <tr>\n"
        f'{p28}<th scope="row">{_escape(e.get_ground_display())}</th>\n'
        f"{p28}<td>\n"
        f'{p32}<span class="tag state-{_escape(row.state)}">{_escape(row.state_label)}</span>\n'
        f"{p28}</td>\n"
        f"{p28}<td>\n"
        f"{p32}{_date(e.decided_on)}, {_escape(e.decided_by)}\n"
        f"{p32}{lifted}\n"
        f"{p28}</td>\n"
        f"{p28}<td>\n{p32}\n{p36}{_period(e.start_on, e.end_on)}\n{p32}\n{p28}</td>\n"
        f"{p28}<td>{_date(e.review_on)}</td>\n"
        f"{p28}<td>{linebreaksbr(e.motivation, autoescape=True)}</td>\n"
        f"{p28}{_actions_cell(context, 'exemption', e, 28)}\n"
        f"                        </tr>\n"
        f"                    "
    )


def _nav_flag(context, name: str):
    """`nav.<name>` as the template looked it up (a dictionary's key, else an attribute)."""
    nav = context.get("nav")
    if isinstance(nav, dict):
        return nav.get(name)
    return getattr(nav, name, None)


def _long_date(value) -> str:
    """`value|date:"DATE_FORMAT"`, escaped; empty when there is no date."""
    return _escape(date_format(value, "DATE_FORMAT")) if value else ""


def _required_lines(obligation) -> list[str]:
    """The deadline, warning and conclusion dates of a required PIIS, and its revived and late notes."""
    concluded = obligation.concluded_on
    lines = [
        '                <dl class="facts">',
        f"                    <dt>{gettext('Deadline to conclude the PIIS')}</dt>",
        "                    <dd>",
        f'                        <strong class="deadline">{_long_date(obligation.deadline)}</strong>',
        "                        ",
    ]
    days = obligation.days_left
    if concluded:
        lines.append("                        ")
    elif days is not None and days >= 0:
        left = ngettext("%(days)s day left", "%(days)s days left", days) % {"days": _escape(localize(days))}
        lines += [f"                            ({left})", "                        "]
    lines += [
        "                    </dd>",
        f"                    <dt>{gettext('Warning date')}</dt>",
        "                    <dd>",
        f"                        {_long_date(obligation.warning_date)}",
        "                    </dd>",
        f"                    <dt>{gettext('PIIS concluded on')}</dt>",
        "                    <dd>",
        f"                        {_long_date(concluded) or gettext('not yet')}",
        "                    </dd>",
        "                </dl>",
        "                ",
    ]
    if obligation.revived:
        revived = gettext(
            "The exemption has ended: the obligation has revived with a new deadline counted from its end."
        )
        lines += [
            '                    <p class="revived">',
            f"                        {revived}",
            "                    </p>",
            "                ",
        ]
    lines.append("                ")
    if obligation.late:
        why = (
            gettext("the PIIS was concluded after its deadline.")
            if concluded
            else gettext("no PIIS has been concluded by the deadline.")
        )
        subsidy = gettext(
            "The special subsidy cannot be claimed for the missed period, and lateness alone never grounds a "
            "sanction against the person."
        )
        lines += [
            '                    <p class="late-flag" role="status">',
            f"                        <strong>{gettext('Late')}</strong> —",
            "                        ",
            f"                            {why}",
            "                        ",
            f"                        {subsidy}",
            "                    </p>",
            "                ",
        ]
    return lines


@register.simple_tag(takes_context=True)
def obligation_box(context, obligation) -> SafeString:
    """The answer on the PIIS obligation of a file with an RI decision (cases/_section_obligation.html): required or
    not and why, the deadline and lateness, the legal basis, the working assumptions (for those who see them) and the
    study PIIS. The same HTML to the byte and the same message ids as the template's branch it replaces (issue 15)."""
    required = obligation.required
    state = "obligation-required" if required else "obligation-optional"
    late = " obligation-late" if obligation.late else ""
    status = gettext("A PIIS is required.") if required else gettext("A PIIS is not required.")
    decided = gettext("From the RI decision of %(day)s.") % {"day": _date(obligation.ri_decision.decided_on)}
    reasons = "".join(
        f'<li data-reason="{_escape(reason.code)}">{_escape(reason.label)}</li>' for reason in obligation.reasons
    )
    lines = [
        f'<div class="obligation-box {state}{late}">',
        '            <p class="obligation-status">',
        "                ",
        f"                    <strong>{status}</strong>",
        "                ",
        f"                {decided}",
        "            </p>",
        f'            <h3 class="visually-hidden">{gettext("Why")}</h3>',
        '            <ul class="reasons">',
        f"                {reasons}",
        "            </ul>",
        "            ",
    ]
    if required:
        lines += _required_lines(obligation)
        lines.append("            ")
    lines += [
        f"            {legal_basis(obligation.legal_rules)}",
        "            ",
        "            ",
    ]
    assumptions = obligation.assumptions
    if _nav_flag(context, "legal_assumptions") and assumptions:
        lines += [
            '                <p class="small">'
            f"{gettext('Working assumptions of the application, to be validated by the legal service:')}</p>",
            '                <ul class="assumptions small">',
            "                    ",
        ]
        for assumption in assumptions:
            lines += [
                f'                        <li data-assumption="{_escape(assumption.code)}">'
                f"{_escape(assumption.label)}</li>",
                "                    ",
            ]
        lines += ["                </ul>", "            "]
    lines += ["        </div>", "        "]
    study = obligation.study
    if study:
        if study.allowed:
            answer = gettext("may be drafted")
            detail = f'<p class="study-piis">{gettext("A study PIIS may be drafted.")}</p>'
        else:
            answer = gettext("needs an equity decision first")
            detail = f'<p class="study-piis blocked">{_escape(study.message)}</p>'
        lines += [
            "            ",
            '            <details class="study-piis-details">',
            "                <summary>",
            f"                    {gettext('Study PIIS')}:",
            "                    ",
            f"                        {answer}",
            "                    ",
            "                </summary>",
            "                ",
            f"                    {detail}",
            "                ",
            "            </details>",
            "        ",
        ]
    return mark_safe("\n".join(lines))


class PerLanguageNode(template.Node):
    """What `{% per_language %}` encloses, rendered once per language and values of its arguments, then kept."""

    _MAX = 64  # languages × the few values of its arguments (booleans): far below; never grows unbounded

    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (get_language(), *(value.resolve(context) for value in self.keys))
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) < self._MAX:
                self.rendered[key] = html
        return html


@register.tag
def per_language(parser, token):
    """`{% per_language can_edit %}...{% endper_language %}`: headings, captions, explanations and table heads whose
    HTML depends only on the language and the values named (never on a record): rendered once and kept, the same
    bytes. Their `{% translate %}`s stay in the template (and in makemessages): about 5 µs each, the file page's
    sections had thirty of them on every request (issue 15)."""
    names = token.split_contents()[1:]
    keys = [parser.compile_filter(bit) for bit in names]
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    for node in _nodes(nodelist):
        _check_kept(node, set(names))
    return PerLanguageNode(nodelist, keys)


def _nodes(nodelist):
    for node in nodelist:
        yield node
        for attr in node.child_nodelists:
            yield from _nodes(getattr(node, attr, None) or [])
        if isinstance(node, IfNode):
            for _condition, inner in node.conditions_nodelists:
                yield from _nodes(inner)


def _check_kept(node, names: set[str]) -> None:
    """What a kept block may hold, checked when the template is read so that no page can ever show another
    request's data from it: text, a `{% translate %}` of a literal, `{% legal_basis %}` of literals, and `{% if %}` on
    the block's named values. Anything else (a variable, an include, a URL, a row tag) is a TemplateSyntaxError."""
    if isinstance(node, TextNode | NodeList):
        return
    if isinstance(node, TranslateNode) and _literal(node.filter_expression) and not node.asvar:
        return
    literal_args = all(_literal(arg) for arg in getattr(node, "args", ()))
    if isinstance(node, SimpleNode) and node.func is legal_basis and not node.kwargs and literal_args:
        return
    if isinstance(node, IfNode):
        for condition, _inner in node.conditions_nodelists:
            if condition is not None and not _condition_on(condition, names):
                break
        else:
            return
    raise template.TemplateSyntaxError(f"per_language may not enclose {node!r}: it would be kept for every request")


def _literal(expression) -> bool:
    """A template's own string (no variable, no filter)."""
    var = expression.var
    literal = isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None)
    return literal and not expression.filters


def _condition_on(condition, names: set[str]) -> bool:
    """Whether an {% if %} condition reads only the named values (`can_edit`, `not can_edit`)."""
    if getattr(condition, "id", None) == "literal":
        var = condition.value.var
        return isinstance(var, Variable) and var.var in names and not condition.value.filters
    return all(_condition_on(part, names) for part in (condition.first, condition.second) if part is not None)
