"""What the person reads on the portal: home, their PIIS, their dates, their rights, their letters. Every page
shows only the person's own file (`request.beneficiary`, see piis.portal.decorators) and records the read."""

from django.shortcuts import render

from piis.portal.decorators import portal_login_required
from piis.portal.selectors import portal_home


@portal_login_required
def home(request):
    context = portal_home(request=request)
    return render(request, "portal/home.html", context)
