"""Class analytics for instructors: how did the class do on an assignment? Read from nbgrader's gradebook.

:func:`load` turns a gradebook into two tables (read through nbgrader's ``Gradebook`` API):

* ``grades``: one row per student, assignment and graded cell: ``assignment, student, notebook, cell, kind``
  (``test`` = autograded code cell, ``written`` = manually graded answer), ``score`` (manual score if given,
  else the autograder's; NaN when not graded yet), ``max_score``;
* ``submissions``: one row per student and assignment, submitted or not: ``status`` (``on time``, ``late``,
  ``missing``), ``timestamp``, ``duedate``, ``hours_late``, ``score``, ``max_score``.

The view functions take these tables and an assignment id and return a :class:`~dpdlab.widgets.View`
(score distribution, per-exercise success, tests failed most often, late and missing submissions);
:func:`dashboard` wires them to a dropdown. Notebook: ``grading/analytics/class_analytics.ipynb``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import ipywidgets as w
import pandas as pd

from dpdlab.charts import described
from dpdlab.widgets import View, labelled, linked
from dpdlab.i18n import messages

MESSAGES = messages(__name__, {
    "assignment": "Assignment",
    "unknown_assignment": "No assignment '{assignment}' in this gradebook (it has: {known}).",
    "no_gradebook": "No gradebook at {path}. Autograde first (dpdlab grade autograde ...), or pass its path.",
    "distribution_title": "{assignment}: autograded scores of the {n} graded submissions",
    "distribution_description": ("Histogram of each submission's autograded score out of {max:g}. Median "
                                 "{median:g}; {full} of {n} submissions have full autograded marks."),
    "success_title": "{assignment}: share of students with full marks, per graded cell",
    "success_description": ("One bar per graded cell, in notebook order: the share of graded submissions "
                            "that earned all its points. Lowest: {lowest} ({lowest_share:.0%})."),
    "failed_title": "{assignment}: the autograded tests failed most often",
    "failed_description": ("Number of graded submissions that did not pass each autograded test, most "
                           "failed first. Most failed: {top} ({count} of {n})."),
    "status_title": "{assignment}: submissions on time, late and missing",
    "status_description": "{on_time} on time, {late} late and {missing} missing, out of {students} students.",
    "status_names": {"on time": "on time", "late": "late", "missing": "missing"},
    "no_graded": "No graded submission for {assignment} yet.",
    "summary_columns": {"assignment": "assignment", "students": "students", "submitted": "submitted",
                        "late": "late", "missing": "missing", "graded": "graded",
                        "mean_score": "mean autograded score", "max_score": "out of"},
})
STATUS_ORDER = ["on time", "late", "missing"]


@dataclass
class Gradebook:
    """The two tables of :func:`load`."""

    grades: pd.DataFrame
    submissions: pd.DataFrame

    def assignments(self) -> list[str]:
        return sorted(self.submissions["assignment"].unique())

    def check(self, assignment: str) -> None:
        if assignment not in self.assignments():
            raise ValueError(MESSAGES["unknown_assignment"].format(assignment=assignment,
                                                                   known=", ".join(self.assignments()) or "none"))


def load(path: str | Path | None = None, course_id: str | None = None, editions_together: bool = True) -> Gradebook:
    """Read a gradebook (default: the course's ``gradebook.db``) into :class:`Gradebook` tables.

    A class may take an assignment in several editions (``ni_una_menos`` and its Spanish ``ni_una_menos_es``,
    whose graded cells are the same). With ``editions_together`` each student's submission of either counts
    as the English assignment's (the tables' ``edition`` column says which): the views show the whole class.
    """
    from nbgrader.api import Gradebook as NbGradebook
    from nbgrader.api import MissingEntry

    from dpdlab import grading, paths

    path = Path(path) if path else paths.course_dir() / "gradebook.db"
    if not path.exists():
        raise FileNotFoundError(MESSAGES["no_gradebook"].format(path=path))
    course_id = course_id or grading.course_id(paths.course_dir())
    grades, submissions = [], []
    with NbGradebook(f"sqlite:///{path.resolve()}", course_id) as gradebook:
        students = [s.id for s in gradebook.students]
        for assignment in gradebook.assignments:
            for student in students:
                try:
                    submission = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    submissions.append({"assignment": assignment.name, "student": student, "status": "missing",
                                        "timestamp": pd.NaT, "duedate": assignment.duedate, "hours_late": 0.0,
                                        "score": float("nan"), "max_score": assignment.max_code_score})
                    continue
                late = submission.total_seconds_late
                submissions.append({"assignment": assignment.name, "student": student,
                                    "status": "late" if late > 0 else "on time", "timestamp": submission.timestamp,
                                    "duedate": assignment.duedate, "hours_late": late / 3600,
                                    "score": submission.code_score, "max_score": submission.max_code_score})
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                        grades.append({"assignment": assignment.name, "student": student,
                                       "notebook": notebook.name, "cell": grade.name,
                                       "kind": "test" if grade.cell.cell_type == "code" else "written",
                                       "score": float("nan") if score is None else score,
                                       "max_score": grade.max_score})
    columns = ["assignment", "student", "notebook", "cell", "kind", "score", "max_score"]
    book = Gradebook(pd.DataFrame(grades, columns=columns),
                     pd.DataFrame(submissions, columns=["assignment", "student", "status", "timestamp", "duedate",
                                                        "hours_late", "score", "max_score"]))
    return _editions_together(book) if editions_together else book


def _editions_together(book: Gradebook) -> Gradebook:
    """``book`` with each edition's assignment counted as its English one: per student, the submission made
    (if several, the last), or one 'missing' row."""
    from dpdlab.i18n import english_assignment

    def merged(table: pd.DataFrame) -> pd.DataFrame:
        english = table["assignment"].map(english_assignment)
        edition = [a[len(e) + 1:] or "en" for a, e in zip(table["assignment"], english)]
        return table.assign(assignment=english, edition=edition)

    submissions = merged(book.submissions)
    submissions["missing"] = submissions["status"] == "missing"
    submissions = (submissions.sort_values(["missing", "timestamp"], ascending=[True, False], na_position="last")
                   .drop_duplicates(["assignment", "student"]).drop(columns="missing").sort_index())
    kept = set(zip(submissions["assignment"], submissions["student"], submissions["edition"]))
    grades = merged(book.grades)
    mask = pd.Series([k in kept for k in zip(grades["assignment"], grades["student"], grades["edition"])],
                     index=grades.index, dtype=bool)  # (a list would select columns when the table is empty)
    grades = grades[mask]
    return Gradebook(grades.reset_index(drop=True), submissions.reset_index(drop=True))


# -- tables ----------------------------------------------------------------------------------------------
def graded_scores(book: Gradebook, assignment: str) -> pd.Series:
    """Autograded score of each graded submission of ``assignment`` (index: student)."""
    book.check(assignment)
    rows = book.grades[(book.grades["assignment"] == assignment) & (book.grades["kind"] == "test")]
    graded = rows.dropna(subset=["score"])
    return graded.groupby("student")["score"].sum().sort_index()


def success_rates(book: Gradebook, assignment: str) -> pd.DataFrame:
    """Per graded cell (in first-seen order): graded submissions, how many earned full marks, and the share."""
    book.check(assignment)
    rows = book.grades[(book.grades["assignment"] == assignment)].dropna(subset=["score"])
    order = list(dict.fromkeys(rows["cell"]))
    full = rows.assign(full=rows["score"] >= rows["max_score"])
    table = full.groupby("cell").agg(kind=("kind", "first"), graded=("full", "size"), full_marks=("full", "sum"))
    table["share"] = table["full_marks"] / table["graded"]
    return table.reindex(order).reset_index()


def failed_tests(book: Gradebook, assignment: str, top: int = 10) -> pd.DataFrame:
    """The autograded tests most often failed: ``cell, failed, graded`` (most failed first, ties by name)."""
    rates = success_rates(book, assignment)
    tests = rates[rates["kind"] == "test"].assign(failed=lambda t: t["graded"] - t["full_marks"])
    tests = tests[tests["failed"] > 0].sort_values(["failed", "cell"], ascending=[False, True])
    return tests[["cell", "failed", "graded"]].head(top).reset_index(drop=True)


def status_counts(book: Gradebook, assignment: str) -> pd.DataFrame:
    """How many students submitted on time, late, or not at all; and who was late or missing."""
    book.check(assignment)
    rows = book.submissions[book.submissions["assignment"] == assignment]
    counts = rows["status"].value_counts().reindex(STATUS_ORDER, fill_value=0)
    names = rows.groupby("status")["student"].apply(lambda s: ", ".join(sorted(s))).reindex(STATUS_ORDER,
                                                                                             fill_value="")
    return pd.DataFrame({"status": STATUS_ORDER, "students": counts.values.astype(int),
                         "who": [names[s] if s != "on time" else "" for s in STATUS_ORDER]})


def summary_table(book: Gradebook) -> pd.DataFrame:
    """One row per assignment: students, submitted, late, missing, graded, mean autograded score."""
    rows = []
    for assignment in book.assignments():
        sub = book.submissions[book.submissions["assignment"] == assignment]
        scores = graded_scores(book, assignment)
        rows.append({"assignment": assignment, "students": len(sub), "submitted": int((sub["status"] != "missing").sum()),
                     "late": int((sub["status"] == "late").sum()), "missing": int((sub["status"] == "missing").sum()),
                     "graded": len(scores), "mean_score": round(float(scores.mean()), 2) if len(scores) else None,
                     "max_score": float(sub["max_score"].max())})
    return pd.DataFrame(rows).rename(columns=MESSAGES["summary_columns"])


# -- views -----------------------------------------------------------------------------------------------
def score_distribution(book: Gradebook, assignment: str) -> View:
    scores = graded_scores(book, assignment)
    if scores.empty:
        return View(note=MESSAGES["no_graded"].format(assignment=assignment))
    maximum = float(book.submissions.loc[book.submissions["assignment"] == assignment, "max_score"].max())
    frame = scores.rename("score").reset_index()
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("score:Q", bin=alt.Bin(step=1, extent=[0, maximum + 1]), title=f"autograded score (of {maximum:g})"),
        y=alt.Y("count():Q", title="submissions"))
    chart = described(chart, MESSAGES["distribution_title"].format(assignment=assignment, n=len(scores)),
                      MESSAGES["distribution_description"].format(max=maximum, median=float(scores.median()),
                                                                  full=int((scores >= maximum).sum()), n=len(scores)))
    return View(chart=chart, extra={"scores": scores})


def exercise_success(book: Gradebook, assignment: str) -> View:
    table = success_rates(book, assignment)
    if table.empty:
        return View(note=MESSAGES["no_graded"].format(assignment=assignment))
    lowest = table.sort_values("share").iloc[0]
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("share:Q", title="share with full marks", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        y=alt.Y("cell:N", sort=list(table["cell"]), title=None),
        color=alt.Color("kind:N", title="graded by", sort=["test", "written"]))
    chart = described(chart, MESSAGES["success_title"].format(assignment=assignment),
                      MESSAGES["success_description"].format(lowest=lowest["cell"], lowest_share=lowest["share"]))
    return View(chart=chart, figures=table)


def most_failed(book: Gradebook, assignment: str, top: int = 10) -> View:
    table = failed_tests(book, assignment, top)
    if table.empty:
        return View(note=MESSAGES["no_graded"].format(assignment=assignment), figures=table)
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("failed:Q", title="submissions that failed the test"),
        y=alt.Y("cell:N", sort=list(table["cell"]), title=None))
    chart = described(chart, MESSAGES["failed_title"].format(assignment=assignment),
                      MESSAGES["failed_description"].format(top=table["cell"].iloc[0], count=int(table["failed"].iloc[0]),
                                                            n=int(table["graded"].iloc[0])))
    return View(chart=chart, figures=table)


def late_and_missing(book: Gradebook, assignment: str) -> View:
    table = status_counts(book, assignment)
    counts = dict(zip(table["status"], table["students"]))
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("students:Q", title="students"),
        y=alt.Y("status:N", sort=STATUS_ORDER, title=None),
        color=alt.Color("status:N", sort=STATUS_ORDER, legend=None))
    chart = described(chart, MESSAGES["status_title"].format(assignment=assignment),
                      MESSAGES["status_description"].format(on_time=counts["on time"], late=counts["late"],
                                                            missing=counts["missing"], students=int(table["students"].sum())))
    return View(chart=chart, figures=table)


def class_view(book: Gradebook, assignment: str) -> View:
    """The dashboard's view: the four charts of ``assignment`` stacked, and the late/missing table."""
    views = [score_distribution(book, assignment), exercise_success(book, assignment),
             most_failed(book, assignment), late_and_missing(book, assignment)]
    charts = [v.chart for v in views if v.chart is not None]
    chart = alt.vconcat(*charts).resolve_scale(color="independent") if charts else None
    if chart is not None:
        chart = described(chart, f"{assignment}: class overview",
                          " ".join(c.to_dict().get("description", "") for c in charts))
    return View(chart=chart, figures=views[-1].figures, note=" ".join(v.note for v in views if v.note))


def dashboard(book: Gradebook, assignment: str | None = None) -> w.VBox:
    """Widget: pick an assignment, see :func:`class_view`."""
    names = book.assignments()
    control = labelled(w.Dropdown(options=names, value=assignment or names[0]), MESSAGES["assignment"], "30em")
    return linked(lambda assignment: class_view(book, assignment), {"assignment": control})
