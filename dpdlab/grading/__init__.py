"""The instructor's semester loop, on top of nbgrader: release, import, autograde, feedback, export.

Every step runs nbgrader's own commands or API on the course directory (``DPDLAB_COURSE``, default
``grading/``) and is safe to run again. Each step has its own module, so that what runs with the grader's
rights and what runs as the student shows in the layout:

==============  =======================================================  ==================================
module          step                                                     runs as
==============  =======================================================  ==================================
``course``      paths, nbgrader, the gradebook; release                  the grader
``importing``   a folder or an LMS export into ``submitted/``            the grader, on untrusted files
``archives``    unpacking an export or a folder: files only, limits      the grader, on untrusted files
``collect``     nbgrader's exchange ``inbound/`` into ``submitted/``     the grader, on untrusted files
``inspection``  is a submission gradable, what was done to it            the grader, on untrusted files
``scheduler``   the class in parallel: a queue of students, the report   the grader
``worker``      one student after another with nbgrader's Autograde      the grader, in a course copy
``execute``     the hand-off of the student's code to the sandbox        the grader
``sandbox``     the kernel that runs the student's code                  the student (unprivileged)
``checker``     the tests, apart from the student's code                 an unprivileged process of its own
``plan``        what each test reads: answers, and the notebook's data   the grader
``transfer``    answers as plain data across that boundary               both sides (decoded with care)
``files``       regular files only, never through a link                 the grader, on untrusted folders
``merge``       worker results into the course's gradebook and folders   the grader
``feedback``    feedback pages, hidden tests hidden                      the grader
``sanitize``    student text in pages (feedback, Formgrader): inert      the grader, on untrusted HTML
``export``      grades and the grading report to CSV                     the grader
``teams``       team assignments: a team id per submission, its members  the grader
``config``      what the course adds to nbgrader's configuration         -
==============  =======================================================  ==================================
"""
# exports load on first use: the student's kernel imports dpdlab.grading.transfer alone, never nbgrader
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "course": ["REPORTS", "course_id", "course_root", "db_url", "exchange_root", "notebook_names",
               "release_assignment"],
    "export": ["export"],
    "feedback": ["feedback"],
    "importing": ["PATTERNS", "ImportReport", "import_submissions", "match_file", "read_roster"],
    "inspection": ["inspect_submission"],
    "plan": ["answered"],
    "scheduler": ["Result", "autograde", "default_jobs", "summary"],
    "teams": ["import_roster", "member_grades", "read_teams", "register", "write_import_roster"],
})
