"""What a translated edition's students see in place of solutions: nbgrader's stubs in their language.

nbgrader has one code stub and one text stub per course (``ClearSolutions`` in ``nbgrader_config.py``). The
course releases editions in other languages as assignments of their own; their sources say which edition
they are (``metadata.dpdlab.edition``, written by :mod:`dpdlab.translation`), and :class:`EditionStubs`
uses that edition's stubs for them.
"""
from __future__ import annotations

from nbgrader.preprocessors import ClearSolutions

STUBS = {
    "es": {"code": "# ESCRIBA SU CÓDIGO AQUÍ\nraise NotImplementedError()", "text": "ESCRIBA SU RESPUESTA AQUÍ"},
}


class EditionStubs(ClearSolutions):
    """nbgrader's ``ClearSolutions``, with the stubs of the notebook's edition where it has its own."""

    def preprocess(self, nb, resources):
        stubs = STUBS.get(nb.metadata.get("dpdlab", {}).get("edition", "en"))
        if stubs is None:
            return super().preprocess(nb, resources)
        saved = self.code_stub, self.text_stub
        self.code_stub, self.text_stub = {**self.code_stub, "python": stubs["code"]}, stubs["text"]
        try:
            return super().preprocess(nb, resources)
        finally:
            self.code_stub, self.text_stub = saved
