import factory

from setu.accounts.models import Membership, Organisation, User
from setu.core.enums import Country, OrganisationType

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = OrganisationType.NGO
    country = Country.NEPAL

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "caseworker"


def make_user(username: str, role: str, organisation: Organisation) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
