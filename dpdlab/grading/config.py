"""What the course adds to nbgrader's configuration (``grading/nbgrader_config.py`` calls :func:`configure`),
so that plain ``nbgrader autograde`` and ``nbgrader generate_feedback`` use it too, not only ``dpdlab grade``.
"""
from __future__ import annotations

from dpdlab.grading.execute import DpdlabExecute
from dpdlab.grading.feedback import HideHiddenTests

def configure(c) -> None:
    """Install the course's preprocessors in an nbgrader config ``c`` (called by nbgrader_config.py)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    # nbgrader's own autograde pipeline, with DpdlabExecute in place of Execute
    c.Autograde.autograde_preprocessors = [DpdlabExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    # nbgrader's own feedback pipeline, with hidden tests taken out first
    c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
