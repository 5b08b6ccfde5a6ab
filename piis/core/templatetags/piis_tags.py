from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from piis.core.concurrency import TOKEN_NAME, read_version

register = template.Library()


@register.filter
def css_string(value) -> str:
    """Text safe inside a double-quoted CSS string (e.g. a PDF page footer): CSS escapes, not JavaScript ones."""
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\A "), ("<", "\\3C "), (">", "\\3E ")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 — every character that could end the string or the style block is escaped


@register.filter
def language_name(code) -> str:
    """A language code ("nl") as the name of the language in the active language ("Néerlandais"), never raw."""
    names = dict(settings.LANGUAGES)
    return str(names[code]) if code in names else str(code or "")


@register.simple_tag
def read_version_input(instance, *prefix) -> str:
    """The hidden version input of an edit form written out by hand (piis.core.concurrency): `prefix` is the parts of
    the form's prefix (`{% read_version_input clause "delivery" clause.pk %}` for the prefix "delivery-<pk>")."""
    name = "-".join([*(str(part) for part in prefix), TOKEN_NAME])
    return format_html('<input type="hidden" name="{}" value="{}">', name, read_version(instance))
