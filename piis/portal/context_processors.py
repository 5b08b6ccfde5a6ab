"""The portal's header: the person's account, the menu with its icons, the four languages."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Each language named in itself, so that a person who does not read the current one finds theirs.
PORTAL_LANGUAGES = (("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English"))

# (URL name, label, icon). "portal:actions" is the landing page of what the person can ask for (urls_actions.py):
# it appears in the menu as soon as it exists.
MENU = (
    ("portal:home", _("Home"), "portal/icons/home.svg"),
    ("portal:contract", _("My PIIS"), "portal/icons/contract.svg"),
    ("portal:timeline", _("My dates"), "portal/icons/calendar.svg"),
    ("portal:actions", _("Ask"), "portal/icons/ask.svg"),
    ("portal:letters", _("My letters"), "portal/icons/letters.svg"),
    ("portal:rights", _("My rights"), "portal/icons/rights.svg"),
)


def portal(request):
    account = getattr(request, "portal_account", None)
    context = {"portal_languages": PORTAL_LANGUAGES, "portal_account": account}
    if account is None or not request.path_info.startswith("/portal/"):
        return context
    menu = []
    for name, label, icon in MENU:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path_info == url or (url != reverse("portal:home") and request.path_info.startswith(url))
        menu.append({"url": url, "label": label, "icon": icon, "current": current})
    context["portal_menu"] = menu
    return context
