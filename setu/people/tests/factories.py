import factory

from setu.accounts.tests.factories import OrganisationFactory, UserFactory
from setu.geo.models import District, LocalLevel, Province
from setu.people import services
from setu.people.models import Person


def district(name: str = "Morang", *, country: str = "NP", province_code: str = "1") -> District:
    province, _ = Province.objects.get_or_create(
        country=country, code=province_code, defaults={"name_en": f"Province {province_code}"}
    )
    return District.objects.get_or_create(province=province, name_en=name)[0]


def local_level(name: str = "Biratnagar", *, in_district: District | None = None, ward_count: int = 19) -> LocalLevel:
    return LocalLevel.objects.get_or_create(
        district=in_district or district(),
        name_en=name,
        defaults={"kind": LocalLevel.Kind.METROPOLITAN, "ward_count": ward_count},
    )[0]


class PersonFactory(factory.django.DjangoModelFactory):
    """A person saved directly (no audit event); the computed name fields are filled as the services do."""

    class Meta:
        model = Person

    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    location_district = factory.LazyFunction(district)
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        services.refresh_name_fields(person, [])
        person.save()
        services.index_names(person)
        return person
