"""{% deadline_list items "class" label %} (load www_rows): www/_deadline_list.html made in Python (www.rows), the
same HTML; the home page's two lists cost more through the include than the rest of its cards."""

from django import template

from piis.www.rows import deadline_list_html

register = template.Library()


@register.simple_tag
def deadline_list(items, list_class: str, list_label: str = ""):
    return deadline_list_html(items, list_class, list_label)
