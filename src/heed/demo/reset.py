"""Remove the demo organisation and everything it owns."""

from django.db import transaction

from heed.accounts.models import Organisation, Unit
from heed.demo.seed import DEMO_SLUG
from heed.responses.models import Response


@transaction.atomic
def demo_delete() -> None:
    organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if organisation is None:
        return
    Response.objects.filter(organisation=organisation).delete()
    organisation.surveys.all().delete()
    organisation.users.all().delete()
    for kind in (Unit.Kind.STORE, Unit.Kind.DEPARTMENT, Unit.Kind.REGION):
        organisation.units.filter(kind=kind).delete()
    organisation.delete()
