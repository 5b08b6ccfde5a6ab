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


@register.filter
def item(sequence, index):
    """The `index`-th element of a list (a figure table's column for its cell's label)."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return None


@register.filter
def label_rows(rows):
    """A figure table's rows as (label, values): from (period, values) pairs or from rows with .label and .values."""
    result = []
    for row in rows:
        if isinstance(row, tuple):
            head, values = row
            result.append((getattr(head, "label", head), values))
        else:
            result.append((row.label, row.values))
    return result
