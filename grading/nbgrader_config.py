"""nbgrader configuration of the course. Run nbgrader commands from this folder (grading/).

Paths come from the environment when set, so the same file serves a laptop, Binder and a JupyterHub with
shared storage (see dpdlab/paths.py): DPDLAB_COURSE (this folder) and DPDLAB_EXCHANGE (the exchange).
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

course_root = Path(os.environ.get("DPDLAB_COURSE", Path(__file__).resolve().parent))

c.CourseDirectory.course_id = "dpd-latam"
c.CourseDirectory.root = str(course_root)
c.CourseDirectory.db_url = f"sqlite:///{course_root / 'gradebook.db'}"

# The exchange (release / fetch / submit / collect). A folder in the course by default; on a shared hub
# set DPDLAB_EXCHANGE to a directory every user can reach.
c.Exchange.root = os.environ.get("DPDLAB_EXCHANGE", str(course_root / "exchange"))
c.Exchange.path_includes_course = True

# Student code must not hang the batch: each cell gets this many seconds (the right trait is
# Execute.timeout; ExecutePreprocessor.timeout is ignored by nbgrader).
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A student who deletes a graded cell still gets it graded: nbgrader restores the missing cells from the
# gradebook instead of sending the notebook to manual grading.
c.OverwriteCells.add_missing_cells = True

# What students see in place of solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Student code is untrusted. Autograding runs each kernel in a bubblewrap sandbox (no solutions, no gradebook,
# no other students' files, no network; memory, process and output limits) and feedback hides hidden tests:
# see dpdlab/grading/execute.py and dpdlab/grading/sandbox.py, and "The sandbox" in grading/README.md. Comparisons with
# plain nbgrader (bench/autograde.py, the sandbox tests) set DPDLAB_STOCK_NBGRADER=1 to leave this out.
if os.environ.get("DPDLAB_STOCK_NBGRADER") != "1":
    from dpdlab.grading.config import configure

    configure(c)
