from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """Text safe inside a double-quoted CSS string (e.g. a PDF page footer): CSS escapes, not JavaScript ones."""
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\A "), ("<", "\\3C "), (">", "\\3E ")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 — every character that could end the string or the style block is escaped
