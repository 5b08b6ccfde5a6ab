from piis.catalogue.enums import EntryKind, TargetGroupBasis
from piis.catalogue.models import CatalogueEntry, TargetGroup


def make_catalogue_entry(cpas, **kwargs) -> CatalogueEntry:
    defaults = {"kind": EntryKind.TRAINING, "name": f"Centre de formation {CatalogueEntry.objects.count() + 1}",
                "contact": "02 555 01 01", "languages": ["fr"], "capacity": 12}  # fmt: skip
    return CatalogueEntry.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_target_group(cpas, **kwargs) -> TargetGroup:
    defaults = {"name": f"Sans-abri {TargetGroup.objects.count() + 1}", "basis": TargetGroupBasis.HOMELESS,
                "criteria": "Personnes sans domicile fixe suivies par le relais social.",
                "policy": "Un PIIS est proposé, jamais imposé, avec un accompagnement vers le logement."}  # fmt: skip
    return TargetGroup.objects.create(cpas=cpas, **{**defaults, **kwargs})
