"""The catalogue of services and partners and the target groups: read by the staff, kept by the CPAS
administrator."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from piis.accounts.perms import can_manage_catalogue, can_view_catalogue
from piis.catalogue.forms import CatalogueEntryForm, TargetGroupForm
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.catalogue.selectors import catalogue_entries, catalogue_entry_get, target_group_get, target_groups
from piis.catalogue.services import catalogue_entry_save, target_group_save
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form


@cpas_permission_required(can_view_catalogue)
def catalogue_list(request):
    entries = list(catalogue_entries(request.cpas).order_by("-active", "name", "id"))
    context = {
        "services": [e for e in entries if not e.is_partner],
        "partners": [e for e in entries if e.is_partner],
        "groups": list(target_groups(request.cpas).order_by("-active", "name", "id")),
        "can_manage": can_manage_catalogue(request.membership),
    }
    return render(request, "catalogue/list.html", context)


def _edit(request, form, save, template: str, obj=None):
    if request.method == "POST" and form.is_valid():
        try:
            save(membership=request.membership, instance=form.instance, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:list")
    return render(request, template, {"form": form, "object": obj})


def _save_entry(*, membership, instance, context):
    return catalogue_entry_save(membership=membership, entry=instance, context=context)


def _save_group(*, membership, instance, context):
    return target_group_save(membership=membership, group=instance, context=context)


@cpas_permission_required(can_manage_catalogue)
def entry_add(request):
    form = CatalogueEntryForm(request.POST or None, instance=CatalogueEntry(), cpas=request.cpas)
    return _edit(request, form, _save_entry, "catalogue/entry_form.html")


@cpas_permission_required(can_manage_catalogue)
def entry_edit(request, entry_id: int):
    entry = catalogue_entry_get(request.cpas, entry_id)
    form = CatalogueEntryForm(request.POST or None, instance=entry, cpas=request.cpas)
    return _edit(request, form, _save_entry, "catalogue/entry_form.html", entry)


@cpas_permission_required(can_manage_catalogue)
def group_add(request):
    form = TargetGroupForm(request.POST or None, instance=TargetGroup(), cpas=request.cpas)
    return _edit(request, form, _save_group, "catalogue/group_form.html")


@cpas_permission_required(can_manage_catalogue)
def group_edit(request, group_id: int):
    group = target_group_get(request.cpas, group_id)
    form = TargetGroupForm(request.POST or None, instance=group, cpas=request.cpas)
    return _edit(request, form, _save_group, "catalogue/group_form.html", group)
