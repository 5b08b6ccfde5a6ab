from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure_value(value) -> str:
    """A figure's value as shown: "fewer than 5" when suppressed, a dash when there is nothing to measure."""
    if value is None:
        return "—"
    if value.suppressed:
        return _("fewer than 5")
    if value.value is None:
        return "—"
    return f"{value.value}".replace(".", ",") if _decimal_comma() else f"{value.value}"


@register.filter
def plain_number(number) -> str:
    if number is None:
        return "—"
    return f"{number}".replace(".", ",") if _decimal_comma() else f"{number}"


def _decimal_comma() -> bool:
    from django.utils.formats import get_format

    return get_format("DECIMAL_SEPARATOR") == ","


@register.filter
def get_unit(units, key):
    return units.get(key, "")
