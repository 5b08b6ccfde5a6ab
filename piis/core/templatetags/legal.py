"""`{% load legal %}`: the law as a person reads it (piis.core.legal), never a rule ID."""

from collections.abc import Iterable

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from piis.core.legal import legal_basis as _legal_basis

register = template.Library()

# core/_legal_basis.html rendered once per language and list of rules, then served from memory (issue 15: the file
# page shows six, an include each). It holds only the law's text and titles, no value of the request; nothing to
# invalidate while the process runs (the table and the translations change only with a deploy).
_HTML: dict[tuple, SafeString] = {}
_MAX_HTML = 512  # languages × the lists the templates name (a few dozen): far below; never grows unbounded


@register.simple_tag
def legal_basis(*rules: str | Iterable[str]) -> SafeString:
    """A "Legal basis" disclosure with the title and the text of law of each rule: `{% legal_basis "R13" "R15" %}`,
    or a list of rule IDs from the context (`{% legal_basis obligation.legal_rules %}`). Nothing when none is known.
    The same HTML as including core/_legal_basis.html with the rules' bases."""
    ids: list[str] = []
    for rule in rules:
        ids.extend([rule] if isinstance(rule, str) else rule)
    key = (get_language(), tuple(ids))
    html = _HTML.get(key)
    if html is None:
        html = render_to_string("core/_legal_basis.html", {"bases": _legal_basis(*ids)})
        if len(_HTML) < _MAX_HTML:
            _HTML[key] = html
    return html
