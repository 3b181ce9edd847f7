"""A certificate as a one-page PDF (A4 landscape), through setu.core.pdf so that a Nepali or Hindi name is
shaped right. It says what the public page says (name, course, dates) and the organiser, the topic areas,
the code and where to check it; nothing else about the participant."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from setu.core.pdf import FONT, document, pdf_bytes
from setu.training.models import Certificate


def _dates(certificate: Certificate) -> str:
    programme = certificate.participant.programme
    if programme.starts_on == programme.ends_on:
        return programme.starts_on.strftime("%d %B %Y")
    return f"{programme.starts_on:%d %B %Y} – {programme.ends_on:%d %B %Y}"


def certificate_pdf(certificate: Certificate, *, verify_url: str, language: str | None = None) -> bytes:
    """The certificate's PDF. `verify_url`: the public page where its code can be checked."""
    participant = certificate.participant
    programme = participant.programme
    with translation.override(language or translation.get_language()):
        pdf = document(title=_("Certificate of participation"), orientation="landscape")
        pdf.set_auto_page_break(False)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_draw_color(40, 70, 120)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
        pdf.set_y(28)
        pdf.set_font(FONT, "", 13)
        pdf.cell(width, 8, programme.organiser.name, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT, "B", 28)
        pdf.cell(width, 14, _("Certificate of participation"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font(FONT, "", 13)
        pdf.cell(width, 8, _("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT, "B", 24)
        pdf.cell(width, 14, participant.name, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT, "", 13)
        pdf.cell(width, 8, _("completed the joint training") if programme.is_joint else _("completed the training"),
                 align="C", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_font(FONT, "B", 18)
        pdf.multi_cell(width, 10, programme.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(width, 7, f"{programme.place} · {_dates(certificate)}", align="C", new_x="LMARGIN",
                       new_y="NEXT")  # fmt: skip
        if programme.topic_labels:
            pdf.multi_cell(width, 7, ", ".join(programme.topic_labels), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.h - 42)
        pdf.set_font(FONT, "", 11)
        trainers = ", ".join(programme.trainer_names)
        if trainers:
            pdf.multi_cell(width, 6, _("Trainers: %(names)s") % {"names": trainers}, align="C", new_x="LMARGIN",
                           new_y="NEXT")  # fmt: skip
        pdf.set_font(FONT, "B", 12)
        pdf.cell(width, 7, _("Verification code: %(code)s") % {"code": certificate.display_code}, align="C",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_font(FONT, "", 10)
        pdf.cell(width, 6, _("Check it at %(url)s") % {"url": verify_url}, align="C", new_x="LMARGIN", new_y="NEXT")
        return pdf_bytes(pdf)
