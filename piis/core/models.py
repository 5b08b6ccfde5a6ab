"""The base of every model that holds one CPAS's data."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models, router
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from piis.core.constraints import constraint_validation_error
from piis.core.texts import choice_labels

_NO_LABEL = object()


class ChoiceDisplay:
    """get_FOO_display() as Django's, from each field's choices made a dict of the active language's labels once per
    field and language (core.texts.choice_labels). Django's builds the dict on every call, and hashing each lazy
    label translates it: every label of the field translated to show one (20-50 µs a call; a page shows dozens, issue
    15). Choices given by a callable are read on every call, as Django reads them."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = choice_labels(field).get(make_hashable(value), _NO_LABEL)
        return label if label is not _NO_LABEL else force_str(value, strings_only=True)


class TenantQuerySet(models.QuerySet):
    def for_cpas(self, cpas):
        """The only way app code reads tenant rows: always inside one CPAS."""
        return self.filter(cpas=cpas)


class TenantModel(ChoiceDisplay, models.Model):
    """A row that belongs to exactly one CPAS.

    Every subclass gets row-level security on PostgreSQL through a migration using
    piis.core.rls.EnableTenantRLS; tests/core/test_isolation.py fails when one is missing.
    """

    cpas = models.ForeignKey("accounts.Cpas", on_delete=models.PROTECT, related_name="+", db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Model.validate_constraints, with each violated constraint's message taken from the error catalogue
        (piis.core.constraints), never Django's text naming the constraint."""
        using = router.db_for_write(type(self), instance=self)
        excluded = set(exclude) if exclude is not None else None
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=excluded, using=using)
                except ValidationError:
                    key, error = constraint_validation_error(constraint.name, exclude=excluded)
                    errors.setdefault(key, []).append(error)
        if errors:
            raise ValidationError(errors)


# Models with a `cpas` key that are not a CPAS's data but a directory that says who may enter which CPAS: read before
# any CPAS is chosen (at login; a calendar client presenting its feed token), so they cannot sit behind the CPAS's
# row-level security. The view that reads one then sets the CPAS for the rest of its transaction.
DIRECTORY_MODELS = frozenset(
    {"accounts.membership", "followup.calendarfeed", "portal.portalaccount", "portal.portalinvitation"}
)

# Models with a `cpas` key that hold no person's data but figures about a whole CPAS, stored so that CPAS can be
# compared (the observatory's equity between CPAS): each is computed under its own CPAS's row-level security, groups
# under 5 people are stored suppressed, and the pages that read them never name another CPAS to a director.
CROSS_CPAS_AGGREGATES = frozenset({"observatory.cpasfigure"})

# Tables derived from the others and recomputed from them by any reader that finds them stale (the deadline table of
# the agendas): a page that only reads may refresh them, so "a read writes nothing" does not watch them.
DERIVED_MODELS = frozenset({"followup.deadline", "followup.deadlinefile"})


def tenant_models() -> list[type[models.Model]]:
    """Every concrete model that holds a CPAS's data (it has a `cpas` foreign key), the directory and the
    cross-CPAS aggregates excepted."""
    from django.apps import apps

    result = []
    for model in apps.get_models():
        if model._meta.label_lower in DIRECTORY_MODELS | CROSS_CPAS_AGGREGATES:
            continue
        try:
            field = model._meta.get_field("cpas")
        except Exception:  # noqa: S112 — the model simply has no cpas field
            continue
        related = field.related_model if field.is_relation else None
        if related is not None and related._meta.label == "accounts.Cpas":
            result.append(model)
    return result
