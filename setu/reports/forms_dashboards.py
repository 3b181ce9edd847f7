"""The dashboards' filters: a period of whole months (from/to, or a whole year, as on the hotspots page, whose
form this extends), an organisation and a district."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from setu.accounts.models import Organisation
from setu.geo.models import District
from setu.interceptions.hotspot_views import HotspotFilterForm
from setu.reports.dashboards import Filters


class NamedChoiceField(forms.ModelChoiceField):
    """Shows the name in the reader's language (Organisation.name, District.name)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class DashboardFilterForm(HotspotFilterForm):
    organisation = NamedChoiceField(label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(),
                                    required=False, empty_label=gettext_lazy("All organisations"))  # fmt: skip
    district = NamedChoiceField(label=gettext_lazy("District"), queryset=District.objects.none(), required=False,
                                empty_label=gettext_lazy("All districts"))  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The hotspots' own filters (crossing point, outcome) do not apply to every section.
        del self.fields["station"], self.fields["outcome"]
        organisations = self.fields["organisation"]
        districts = self.fields["district"]
        assert isinstance(organisations, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        assert isinstance(districts, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        # The node's own organisations and districts: the records counted here are the node's.
        organisations.queryset = Organisation.objects.filter(country=settings.SETU_NODE, is_active=True)
        districts.queryset = District.objects.filter(province__country=settings.SETU_NODE).order_by("name_en")

    def filters(self) -> Filters:  # type: ignore[override]
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        organisation, district = data.get("organisation"), data.get("district")
        return Filters(period=self.period(), organisation_id=organisation.pk if organisation else None,
                       district_id=district.pk if district else None)  # fmt: skip

    def labels(self) -> dict[str, str]:
        """The chosen organisation's and district's names, for the CSV's summary."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data[name].name for name in ("organisation", "district") if data.get(name)}
