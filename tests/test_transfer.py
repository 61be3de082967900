"""Answers as plain data (dpdlab.grading.transfer): what crosses from the student's kernel to the checker.

The encoder runs where student code runs, so nothing it writes is trusted: the decoder must turn every
value the course's exercises ask for back into an equal plain value, and refuse anything else with a
specific message, never evaluating, importing or unpickling what it reads.
"""
from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from dpdlab.grading import transfer

VALUES = {
    "none": None, "bool": True, "int": 310_000, "big int": 2**70, "float": 0.25, "nan": float("nan"),
    "text": "@CasaRosadaAR", "list": [1, [2, "x"]], "tuple": (38, 50), "set": {"a", "b"},
    "frozenset": frozenset({1}), "dict": {"transfer": 0.9, 2: (3,), None: []}, "complex": 1 + 2j,
    "numpy int": np.int64(5), "numpy float": np.float32(1.5), "numpy bool": np.bool_(True),
    "numpy date": np.datetime64("2014-01-27"), "array": np.array([[1.0, 2.0], [3.0, 4.0]]),
    "object array": np.array(["a", None], dtype=object),
    "frame": pd.DataFrame({"before": [1.0, 2.0], "after": [3.0, None]},
                          index=pd.Index(["calming", "legal"], name="frame")),
    "frame with dates": pd.DataFrame({"date": pd.to_datetime(["2015-06-03", "2015-06-04"]), "n": [1, 2]}),
    "mixed column": pd.DataFrame({"m": [1, "x"]}),
    "pivot table": pd.DataFrame([[1.0, 2.0]], index=pd.Index(["calming"], name="frame"),
                                columns=pd.Index(["before", "after"], name="phase")),
    "multi-index": pd.DataFrame({"n": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)],
                                                                               names=["k", "i"])),
    "categories": pd.DataFrame({"c": pd.Categorical(["x", "y", "x"])}),
    "nullable ints": pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}),
    "series": pd.Series([1.0, 2.0], index=[3, 4], name="share"),
    "index": pd.Index(["a", "b"], name="k"),
    "timestamp": pd.Timestamp("2015-12-10"), "nat": pd.NaT, "timedelta": pd.Timedelta(days=3),
    "date": dt.date(2020, 1, 1), "datetime": dt.datetime(2020, 1, 1, 12, 30),
    "graph": nx.Graph([("a", "b", {"w": 1})]), "digraph": nx.DiGraph([("Argentina", "Mexico")]),
    "multigraph": nx.MultiDiGraph([(1, 2), (1, 2)]),
}


