"""What the course adds to nbgrader's configuration (``grading/nbgrader_config.py`` calls :func:`configure`),
so that plain ``nbgrader autograde`` and ``nbgrader generate_feedback`` use it too, not only ``dpdlab grade``.
"""
from __future__ import annotations

from dpdlab.export import ChartsToSVG
from dpdlab.grading.execute import DpdlabExecute
from dpdlab.grading.feedback import HideHiddenTests
from dpdlab.grading.sanitize import FILTERS, PAGE_TEMPLATE, SanitizeStudentContent

def configure(c) -> None:
    """Install the course's preprocessors in an nbgrader config ``c`` (called by nbgrader_config.py)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    # nbgrader's own release pipeline, with each edition's stubs in place of the course's one pair
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import ClearSolutions

    from dpdlab.grading.stubs import EditionStubs

    c.GenerateAssignment.preprocessors = [EditionStubs if p is ClearSolutions else p
                                          for p in GenerateAssignment.class_traits()["preprocessors"].default()]
    # nbgrader's own autograde pipeline, with DpdlabExecute in place of Execute
    c.Autograde.autograde_preprocessors = [DpdlabExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    # nbgrader's own feedback pipeline, with hidden tests taken out first, charts drawn (their specs as SVG,
    # out of the kernel, in a worker with limits) and student content made inert
    c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor, ChartsToSVG,
                                        SanitizeStudentContent]
    # Student text in pages. Feedback and the Formgrader's submission view are both an HTMLExporter built from
    # this config: markdown is rendered through the sanitising filter, outputs are cleaned (charts become
    # images), and the page template adds a Content-Security-Policy (see dpdlab/grading/sanitize.py).
    # The exporter-level preprocessors are what reach the Formgrader; in feedback they run again, harmlessly.
    c.HTMLExporter.preprocessors = [ChartsToSVG, SanitizeStudentContent]
    c.HTMLExporter.filters = dict(FILTERS)
    c.HTMLExporter.template_file = str(PAGE_TEMPLATE)  # an absolute path: nbconvert adds its folder
    # no "¶" links on headings: the cleaned HTML keeps no in-page links (each would open a new tab)
    c.HTMLExporter.exclude_anchor_links = True
    c.ExchangeFactory.collect = "dpdlab.grading.collect.SafeExchangeCollect"  # inbound/: regular files only
