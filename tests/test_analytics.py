"""Class analytics: the tables and views on a small hand-made gradebook whose answers are known."""
from __future__ import annotations

import pandas as pd
import pytest

from dpdlab import analytics
from dpdlab.analytics import Gradebook


@pytest.fixture()
def book() -> Gradebook:
    # three students on "a1": ann full marks, bob fails t2, cid fails t1 and t2; dan did not submit.
    rows = []
    for student, t1, t2, essay in [("ann", 1, 2, 3), ("bob", 1, 0, None), ("cid", 0, 0, 1)]:
        rows += [{"assignment": "a1", "student": student, "notebook": "a1", "cell": "t1", "kind": "test",
                  "score": t1, "max_score": 1.0},
                 {"assignment": "a1", "student": student, "notebook": "a1", "cell": "t2", "kind": "test",
                  "score": t2, "max_score": 2.0},
                 {"assignment": "a1", "student": student, "notebook": "a1", "cell": "essay", "kind": "written",
                  "score": float("nan") if essay is None else essay, "max_score": 3.0}]
    due = pd.Timestamp("2026-03-01 12:00")
    subs = pd.DataFrame([
        {"assignment": "a1", "student": "ann", "status": "on time", "timestamp": due, "duedate": due,
         "hours_late": 0.0, "score": 3.0, "max_score": 3.0},
        {"assignment": "a1", "student": "bob", "status": "late", "timestamp": due + pd.Timedelta(hours=5),
         "duedate": due, "hours_late": 5.0, "score": 1.0, "max_score": 3.0},
        {"assignment": "a1", "student": "cid", "status": "on time", "timestamp": due, "duedate": due,
         "hours_late": 0.0, "score": 0.0, "max_score": 3.0},
        {"assignment": "a1", "student": "dan", "status": "missing", "timestamp": pd.NaT, "duedate": due,
         "hours_late": 0.0, "score": float("nan"), "max_score": 3.0},
    ])
    return Gradebook(pd.DataFrame(rows), subs)


def test_graded_scores_sum_the_autograded_tests(book):
    assert analytics.graded_scores(book, "a1").to_dict() == {"ann": 3, "bob": 1, "cid": 0}


def test_success_rates_per_cell_in_notebook_order(book):
    table = analytics.success_rates(book, "a1")
    assert list(table["cell"]) == ["t1", "t2", "essay"]
    assert list(table["full_marks"]) == [2, 1, 1]
    assert list(table["graded"]) == [3, 3, 2]  # bob's essay is not graded yet
    assert table.loc[table["cell"] == "t2", "share"].item() == pytest.approx(1 / 3)


def test_failed_tests_most_failed_first_and_written_answers_left_out(book):
    table = analytics.failed_tests(book, "a1")
    assert table.to_dict("records") == [{"cell": "t2", "failed": 2, "graded": 3},
                                        {"cell": "t1", "failed": 1, "graded": 3}]


def test_status_counts_name_the_late_and_missing(book):
    table = analytics.status_counts(book, "a1").set_index("status")
    assert table["students"].to_dict() == {"on time": 2, "late": 1, "missing": 1}
    assert table.loc["late", "who"] == "bob" and table.loc["missing", "who"] == "dan"


def test_summary_table_and_views(book):
    summary = analytics.summary_table(book).iloc[0]
    assert (summary["students"], summary["submitted"], summary["late"], summary["missing"]) == (4, 3, 1, 1)
    assert summary["mean autograded score"] == pytest.approx(4 / 3, abs=0.01)
    for view in (analytics.score_distribution(book, "a1"), analytics.exercise_success(book, "a1"),
                 analytics.most_failed(book, "a1"), analytics.late_and_missing(book, "a1"),
                 analytics.class_view(book, "a1")):
        spec = view.chart.to_dict()
        assert spec["title"] and spec["description"]
    assert "1 late and 1 missing" in analytics.late_and_missing(book, "a1").chart.to_dict()["description"]


def test_unknown_assignment_is_named(book):
    with pytest.raises(ValueError, match="No assignment 'a9'.*a1"):
        analytics.exercise_success(book, "a9")


def test_missing_gradebook_says_where(tmp_path):
    with pytest.raises(FileNotFoundError, match="No gradebook at"):
        analytics.load(tmp_path / "gradebook.db")