def same(a, b) -> bool:
    """Equal values of the same type (pandas, networkx and numpy values compared as such)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, pd.DataFrame):
        return (a.equals(b) and a.dtypes.equals(b.dtypes) and list(a.index.names) == list(b.index.names)
                and list(a.columns.names) == list(b.columns.names))
    if isinstance(a, (pd.Series, pd.Index)):
        return a.equals(b) and a.name == b.name
    if isinstance(a, nx.Graph):
        return nx.utils.graphs_equal(a, b)
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and all(x == y for x, y in zip(a.ravel(), b.ravel()))
    if a is pd.NaT or (isinstance(a, float) and a != a):
        return b is pd.NaT or b != b
    return a == b


@pytest.mark.parametrize("name", sorted(VALUES))
def test_every_kind_of_answer_arrives_equal_and_of_the_same_type(name):
    value = VALUES[name]
    assert same(value, transfer.loads(transfer.dumps(value)))


def test_an_object_that_equals_anything_arrives_as_its_plain_data():
    class Always(dict):
        def __eq__(self, other):
            return True

    class AlwaysInt(int):
        def __eq__(self, other):
            return True

        def __lt__(self, other):
            return True

    received = transfer.loads(transfer.dumps({"kinds": Always(a="personal"), "count": AlwaysInt(0)}))
    assert type(received["kinds"]) is dict and received["kinds"] != {"a": "institutional"}
    assert type(received["count"]) is int and received["count"] != 310_000


@pytest.mark.parametrize("value, words", [
    (object(), "of type object"),
    (lambda: 1, "of type function"),
    (type("Custom", (), {})(), "Custom"),
])
def test_what_cannot_be_read_is_refused_with_its_type(value, words):
    with pytest.raises(transfer.Unsupported, match=words):
        transfer.dumps(value)


def test_a_value_that_contains_itself_is_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(transfer.Unsupported, match="levels deep"):
        transfer.dumps(loop)


@pytest.mark.parametrize("text, words", [
    ('{"$t": "eval", "v": "__import__(\'os\')"}', "unknown tag 'eval'"),
    ('{"$t": "np", "dtype": "O", "v": 1}', "dtype 'O' is not allowed"),
    ('{"$t": "ndarray", "dtype": "object", "shape": [-1], "v": []}', "bad array shape"),
    ('{"$t": "graph", "kind": "os.system", "graph": {}, "nodes": [], "edges": []}', "unknown graph kind"),
    (json.dumps({"$t": "frame", "kind": "frame", "name": None,
                 "index": {"names": [None], "multi": False, "dtype": "object", "v": []},
                 "columns": {"names": [None], "multi": False, "dtype": "V8", "v": []}, "data": []}),
     "dtype 'V8' is not allowed"),
    ('{"$t": "set", "v": [[1]]}', "set"),
    ('{"no tag": 1}', "without a type tag"),
    ("[" * 100 + "]" * 100, "levels deep"),
    ("not json", "not JSON"),
])
def test_malformed_data_is_refused_without_running_anything(text, words):
    with pytest.raises(transfer.Malformed, match=words):
        transfer.loads(text)


def test_a_pickle_is_never_unpickled():
    import pickle

    class Trap:
        def __reduce__(self):
            return (exec, ("import sys; sys.modules['dpdlab_pwned'] = 1",))

    payload = pickle.dumps(Trap()).decode("latin-1")
    for text in (json.dumps({"$t": "frame", "kind": "frame", "name": None, "index": payload}), json.dumps(payload)):
        try:
            transfer.loads(text)
        except transfer.Malformed:
            pass
    import sys

    assert "dpdlab_pwned" not in sys.modules


def test_too_large_data_is_refused_both_ways(monkeypatch):
    monkeypatch.setattr(transfer, "LIMIT_BYTES", 1000)
    with pytest.raises(transfer.Unsupported, match="larger than the grader accepts"):
        transfer.dumps("x" * 2000)
    with pytest.raises(transfer.Malformed, match="larger than the grader accepts"):
        transfer.loads(json.dumps("x" * 2000))


def test_capture_describes_each_answer_of_a_namespace():
    namespace = {"q1_kinds": {"a": "personal"}, "days_to_reach": lambda a, b, c: 0, "q9": object()}
    described = {n: transfer.describe_answer(namespace, n) for n in ("q1_kinds", "days_to_reach", "q9", "q2")}
    assert described["q1_kinds"]["$t"] == "value"
    assert transfer.loads(described["q1_kinds"]["json"]) == {"a": "personal"}
    assert described["days_to_reach"] == {"$t": "function"}
    assert described["q9"]["$t"] == "unsupported" and "of type object" in described["q9"]["why"]
    assert described["q2"] == {"$t": "undefined"}


def test_call_returns_the_result_the_changed_arguments_or_the_exception(monkeypatch):
    def remove_first(items):
        items.pop(0)
        return len(items)

    def refuse(x):
        raise ValueError("posts and followers must be more than zero")

    monkeypatch.setattr(transfer, "_user_namespace", lambda: {"remove_first": remove_first, "refuse": refuse})
    reply = json.loads(transfer.call("remove_first", transfer.dumps({"args": [[1, 2, 3]], "kwargs": {}})))
    assert transfer.decode(reply["value"]) == 2 and transfer.decode(reply["args"]) == [[2, 3]]
    reply = json.loads(transfer.call("refuse", transfer.dumps({"args": [1], "kwargs": {}})))
    assert reply["raised"] == {"type": "ValueError", "message": "posts and followers must be more than zero"}
    reply = json.loads(transfer.call("missing", transfer.dumps({"args": [], "kwargs": {}})))
    assert reply["raised"]["type"] == "NameError"
