"""The layout every printable document shares: a header naming the node and the document, sections, label and
value rows, lines to fill by hand, signature blocks and a footer with the page number. Text in any script
(setu.core.pdf: Latin font with Devanagari as its fallback)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from setu.core.dates import DateInputError, format_bs
from setu.core.pdf import FONT, document, pdf_bytes

NODE_LANGUAGES = {"NP": "ne", "IN": "hi"}


def node_language() -> str:
    """The language of this node's documents besides English: Nepali in Nepal, Hindi in India."""
    return NODE_LANGUAGES.get(settings.SETU_NODE, "ne")


def document_languages() -> list[str]:
    return ["en", node_language()]


def date_text(value: dt.date | dt.datetime | None, *, language: str) -> str:
    """A date as YYYY-MM-DD; in Nepali also in Bikram Sambat, in Devanagari digits (the date Nepal's offices
    use). Empty for None."""
    if value is None:
        return ""
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    if language != "ne":
        return day.isoformat()
    try:
        return _("%(bs)s BS (%(ad)s AD)") % {"bs": format_bs(day, devanagari=True), "ad": day.isoformat()}
    except DateInputError:
        return day.isoformat()


def new_document(title: str, subtitle: str = "") -> FPDF:
    """A started document: the page, the node's heading, the title (bold) and an optional subtitle."""
    pdf = document(title=title)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(70, 70, 70)
    node = _("Nepal") if settings.SETU_NODE == "NP" else _("India")
    pdf.cell(width, 5, _("Setu, %(country)s node") % {"country": node}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(width, 8, title, new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    return pdf


def finish(pdf: FPDF) -> bytes:
    """The document's bytes, with "title · page n of m" at the foot of every page (written once the pages
    are counted)."""
    total = pdf.pages_count
    title = pdf.title or ""
    pdf.set_auto_page_break(False)
    for number in range(1, total + 1):
        pdf.page = number
        pdf.set_xy(pdf.l_margin, pdf.h - 12)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(pdf.epw, 5, f"Setu · {title} · {number}/{total}", align="C")
    pdf.set_text_color(0, 0, 0)
    return pdf_bytes(pdf)


def section(pdf: FPDF, heading: str) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    pdf.set_fill_color(230, 236, 245)
    pdf.cell(pdf.epw, 7, heading, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 10)


def fields(pdf: FPDF, rows: list[tuple[str, object]], *, label_width: float = 60) -> None:
    """Label and value, one row each; an empty value shows a dash."""
    for label, value in rows:
        text = str(value) if value not in (None, "") else "–"
        pdf.set_font(FONT, "B", 9)
        y = pdf.get_y()
        pdf.multi_cell(label_width, 5, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(pdf.epw - label_width, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 5) + 1)


def paragraph(pdf: FPDF, text: str, *, size: int = 10) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(pdf.epw, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def table(pdf: FPDF, header: list[str], rows: list[list[object]], *, widths: list[float] | None = None) -> None:
    """A simple table; an empty table says so."""
    if not rows:
        paragraph(pdf, _("None recorded."), size=9)
        return
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True) as grid:
        head = grid.row()
        for title in header:
            head.cell(title)
        for row in rows:
            line = grid.row()
            for value in row:
                line.cell("" if value is None else str(value))
    pdf.ln(2)


def fill_lines(pdf: FPDF, label: str, lines: int = 1) -> None:
    """A label and ruled lines to write on."""
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(pdf.epw, 5, label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(150, 150, 150)
    for _line in range(lines):
        if pdf.get_y() > pdf.h - 25:
            pdf.add_page()
        y = pdf.get_y() + 7
        pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
        pdf.set_y(y + 1)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2)


def signatures(pdf: FPDF, parties: list[str]) -> None:
    """Side by side: signature, name, designation, date, for each party."""
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(4)
    width = pdf.epw / len(parties)
    top = pdf.get_y()
    for index, party in enumerate(parties):
        x = pdf.l_margin + index * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(width - 4, 5, party, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        for label in (_("Signature"), _("Name"), _("Designation and office"), _("Date")):
            pdf.set_x(x)
            pdf.cell(width - 4, 9, f"{label}: ______________________", new_x="LEFT", new_y="NEXT")
    pdf.ln(4)