def test_dashboard_draws_the_chosen_assignment(book):
    box = analytics.dashboard(book, "a1")
    assert box.children[-1].outputs  # the output area was filled when the widget was built


def test_hide_hidden_tests_in_feedback():
    import nbformat

    from dpdlab.grading.feedback import HideHiddenTests, hide_hidden_tests

    source = "check(x > 0, 'hint')\npassed('x')\n### BEGIN HIDDEN TESTS\nassert x == 42\n### END HIDDEN TESTS"
    assert hide_hidden_tests(source) == "check(x > 0, 'hint')\npassed('x')\n# (hidden tests: 1 line(s), not shown in feedback)"
    hidden_error = {"output_type": "error", "ename": "AssertionError", "evalue": "",
                    "traceback": ["\x1b[0;31mAssertionError\x1b[0m", "Cell \x1b[0;32mIn[7], line 4\x1b[0m",
                                  "assert x == 42"]}
    visible_error = {"output_type": "error", "ename": "CheckFailed", "evalue": "✗ x: hint", "traceback": ["✗ x: hint"]}
    for output, redacted in ((hidden_error, True), (visible_error, False)):
        cell = nbformat.v4.new_code_cell(source, outputs=[nbformat.from_dict(output)])
        cell, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
        assert "42" not in cell.source
        assert ("42" not in "".join(cell.outputs[0]["traceback"])) and (
            ("hidden test did not pass" in cell.outputs[0]["traceback"][0]) == redacted)


def test_feedback_keeps_the_reasoning_of_hidden_tests():
    from dpdlab.grading.feedback import hide_hidden_tests

    source = ("check(q in 'abc', 'Choose a, b or c.')\n### BEGIN HIDDEN TESTS\n"
              "# Why: (b) is the only reading the chart supports: the series stops in 2014.\n"
              "assert q == 'b'\n### END HIDDEN TESTS")
    shown = hide_hidden_tests(source)
    assert "# Why: (b) is the only reading the chart supports" in shown
    assert "assert q == 'b'" not in shown
    assert "# (hidden tests: 1 line(s), not shown in feedback)" in shown


def test_a_class_that_mixes_editions_is_shown_whole():
    # "a1" in English and in Spanish ("a1_es", the same graded cells): ann took it in English, bob in Spanish,
    # dan in neither. Each is listed once under "a1", with the edition they took.
    due = pd.Timestamp("2026-03-01 12:00")
    def sub(assignment, student, status, score):
        return {"assignment": assignment, "student": student, "status": status, "duedate": due, "hours_late": 0.0,
                "timestamp": pd.NaT if status == "missing" else due, "score": score, "max_score": 2.0}
    subs = pd.DataFrame([sub("a1", "ann", "on time", 2.0), sub("a1", "bob", "missing", float("nan")),
                         sub("a1", "dan", "missing", float("nan")), sub("a1_es", "ann", "missing", float("nan")),
                         sub("a1_es", "bob", "on time", 0.0), sub("a1_es", "dan", "missing", float("nan"))])
    grades = pd.DataFrame([{"assignment": a, "student": s, "notebook": "a1", "cell": "t1", "kind": "test",
                            "score": score, "max_score": 2.0} for a, s, score in [("a1", "ann", 2.0), ("a1_es", "bob", 0.0)]])
    mixed = analytics._editions_together(Gradebook(grades, subs))
    assert mixed.assignments() == ["a1"]
    rows = mixed.submissions.set_index("student")
    assert rows.loc["ann", "edition"] == "en" and rows.loc["bob", "edition"] == "es" and len(rows) == 3
    assert rows["status"].to_dict() == {"ann": "on time", "bob": "on time", "dan": "missing"}
    assert analytics.graded_scores(mixed, "a1").to_dict() == {"ann": 2.0, "bob": 0.0}
    assert analytics.status_counts(mixed, "a1").set_index("status")["students"].to_dict().get("missing") == 1
    nothing = analytics._editions_together(Gradebook(grades.iloc[0:0], subs.iloc[0:0]))  # a gradebook before grading
    assert {"assignment", "kind", "edition"} <= set(nothing.grades.columns) and nothing.grades.empty
