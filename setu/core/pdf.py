"""PDF documents in English, Nepali and Hindi: fpdf2 with HarfBuzz text shaping and the Noto Sans fonts.

Devanagari needs shaping (conjuncts such as ङ्ग, the vowel sign ि drawn before its consonant, reph), which
fpdf2 does with uharfbuzz when `set_text_shaping` is on. The fonts come from their PyPI packages, under the
SIL Open Font License 1.1: Noto Sans for Latin script and Noto Sans Devanagari for Devanagari. Text is
written in the Latin font with Devanagari as its fallback, so one line may mix both scripts ("Sita सीता").

Both fonts are variable fonts; each style used here is one named instance of its weight axis.

    pdf = document(title="Certificate")
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(text="सीता तामाङ")
    data = pdf_bytes(pdf)

The reports feature reuses this module for Devanagari documents; keep it free of any one app's layout.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg
from fpdf import FPDF

# The family names the documents use: FONT for all text (Latin glyphs), DEVANAGARI its fallback.
FONT = "setu-sans"
DEVANAGARI = "setu-devanagari"
# The weight axis of the variable fonts for each style fpdf2 knows.
_WEIGHTS = {"": 400.0, "B": 700.0}


@cache
def font_paths() -> dict[str, Path]:
    """The font files, from the installed font packages (fontpkg-noto-sans, fontpkg-noto-sans-devanagari)."""
    return {FONT: Path(fontpkg.path("Noto Sans")), DEVANAGARI: Path(fontpkg.path("Noto Sans Devanagari"))}


def document(*, title: str = "", author: str = "Setu", orientation: str = "portrait", unit: str = "mm",
             page_format: str = "A4") -> FPDF:  # fmt: skip
    """A new PDF with the fonts registered, shaping on, Devanagari as the fallback of the Latin font, and
    FONT selected at 11 pt. Metadata (title, author) is set; the creation date is left to fpdf2."""
    pdf = FPDF(orientation=orientation, unit=unit, format=page_format)
    for family, path in font_paths().items():
        pdf.add_font(
            family, fname=str(path), variations={style: {"wght": weight} for style, weight in _WEIGHTS.items()}
        )
    pdf.set_fallback_fonts([DEVANAGARI], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_font(FONT, size=11)
    if title:
        pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Setu")
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document as bytes (what an HTTP response or a file gets)."""
    return bytes(pdf.output())
