"""Printable documents (PDF, through setu.core.pdf: HarfBuzz shaping, Noto Sans and Noto Sans Devanagari), each
in English or the node's language (Nepali on the Nepal node, Hindi on the India node): the case summary, the
handover certificate and the home study report form of one case, and the annual summary in the shape of the
national report (NHRC in Nepal) and the US TIP report questionnaire. The views check access and audit."""
