"""`{% load i18n %}` with a `{% translate %}` that keeps what it rendered (TEMPLATES' `libraries` maps "i18n" here).

Django's tag looks its message up on every render: a lazy string made, then resolved, localised and escaped, about
5 µs (10 on a slow machine) for a text that depends only on the language and on whether the page escapes. The
contract page has some sixty of them, base.html six (issue 15). `{% translate "a literal" %}` (with a literal context,
or none, no filter, no `as`) is rendered by Django's own node once per language and escaping and then served from
the node; anything else (a variable, a filter, `as`) is Django's tag unchanged. The same bytes; makemessages reads the
same syntax. Every other tag and filter of the library is Django's. Nothing to invalidate while the process runs:
translations change only with a deploy (new processes)."""

from django import template
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class KeptTranslateNode(i18n.TranslateNode):
    """A `{% translate %}` of a literal: rendered once per language and escaping, then kept."""

    def render(self, context):
        key = (get_language(), context.autoescape)
        kept = self.__dict__.setdefault("_kept", {})
        value = kept.get(key)
        if value is None:
            value = super().render(context)
            if len(kept) < 32:  # languages × escaping: a handful; never grows unbounded
                kept[key] = value
        return value


def _literal(expression) -> bool:
    """A template's own string (no variable, no filter)."""
    if expression is None:
        return True
    var = expression.var
    literal = isinstance(var, str) or (isinstance(var, template.Variable) and var.lookups is None)
    return literal and not expression.filters


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    if not node.asvar and _literal(node.filter_expression) and _literal(node.message_context):
        node.__class__ = KeptTranslateNode
    return node
