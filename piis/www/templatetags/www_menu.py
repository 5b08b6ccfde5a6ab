"""{% main_menu %} (load www_menu): base.html's main menu rendered once per language, script prefix and set of menu
entries, then served from memory (issue 15: a dozen `{% url %}` and `{% translate %}` on every page, which the
framework floor does not pay). The menu holds only links and their labels, no personal data; what it shows depends
on nothing else than the key (the `nav` entries come from the member's role: www.context_processors.tenancy).
Nothing to invalidate while the process runs: URLs and translations change only with a deploy (new processes)."""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

_MENUS: dict[tuple, str] = {}
_MAX_MENUS = 256  # languages × distinct sets of entries (one per role, in practice): far below; never grows unbounded


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    nav = context.get("nav") or {}
    key = (get_language(), get_script_prefix(), frozenset(name for name, shown in nav.items() if shown))
    html = _MENUS.get(key)
    if html is None:
        html = render_to_string("www/_main_menu.html", {"nav": nav})
        if len(_MENUS) < _MAX_MENUS:
            _MENUS[key] = html
    return html
