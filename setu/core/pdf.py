"""PDF documents in English, Nepali and Hindi: fpdf2 with HarfBuzz text shaping and the Noto Sans fonts.

Devanagari needs shaping (conjuncts such as ङ्ग, the vowel sign ि drawn before its consonant, reph), which
fpdf2 does with uharfbuzz when `set_text_shaping` is on. The fonts come from their PyPI packages, under the
SIL Open Font License 1.1: Noto Sans for Latin script and Noto Sans Devanagari for Devanagari. Text is
written in the Latin font with Devanagari as its fallback, so one line may mix both scripts ("Sita सीता").

Both fonts are variable fonts. Regular is their default instance, used as it is; Bold is a static instance
(weight 700) cut with fontTools once per machine and kept in a cache directory, as cutting it takes
seconds (Noto Sans is first cut down to the Latin, Latin-1, Latin Extended and punctuation blocks; its
fallback covers the rest).

    pdf = document(title="Certificate")
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(text="सीता तामाङ")
    data = pdf_bytes(pdf)

The reports feature reuses this module for Devanagari documents; keep it free of any one app's layout.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF

# The family names the documents use: FONT for all text (Latin glyphs), DEVANAGARI its fallback.
FONT = "setu-sans"
DEVANAGARI = "setu-devanagari"
BOLD_WEIGHT = 700
# What of Noto Sans the bold cut keeps: Basic Latin to Latin Extended-B, general punctuation, ₨ and ₹.
_LATIN = [*range(0x20, 0x250), *range(0x2000, 0x2070), 0x20A8, 0x20B9]


@cache
def font_paths() -> dict[str, Path]:
    """The font files, from the installed font packages (fontpkg-noto-sans, fontpkg-noto-sans-devanagari)."""
    return {FONT: Path(fontpkg.path("Noto Sans")), DEVANAGARI: Path(fontpkg.path("Noto Sans Devanagari"))}


def _cache_dir() -> Path:
    directory = Path(tempfile.gettempdir()) / f"setu-pdf-fonts-{os.getuid() if hasattr(os, 'getuid') else 0}"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


@cache
def bold_path(family: str) -> Path:
    """A static bold instance of the family's variable font, cut once and kept (named by the source's hash)."""
    source = font_paths()[family]
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = _cache_dir() / f"{source.stem.split('[')[0]}-{BOLD_WEIGHT}-{digest}.ttf"
    if target.exists():
        return target
    font = TTFont(str(source))
    if family == FONT:
        options = subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_LATIN)
        subsetter.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": BOLD_WEIGHT, "wdth": 100})
    partial = target.with_suffix(f".{os.getpid()}.part")
    static.save(str(partial))
    partial.replace(target)  # atomic: another process never reads half a file
    return target


def document(*, title: str = "", author: str = "Setu", orientation: str = "portrait", unit: str = "mm",
             page_format: str = "A4") -> FPDF:  # fmt: skip
    """A new PDF with the fonts registered, shaping on, Devanagari as the fallback of the Latin font, and
    FONT selected at 11 pt. Metadata (title, author) is set; the creation date is left to fpdf2."""
    pdf = FPDF(orientation=orientation, unit=unit, format=page_format)
    for family, path in font_paths().items():
        pdf.add_font(family, fname=str(path))
        pdf.add_font(family, style="B", fname=str(bold_path(family)))
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
