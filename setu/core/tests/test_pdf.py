"""setu.core.pdf: Devanagari is shaped and its text survives in the PDF (what a reader copies or searches)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from setu.core.pdf import DEVANAGARI, FONT, bold_path, document, font_paths, pdf_bytes


def _text(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_nepali_and_hindi_names_come_out_as_written():
    pdf = document(title="सेतु")
    pdf.add_page()
    pdf.set_font(FONT, "B", 20)
    pdf.cell(text="सीता तामाङ", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    pdf.cell(text="सुनीता कुमारी — Sunita Kumari", new_x="LMARGIN", new_y="NEXT")
    text = _text(pdf_bytes(pdf))
    assert "सीता तामाङ" in text
    # pypdf may read a gap after a vowel sign as a space ("कु मारी"); the letters themselves must be exact.
    assert "सुनीताकुमारी" in text.replace(" ", "") and "Sunita Kumari" in text


def test_bold_is_a_static_cut_that_keeps_devanagari():
    pdf = document()
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(text="प्रमाणपत्र सीता तामाङ")
    assert "सीता तामाङ" in _text(pdf_bytes(pdf))
    assert bold_path(FONT).name.endswith(".ttf") and "[" not in bold_path(FONT).name


def test_conjuncts_are_shaped_not_drawn_letter_by_letter():
    """With shaping, ङ्ग is one conjunct glyph; without it, the halant would be drawn as its own mark. The
    shaped document has fewer glyphs for the same text, so it is smaller."""
    text = "प्रशिक्षण, सङ्गठन, क्षमता"
    shaped = document()
    shaped.add_page()
    shaped.cell(text=text)
    plain = document()
    plain.set_text_shaping(False)
    plain.add_page()
    plain.cell(text=text)
    assert shaped.get_string_width(text) < plain.get_string_width(text)


def test_the_fonts_come_from_their_packages_with_their_licence():
    paths = font_paths()
    assert set(paths) == {FONT, DEVANAGARI}
    for path in paths.values():
        assert path.is_file() and path.suffix == ".ttf"
        assert (path.parent.parent / "LICENSE").read_text(encoding="utf-8").find("SIL OPEN FONT LICENSE") >= 0


def test_metadata_is_set():
    pdf = document(title="Certificate")
    pdf.add_page()
    reader = PdfReader(io.BytesIO(pdf_bytes(pdf)))
    assert reader.metadata.title == "Certificate" and reader.metadata.author == "Setu"
