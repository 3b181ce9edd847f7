"""The annual summary: a fiscal year's counts in the shape of the national report on trafficking in persons
(Nepal: the NHRC's national TIP report, reference/domain.md §3; India: the MHA's returns) and the US Department
of State's TIP report questionnaire: identification and rescue, protection, repatriation, prosecution
(reference/domain.md §9 item 9, "NHRC/TIP-style aggregates").

Fiscal years: Nepal's runs from 1 Shrawan to the end of Asar in Bikram Sambat, mid-July to mid-July
(reference/domain.md §6: "a fiscal year ending mid-July"); India's from 1 April to 31 March. Counts only,
never a name, over the records the user's REPORT_VIEW grant reaches (an organisation's, its districts', or
the node's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.cases import choices
from setu.cases.models import Case, FollowUp, ServiceDelivery, StageRecord, SupportPlan
from setu.core.dates import ad_to_bs, bs_to_ad
from setu.core.enums import Gender
from setu.interceptions.models import InterceptedPerson, Interception
from setu.legal.models import Accused, Prosecution, Verdict
from setu.tracing.models import MissingReport, Status

from .layout import date_text, finish, new_document, paragraph, section, table

SHRAWAN = 4  # the fourth month of Bikram Sambat, when Nepal's fiscal year starts
CARE_STAGES = ("child_care", "adult_care")


@dataclass(frozen=True)
class FiscalYear:
    year: int  # Nepal: the BS year it starts in (2082 for 2082/83); India: the AD year (2025 for 2025–26)
    label: str
    start: dt.date
    end: dt.date  # the first day of the next fiscal year

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def fiscal_year(year: int, node: str | None = None) -> FiscalYear:
    node = node or settings.SETU_NODE
    if node == "NP":
        return FiscalYear(year, f"{year}/{(year + 1) % 100:02d}", bs_to_ad(year, SHRAWAN, 1),
                          bs_to_ad(year + 1, SHRAWAN, 1))  # fmt: skip
    return FiscalYear(year, f"{year}–{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 4, 1))


def fiscal_year_of(day: dt.date, node: str | None = None) -> FiscalYear:
    node = node or settings.SETU_NODE
    if node == "NP":
        bs_year, bs_month, _day = ad_to_bs(day)
        return fiscal_year(bs_year if bs_month >= SHRAWAN else bs_year - 1, node)
    return fiscal_year(day.year if day.month >= 4 else day.year - 1, node)


def recent_fiscal_years(count: int = 6, *, today: dt.date | None = None) -> list[FiscalYear]:
    """This fiscal year and the ones before it, newest first."""
    current = fiscal_year_of(today or timezone.localdate())
    return [fiscal_year(current.year - back) for back in range(count)]


@dataclass
class Line:
    label: str
    value: int


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)


def _scope(grant: policy.Grant, rows: QuerySet, organisation: str = "organisation_id",
           district: str = "district_id") -> QuerySet:  # fmt: skip
    if grant.node_wide:
        return rows
    return rows.filter(
        Q(**{f"{organisation}__in": grant.organisation_ids}) | Q(**{f"{district}__in": grant.district_ids})
    )


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(start, dt.time(), tzinfo=zone), dt.datetime.combine(end, dt.time(), tzinfo=zone)


GENDER_GROUPS = (
    (gettext_lazy("women and girls"), (Gender.FEMININE, Gender.TRANSGENDER_FEMININE)),
    (gettext_lazy("men and boys"), (Gender.MASCULINE, Gender.TRANSGENDER_MASCULINE)),
    (gettext_lazy("other or not known"), (Gender.NON_CONFORMING, Gender.NOT_SPECIFIED)),
)


def annual_figures(user, year: FiscalYear) -> list[Section]:
    """The fiscal year's counts, by section, over what the user's REPORT_VIEW grant reaches."""
    grant = policy.grants(user, Permission.REPORT_VIEW)
    since, until = _window(year.start, year.end)
    cases = _scope(grant, Case.objects.all())
    identified = cases.filter(identified_at__gte=since, identified_at__lt=until)
    by_gender = dict(
        identified.values_list("survivor__gender").annotate(n=Count("id")).values_list("survivor__gender", "n")
    )
    by_nationality = dict(identified.values_list("survivor__nationality").annotate(n=Count("id"))
                          .values_list("survivor__nationality", "n"))  # fmt: skip
    node = settings.SETU_NODE

    def of_type(kind: str) -> int:
        return sum(1 for types in identified.values_list("exploitation_types", flat=True) if kind in (types or []))

    identification = Section(_("Identification and rescue"), [
        Line(_("Survivors identified or rescued"), identified.count()),
        *[Line(_("of them %(group)s") % {"group": label}, sum(by_gender.get(g, 0) for g in genders))
          for label, genders in GENDER_GROUPS],
        Line(_("of them children (under 18 when identified)"), identified.filter(is_minor=True).count()),
        Line(_("of them citizens of this country"), by_nationality.get(node, 0)),
        Line(_("of them foreign citizens"), sum(n for code, n in by_nationality.items() if code and code != node)),
        Line(_("of them victims of sexual exploitation"), of_type(choices.ExploitationType.SEXUAL)),
        Line(_("of them victims of forced labour"), of_type(choices.ExploitationType.FORCED_LABOUR)),
    ])  # fmt: skip
    interceptions = _scope(grant, Interception.objects.filter(intercepted_at__gte=since, intercepted_at__lt=until))
    stopped = InterceptedPerson.objects.filter(interception__in=interceptions)
    identification.lines += [
        Line(_("Interceptions at the border"), interceptions.count()),
        Line(_("People intercepted at the border"), stopped.count()),
    ]
    stages = StageRecord.objects.filter(case__in=cases, entered_at__gte=since, entered_at__lt=until)
    plans = SupportPlan.objects.filter(case__in=cases, starts_on__gte=year.start, starts_on__lt=year.end)
    services = ServiceDelivery.objects.filter(case__in=cases, delivered_on__gte=year.start, delivered_on__lt=year.end)
    visits = FollowUp.objects.filter(case__in=cases, done_on__gte=year.start, done_on__lt=year.end)
    reports = _scope(grant, MissingReport.objects.all(), district="last_seen_district_id")
    protection = Section(_("Protection"), [
        Line(_("Survivors placed in care"), stages.filter(stage__in=CARE_STAGES).values("case").distinct().count()),
        Line(_("Support plans started"), plans.count()),
        Line(_("Services delivered"), services.count()),
        Line(_("Follow-up visits made"), visits.count()),
        Line(_("Missing-person reports registered"),
             reports.filter(reported_on__gte=year.start, reported_on__lt=year.end).count()),
        Line(_("Missing persons found"), reports.filter(status=Status.FOUND, found_at__gte=since,
                                                         found_at__lt=until).count()),
    ])  # fmt: skip
    closed = cases.filter(closed_at__gte=since, closed_at__lt=until)
    repatriation = Section(_("Repatriation and reintegration"), [
        Line(_("Survivors handed over at the border"), stages.filter(action="handover_confirmed").count()),
        Line(_("Survivors who returned home within the country"), stages.filter(action="return_home").count()),
        Line(_("Cases closed as repatriated to the other country"),
             closed.filter(closure_reason=choices.ClosureReason.REPATRIATED).count()),
        Line(_("Cases closed after reintegration"),
             closed.filter(closure_reason=choices.ClosureReason.REINTEGRATED).count()),
    ])  # fmt: skip
    prosecutions = _scope(grant, Prosecution.objects.all())
    accused = Accused.objects.filter(prosecution__in=prosecutions, verdict_on__gte=year.start, verdict_on__lt=year.end)
    registered = prosecutions.filter(opened_on__gte=year.start, opened_on__lt=year.end)
    prosecution = Section(_("Prosecution"), [
        Line(_("Prosecutions registered"), registered.count()),
        Line(_("People accused in them"), Accused.objects.filter(prosecution__in=registered).count()),
        Line(_("Judgments given"), prosecutions.filter(judgment_on__gte=year.start, judgment_on__lt=year.end).count()),
        Line(_("Accused convicted"), accused.filter(verdict=Verdict.CONVICTED).count()),
        Line(_("Accused acquitted"), accused.filter(verdict=Verdict.ACQUITTED).count()),
        Line(_("Accused discharged"), accused.filter(verdict=Verdict.DISCHARGED).count()),
    ])  # fmt: skip
    return [identification, protection, repatriation, prosecution]


def scope_text(user) -> str:
    grant = policy.grants(user, Permission.REPORT_VIEW)
    if grant.node_wide:
        return _("All records of this node.")
    return _("The records of your organisation and its districts only.")


def annual_summary_pdf(user, year: FiscalYear, *, language: str) -> bytes:
    with translation.override(language):
        figures = annual_figures(user, year)
        pdf = new_document(
            _("Annual summary: fiscal year %(year)s") % {"year": year.label},
            _("From %(start)s to %(end)s. %(scope)s") % {"start": date_text(year.start, language=language),
                                                         "end": date_text(year.last_day, language=language),
                                                         "scope": scope_text(user)},
        )  # fmt: skip
        paragraph(pdf, _("Arranged as the national report on trafficking in persons and the US TIP report "
                         "questionnaire: identification, protection, repatriation, prosecution."), size=9)  # fmt: skip
        for part in figures:
            section(pdf, part.title)
            table(pdf, [_("Indicator"), _("Number")], [[line.label, line.value] for line in part.lines],
                  widths=[150, 40])  # fmt: skip
        paragraph(pdf, _("Made by Setu on %(date)s.") % {"date": date_text(timezone.localdate(), language=language)},
                  size=8)  # fmt: skip
        return finish(pdf)
