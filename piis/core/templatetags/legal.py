"""`{% load legal %}`: the law as a person reads it (piis.core.legal), never a rule ID."""

from collections.abc import Iterable

from django import template

from piis.core.legal import legal_basis as _legal_basis

register = template.Library()


@register.inclusion_tag("core/_legal_basis.html")
def legal_basis(*rules: str | Iterable[str]) -> dict:
    """A "Legal basis" disclosure with the title and the text of law of each rule: `{% legal_basis "R13" "R15" %}`,
    or a list of rule IDs from the context (`{% legal_basis obligation.legal_rules %}`). Nothing when none is known."""
    ids: list[str] = []
    for rule in rules:
        ids.extend([rule] if isinstance(rule, str) else rule)
    return {"bases": _legal_basis(*ids)}
