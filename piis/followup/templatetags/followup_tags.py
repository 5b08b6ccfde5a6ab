from django import template

register = template.Library()


@register.filter
def days_until(due_on, today) -> int:
    """Days from `today` to `due_on` (negative when overdue)."""
    return (due_on - today).days


@register.filter
def absolute(value: int) -> int:
    return abs(value)
