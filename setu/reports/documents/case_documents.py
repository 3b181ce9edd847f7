"""The printable documents of one case: its summary, the handover certificate and the home study report form.

What they show is what the case page shows to whoever may see the case, never a sensitive note (testimony,
health, sexual exploitation stay in setu.cases' encrypted notes). The view (setu.reports.views_exports)
reaches the case through setu.cases.selectors.case_get_for (an audited 404 otherwise) and audits the print.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from setu.cases import choices, services
from setu.cases.models import Case
from setu.people.models import Language, Person

from .layout import date_text, fields, fill_lines, finish, new_document, paragraph, section, signatures, table

FAMILY_ROLES = (choices.RelatedRole.GUARDIAN, choices.RelatedRole.PARENT, choices.RelatedRole.SPOUSE,
                choices.RelatedRole.SIBLING, choices.RelatedRole.RELATIVE)  # fmt: skip


def _labels(values, choice_class) -> str:
    known = dict(choice_class.choices)
    return ", ".join(str(known.get(value, value)) for value in values or [])


def _home(person: Person) -> str:
    parts = [person.home_address]
    if person.home_ward:
        parts.append(_("ward %(ward)s") % {"ward": person.home_ward})
    if person.home_local_level:
        parts.append(person.home_local_level.name)
    if person.home_district:
        parts.append(person.home_district.name)
    return ", ".join(part for part in parts if part)


def _person_rows(case: Case, language: str) -> list[tuple[str, object]]:
    person = case.survivor
    name_latin = person.name_latin if person.name_latin != person.full_name else ""
    return [
        (_("Name"), person.full_name),
        (_("Name in Latin letters"), name_latin),
        (_("Sex / gender"), person.get_gender_display()),
        (_("Date of birth"), date_text(person.birth_date, language=language) if person.birth_date else ""),
        (_("Age when identified"), case.age_at_identification if case.age_at_identification is not None else ""),
        (_("Nationality"), person.get_nationality_display()),
        (_("Languages"), _labels(person.languages, Language)),
        (_("Home address"), _home(person)),
    ]


def _case_rows(case: Case, language: str) -> list[tuple[str, object]]:
    return [
        (_("Case number"), case.number),
        (_("Organisation in charge"), case.organisation.name),
        (_("District (jurisdiction)"), case.district.name),
        (_("Identified or rescued at"), date_text(case.identified_at, language=language)),
        (_("Stage"), services.stage_name(case)),
        (_("Status"), case.get_status_display()),
        (_("Way home"), case.get_path_display()),
    ]


def _related(case: Case, roles) -> list:
    return [link for link in case.related_persons.select_related("person") if link.role in roles]


def case_summary_pdf(case: Case, *, language: str) -> bytes:
    """The case on paper: the survivor, the case, its stages, decisions, consents, support and visits."""
    with translation.override(language):
        pdf = new_document(_("Case summary"), _("Case %(number)s") % {"number": case.number})
        section(pdf, _("The survivor"))
        fields(pdf, _person_rows(case, language))
        section(pdf, _("The case"))
        fields(pdf, [
            *_case_rows(case, language),
            (_("Trafficking status"), case.get_trafficking_status_display()),
            (_("Types of exploitation"), _labels(case.exploitation_types, choices.ExploitationType)),
            (_("Methods of control"), _labels(case.control_methods, choices.ControlMethod)),
            (_("Where she was recruited"), case.recruitment_place),
            (_("Where she was exploited"), case.exploitation_place),
            (_("Summary"), case.summary),
        ])  # fmt: skip
        section(pdf, _("Stages"))
        table(pdf, [_("Stage"), _("From"), _("Until")], [
            [services.stage_name(case, record.stage), date_text(record.entered_at, language=language),
             date_text(record.left_at, language=language)]
            for record in case.stages.all()
        ], widths=[90, 50, 50])  # fmt: skip
        section(pdf, _("Decisions"))
        table(pdf, [_("Decision"), _("Date"), _("Decided by"), _("Outcome")], [
            [d.get_kind_display(), date_text(d.decided_on, language=language), d.decider_name, d.outcome]
            for d in case.decisions.all()
        ], widths=[50, 35, 45, 60])  # fmt: skip
        section(pdf, _("Consent"))
        table(pdf, [_("Purpose"), _("Given by"), _("Given at"), _("Withdrawn at")], [
            [c.get_purpose_display(), c.get_given_by_display(), date_text(c.given_at, language=language),
             date_text(c.withdrawn_at, language=language)]
            for c in case.consents.all()
        ], widths=[55, 55, 40, 40])  # fmt: skip
        section(pdf, _("Support plans"))
        table(pdf, [_("Type"), _("Objectives"), _("Start"), _("Planned end")], [
            [p.get_plan_type_display(), p.objectives, date_text(p.starts_on, language=language),
             date_text(p.planned_end, language=language)]
            for p in case.support_plans.all()
        ], widths=[45, 75, 35, 35])  # fmt: skip
        section(pdf, _("Follow-up visits"))
        table(pdf, [_("Due"), _("Visited on"), _("What was found")], [
            [date_text(f.due_on, language=language), date_text(f.done_on, language=language), f.outcome]
            for f in case.follow_ups.all()
        ], widths=[35, 35, 120])  # fmt: skip
        paragraph(pdf, _("Sensitive notes (testimony, health) are not printed: they stay in Setu."), size=8)
        return finish(pdf)


def _decision(case: Case, kind: str):
    return case.decisions.filter(kind=kind, favourable=True).order_by("-decided_on", "-id").first()


def _handover_record(case: Case):
    """The stay that the handover at the border ended, if it is recorded."""
    return case.stages.filter(action="handover_confirmed").order_by("entered_at").first()


def handover_certificate_pdf(case: Case, *, language: str) -> bytes:
    """The certificate signed at the border when the survivor is handed to her country's authorities
    (SOP stage "handover"): who she is, the orders it rests on, and lines for both sides to sign."""
    with translation.override(language):
        pdf = new_document(_("Handover certificate"), _("Case %(number)s") % {"number": case.number})
        country = case.survivor.get_nationality_display() or "______________"
        paragraph(pdf, _("This certifies that the person named below was handed over by %(organisation)s to the "
                         "authorities of %(country)s, with her belongings and documents as listed.")
                  % {"organisation": case.organisation.name, "country": country})  # fmt: skip
        section(pdf, _("The person handed over"))
        fields(pdf, _person_rows(case, language))
        section(pdf, _("The orders"))
        order = _decision(case, choices.DecisionKind.REPATRIATION_ORDER)
        assessment = _decision(case, choices.DecisionKind.BEST_INTEREST_ASSESSMENT)
        verification = _decision(case, choices.DecisionKind.NATIONALITY_VERIFICATION)
        escort = case.documents.filter(doc_type=choices.DocumentType.ESCORT_ORDER).first()
        reference = case.stages.exclude(counterpart_reference="").values_list("counterpart_reference", flat=True)
        fields(pdf, [
            (_("Repatriation order"), _("%(date)s, %(by)s") % {"date": date_text(order.decided_on, language=language),
                                                              "by": order.decider_name} if order else ""),
            (_("Best-interest assessment"), date_text(assessment.decided_on, language=language) if assessment else ""),
            (_("Nationality verified"), date_text(verification.decided_on, language=language) if verification else ""),
            (_("Escort order"), date_text(escort.created_at, language=language) if escort else ""),
            (_("The other country's reference"), ", ".join(reference)),
        ])  # fmt: skip
        section(pdf, _("The handover"))
        record = _handover_record(case)
        if record is not None:
            fields(pdf, [(_("Handover recorded in Setu"), date_text(record.entered_at, language=language))])
        for label, lines in ((_("Border crossing point"), 1), (_("Date and time of handover"), 1),
                             (_("Escorted by (names and offices)"), 2),
                             (_("Belongings and documents handed over"), 3)):  # fmt: skip
            fill_lines(pdf, label, lines)
        signatures(pdf, [_("Handed over by"), _("Received by"), _("Witness")])
        return finish(pdf)


def _family_rows(case: Case) -> list[list[object]]:
    rows = []
    for link in _related(case, FAMILY_ROLES):
        phones = ", ".join(phone.number for phone in link.person.phones.all())
        rows.append([link.person.full_name, link.get_role_display(), phones, link.details])
    return rows


def home_study_form_pdf(case: Case, *, language: str) -> bytes:
    """The home study (home verification) report, to print and fill in at the family's home: what the case
    knows is filled in; the visit's findings, the safety-of-return questions (the best-interest assessment's,
    reference/domain.md §1.2) and the recommendation are left to write."""
    with translation.override(language):
        pdf: FPDF = new_document(_("Home study report"), _(
            "To be filled in by the social worker or local government officer who visits the family. "
            "Filled in from case %(number)s as far as it is known.") % {"number": case.number})  # fmt: skip
        section(pdf, _("The child or survivor"))
        fields(pdf, _person_rows(case, language))
        section(pdf, _("Requested by"))
        fields(pdf, [(_("Organisation in charge"), case.organisation.name), (_("Case number"), case.number)])
        section(pdf, _("Family members known to the case"))
        table(pdf, [_("Name"), _("Relation"), _("Phone"), _("Details")], _family_rows(case), widths=[55, 35, 40, 60])
        section(pdf, _("The visit"))
        visit = [(_("Date of the visit"), 1), (_("People met"), 2), (_("Family members living in the home"), 3),
                 (_("Income and livelihood"), 3), (_("Housing"), 2), (_("Schooling or work"), 2),
                 (_("What neighbours and the ward office say"), 2)]  # fmt: skip
        for label, lines in visit:
            fill_lines(pdf, label, lines)
        section(pdf, _("Safety of return"))
        paragraph(pdf, _("For each question: yes, no or not known, and what was seen or said."), size=9)
        for _key, question in choices.BEST_INTEREST_QUESTIONS:
            fill_lines(pdf, f"{question}   [ ] {_('Yes')}   [ ] {_('No')}   [ ] {_('Not known')}", 1)
        section(pdf, _("Recommendation"))
        paragraph(
            pdf, f"☐ {_('Return to the family is recommended')}    ☐ {_('Return to the family is not recommended')}"
        )
        fill_lines(pdf, _("Reasons"), 4)
        signatures(pdf, [_("Visited by"), _("Ward or municipality office")])
        return finish(pdf)
