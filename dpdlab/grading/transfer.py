"""Answers across the boundary between the student's kernel and the checker, as plain data.

At autograde time the tests of a notebook run in the checker (:mod:`dpdlab.grading.checker`), a process the
student's code never touched. What a test needs from the student crosses over as data, never as live
objects:

* a value (a number, a text, a list, a dict, a set, a DataFrame, a graph...) is encoded *in the student's
  kernel* by :func:`capture` into JSON, and decoded *in the checker* by :func:`loads`;
* a function is not sent at all: the checker calls it through the kernel (:func:`call` runs there, on
  arguments sent the same way, and sends back the result, or the exception's type and message).

The encoding keeps the data and drops the behaviour: a ``dict`` subclass whose ``__eq__`` says yes to
anything arrives as a plain ``dict``. The decoder trusts nothing: it accepts only the tags below, a bounded
size and depth, whitelisted numpy and pandas dtypes and networkx graph kinds. It never unpickles, imports
or evaluates anything it receives.

Tags (``{"$t": tag, ...}``; JSON's own null, booleans, numbers, strings and lists stand for themselves):
``tuple`` ``set`` ``frozenset`` ``dict`` ``complex`` ``np`` (numpy scalar) ``ndarray`` ``frame`` (a pandas
DataFrame, Series or Index: its index, columns, and each column's values and dtype) ``timestamp``
``timedelta`` ``datetime`` ``date`` ``nat`` ``na`` ``graph``; and, for answers, ``undefined``, ``function``,
``value`` and ``unsupported``.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from typing import Any

# Most bytes an answer (or a call's result) may take once encoded, and deepest nesting.
LIMIT_BYTES = 32 * 2**20
MAX_DEPTH = 48

MESSAGES = {
    "unsupported": "of type {kind}, which the grader cannot read (use numbers, text, lists, tuples, dicts, sets, "
                   "numpy arrays, pandas tables or networkx graphs)",
    "too_deep": "nested more than {depth} levels deep (or it contains itself)",
    "too_large": "larger than the grader accepts ({mb:.0f} MB once encoded; the limit is {limit} MB)",
    "malformed": "the data sent for it is malformed ({problem})",
}

NUMPY_KINDS = "biufcmM"  # bool, int, uint, float, complex, timedelta64, datetime64
PANDAS_DTYPE = re.compile(r"u?int(8|16|32|64)|U?Int(8|16|32|64)|float(16|32|64)|Float(32|64)|bool|boolean|object"
                          r"|str|string|category|(datetime|timedelta)64\[(s|ms|us|ns)(, [A-Za-z0-9_/+:-]{1,40})?\]")
GRAPH_KINDS = ("Graph", "DiGraph", "MultiGraph", "MultiDiGraph")


class Unsupported(TypeError):
    """A value the encoding cannot carry; its message says what it is."""


class Malformed(ValueError):
    """Data that does not decode: too large, too deep, or not what the encoder writes."""


# ---------------------------------------------------------------------------------------------------------
# Encoding (runs in the student's kernel: nothing here is trusted by the grader)
# ---------------------------------------------------------------------------------------------------------
def _loaded(module: str):
    """A module if it is already imported (the encoder never imports pandas or networkx itself)."""
    return sys.modules.get(module)


def encode(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-compatible data (see the module's tags); raises :class:`Unsupported`."""
    if depth > MAX_DEPTH:
        raise Unsupported(MESSAGES["too_deep"].format(depth=MAX_DEPTH))
    if value is None or isinstance(value, (bool, str)):
        return bool(value) if isinstance(value, bool) else (None if value is None else str.__str__(value))
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return {"$t": "complex", "v": [value.real, value.imag]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, (tuple, set, frozenset)):
        tag = "tuple" if isinstance(value, tuple) else ("frozenset" if isinstance(value, frozenset) else "set")
        return {"$t": tag, "v": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"$t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    for encoder in (_encode_pandas, _encode_numpy, _encode_graph, _encode_time):
        found = encoder(value, depth)
        if found is not None:
            return found
    raise Unsupported(MESSAGES["unsupported"].format(kind=_kind(value)))


def _kind(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__


def _encode_numpy(value: Any, depth: int):
    np = _loaded("numpy")
    if np is None:
        return None
    if isinstance(value, np.generic):
        if value.dtype.kind not in NUMPY_KINDS:
            return None
        if value.dtype.kind in "mM":
            return {"$t": "np", "dtype": value.dtype.str, "v": int(value.view("i8"))}
        item = value.item()
        return {"$t": "np", "dtype": value.dtype.str, "v": encode(item, depth + 1)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "mM":
            data = value.view("i8").tolist()
        elif value.dtype.kind in NUMPY_KINDS:
            data = value.tolist()
        elif value.dtype.kind == "O":
            data = [encode(v, depth + 1) for v in value.ravel().tolist()]
        else:
            return None
        dtype = value.dtype.str if value.dtype.kind != "O" else "object"
        if dtype != "object":
            data = encode(data, depth + 1) if value.dtype.kind == "c" else data
        return {"$t": "ndarray", "dtype": dtype, "shape": list(value.shape), "v": data}
    return None


def _encode_pandas(value: Any, depth: int):
    pd = _loaded("pandas")
    if pd is None or not isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        return None
    if isinstance(value, pd.DataFrame):
        kind, frame, name = "frame", value, None
    elif isinstance(value, pd.Series):
        kind, frame, name = "series", value.to_frame(name=0), value.name
    else:
        kind, frame, name = "index", pd.DataFrame(index=value), None
    return {"$t": "frame", "kind": kind, "name": encode(name, depth + 1),
            "columns": _encode_index(frame.columns, depth + 1), "index": _encode_index(frame.index, depth + 1),
            "data": [{"dtype": str(frame.dtypes.iloc[i]), "v": encode(frame.iloc[:, i].tolist(), depth + 1)}
                     for i in range(frame.shape[1])]}


def _encode_index(index: Any, depth: int) -> dict:
    multi = getattr(index, "nlevels", 1) > 1
    return {"names": encode(list(index.names), depth + 1), "multi": multi,
            "dtype": "object" if multi else str(index.dtype), "v": encode(list(index), depth + 1)}


def _encode_graph(value: Any, depth: int):
    nx = _loaded("networkx")
    if nx is None or not isinstance(value, nx.Graph):
        return None
    kind = next(k for k in reversed(GRAPH_KINDS) if isinstance(value, getattr(nx, k)))
    multi = value.is_multigraph()
    edges = value.edges(keys=True, data=True) if multi else value.edges(data=True)
    return {"$t": "graph", "kind": kind, "graph": encode(dict(value.graph), depth + 1),
            "nodes": [[encode(n, depth + 1), encode(dict(a), depth + 1)] for n, a in value.nodes(data=True)],
            "edges": [[encode(e[0], depth + 1), encode(e[1], depth + 1),
                       encode(e[2] if multi else None, depth + 1), encode(dict(e[-1]), depth + 1)]
                      for e in edges]}


def _encode_time(value: Any, depth: int):
    pd = _loaded("pandas")
    if pd is not None:
        if value is pd.NaT:
            return {"$t": "nat"}
        if value is pd.NA:
            return {"$t": "na"}
        if isinstance(value, pd.Timestamp):
            return {"$t": "timestamp", "v": value.isoformat()}
        if isinstance(value, pd.Timedelta):
            return {"$t": "timedelta", "v": int(value.value), "unit": "ns"}
    if isinstance(value, _dt.datetime):
        return {"$t": "datetime", "v": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, _dt.timedelta):
        return {"$t": "timedelta", "v": int(value / _dt.timedelta(microseconds=1)), "unit": "us"}
    return None


def dumps(value: Any) -> str:
    """``value`` encoded as JSON text; raises :class:`Unsupported` (also when it is too large)."""
    text = json.dumps(encode(value), allow_nan=True, separators=(",", ":"))
    if len(text) > LIMIT_BYTES:
        raise Unsupported(MESSAGES["too_large"].format(mb=len(text) / 2**20, limit=LIMIT_BYTES // 2**20))
    return text


def _user_namespace() -> dict:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else vars(sys.modules["__main__"])


def describe_answer(namespace: dict, name: str) -> Any:
    """What :func:`capture` sends for one name of ``namespace``."""
    if name not in namespace:
        return {"$t": "undefined"}
    value = namespace[name]
    if callable(value) and not isinstance(value, type):
        return {"$t": "function"}
    try:
        text = dumps(value)
    except Unsupported as problem:
        return {"$t": "unsupported", "why": str(problem)}
    except Exception as error:  # the value's own methods failed while being read
        return {"$t": "unsupported", "why": f"could not be read ({type(error).__name__}: {error})"[:500]}
    return {"$t": "value", "json": text}


def capture(names: list[str]) -> str:
    """Kernel side: the answers ``names`` of the user's namespace, as one JSON text."""
    namespace = _user_namespace()
    return json.dumps({name: describe_answer(namespace, name) for name in names})


def call(name: str, payload: str) -> str:
    """Kernel side: call the user's function ``name`` on the arguments in ``payload`` (JSON of
    ``{"args": [...], "kwargs": {...}}``); return JSON of the result, the arguments as they are after the
    call (a function may change a list or a graph it is given), or the exception raised."""
    request = loads(payload)
    args, kwargs = list(request["args"]), dict(request["kwargs"])
    function = _user_namespace().get(name)
    try:
        if function is None:
            raise NameError(f"name '{name}' is not defined")
        result = function(*args, **kwargs)
    except BaseException as error:  # noqa: B036 - every failure of student code is reported, not raised
        message = str(error)
        return json.dumps({"raised": {"type": type(error).__name__, "message": message[:2000]}})
    try:
        return json.dumps({"value": json.loads(dumps(result)), "args": json.loads(dumps(args)),
                           "kwargs": json.loads(dumps(kwargs))})
    except Unsupported as problem:
        return json.dumps({"unsupported": str(problem)})


# ---------------------------------------------------------------------------------------------------------
# Decoding (runs in the grader and the checker: everything is checked)
# ---------------------------------------------------------------------------------------------------------
def loads(text: str) -> Any:
    """Decode JSON text written by :func:`dumps`; raises :class:`Malformed` for anything else."""
    if not isinstance(text, str):
        raise Malformed(MESSAGES["malformed"].format(problem="not text"))
    if len(text) > LIMIT_BYTES:
        raise Malformed(MESSAGES["too_large"].format(mb=len(text) / 2**20, limit=LIMIT_BYTES // 2**20))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Malformed(MESSAGES["malformed"].format(problem=f"not JSON: {error}"[:200])) from None
    return decode(data)


def decode(data: Any, depth: int = 0) -> Any:
    """The value ``data`` (parsed JSON, as :func:`encode` writes it) stands for."""
    if depth > MAX_DEPTH + 2:
        raise Malformed(MESSAGES["too_deep"].format(depth=MAX_DEPTH))
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1) for v in data]
    if not isinstance(data, dict) or not isinstance(data.get("$t"), str):
        raise Malformed(MESSAGES["malformed"].format(problem="an object without a type tag"))
    tag = data["$t"]
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise Malformed(MESSAGES["malformed"].format(problem=f"unknown tag {tag[:40]!r}"))
    try:
        return decoder(data, depth)
    except Malformed:
        raise
    except Exception as error:  # a wrong shape inside a known tag
        raise Malformed(MESSAGES["malformed"].format(problem=f"{tag}: {type(error).__name__}: {error}"[:300])) \
            from None


def _items(data: dict, depth: int) -> list:
    values = data["v"]
    if not isinstance(values, list):
        raise Malformed(MESSAGES["malformed"].format(problem=f"{data['$t']} without a list"))
    return [decode(v, depth + 1) for v in values]


def _decode_dict(data: dict, depth: int) -> dict:
    result = {}
    for pair in data["v"]:
        if not isinstance(pair, list) or len(pair) != 2:
            raise Malformed(MESSAGES["malformed"].format(problem="a dict item that is not a pair"))
        result[decode(pair[0], depth + 1)] = decode(pair[1], depth + 1)
    return result


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Malformed(MESSAGES["malformed"].format(problem="a number was expected"))
    return value


def _numpy_dtype(name: Any):
    import numpy as np

    if not isinstance(name, str) or len(name) > 32:
        raise Malformed(MESSAGES["malformed"].format(problem="a numpy dtype name was expected"))
    dtype = np.dtype(name)
    if dtype.kind not in NUMPY_KINDS:
        raise Malformed(MESSAGES["malformed"].format(problem=f"numpy dtype {name!r} is not allowed"))
    return dtype


def _decode_np(data: dict, depth: int):
    import numpy as np

    dtype = _numpy_dtype(data["dtype"])
    value = decode(data["v"], depth + 1)
    if dtype.kind in "mM":
        return np.array([int(_number(value))], dtype="i8").view(dtype)[0]
    return dtype.type(value)


def _decode_ndarray(data: dict, depth: int):
    import numpy as np

    shape = data["shape"]
    if not isinstance(shape, list) or not all(isinstance(n, int) and 0 <= n for n in shape) or len(shape) > 32:
        raise Malformed(MESSAGES["malformed"].format(problem="a bad array shape"))
    if data["dtype"] == "object":
        values = _items(data, depth)
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array.reshape(shape)
    dtype = _numpy_dtype(data["dtype"])
    values = decode(data["v"], depth + 1)
    if dtype.kind in "mM":
        return np.array(values, dtype="i8").view(dtype).reshape(shape)
    return np.array(values, dtype=dtype).reshape(shape)


def _pandas_dtype(name: Any):
    """A pandas dtype from its name, for the plain kinds only (numbers, booleans, texts, dates, categories)."""
    import pandas as pd

    if not isinstance(name, str) or not PANDAS_DTYPE.fullmatch(name):
        raise Malformed(MESSAGES["malformed"].format(problem=f"pandas dtype {str(name)[:40]!r} is not allowed"))
    return pd.api.types.pandas_dtype(name)


def _decode_index(data: dict, depth: int):
    import pandas as pd

    names, values = decode(data["names"], depth + 1), decode(data["v"], depth + 1)
    if not isinstance(names, list) or not isinstance(values, list):
        raise Malformed(MESSAGES["malformed"].format(problem="an index without names or values"))
    if data.get("multi"):
        return pd.MultiIndex.from_tuples([tuple(v) for v in values], names=names)
    return pd.Index(values, dtype=_pandas_dtype(data["dtype"]), name=names[0] if names else None)


def _decode_frame(data: dict, depth: int):
    import pandas as pd

    index, columns = _decode_index(data["index"], depth + 1), _decode_index(data["columns"], depth + 1)
    series = [pd.Series(decode(column["v"], depth + 1), index=index, dtype=object)
              .astype(_pandas_dtype(column["dtype"])) for column in data["data"]]
    if len(series) != len(columns):
        raise Malformed(MESSAGES["malformed"].format(problem="a table whose columns and data differ in number"))
    frame = pd.concat(series, axis=1) if series else pd.DataFrame(index=index)
    frame.columns = columns
    kind, name = data["kind"], decode(data.get("name"), depth + 1)
    if kind == "frame":
        return frame
    if kind == "series" and frame.shape[1] == 1:
        return frame.iloc[:, 0].rename(name)
    if kind == "index":
        return frame.index
    raise Malformed(MESSAGES["malformed"].format(problem=f"unknown table kind {str(kind)[:20]!r}"))


def _decode_graph(data: dict, depth: int):
    import networkx as nx

    if data["kind"] not in GRAPH_KINDS:
        raise Malformed(MESSAGES["malformed"].format(problem=f"unknown graph kind {str(data['kind'])[:20]!r}"))
    graph = getattr(nx, data["kind"])()
    graph.graph.update(_attributes(decode(data["graph"], depth + 1)))
    for node, attributes in data["nodes"]:
        graph.add_node(_hashable(decode(node, depth + 1)), **_attributes(decode(attributes, depth + 1)))
    for u, v, key, attributes in data["edges"]:
        ends = (_hashable(decode(u, depth + 1)), _hashable(decode(v, depth + 1)))
        if graph.is_multigraph():
            graph.add_edge(*ends, key=_hashable(decode(key, depth + 1)), **_attributes(decode(attributes, depth + 1)))
        else:
            graph.add_edge(*ends, **_attributes(decode(attributes, depth + 1)))
    return graph


def _hashable(value: Any) -> Any:
    hash(value)
    return value


def _attributes(value: Any) -> dict:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise Malformed(MESSAGES["malformed"].format(problem="graph attributes must be a dict with text keys"))
    return value


def _decode_timestamp(data: dict, depth: int):
    import pandas as pd

    return pd.Timestamp(str(data["v"])[:64])


def _decode_timedelta(data: dict, depth: int):
    if data.get("unit") == "ns":
        import pandas as pd

        return pd.Timedelta(int(_number(data["v"])), unit="ns")
    return _dt.timedelta(microseconds=int(_number(data["v"])))


def _decode_nat(data: dict, depth: int):
    import pandas as pd

    return pd.NaT


def _decode_na(data: dict, depth: int):
    import pandas as pd

    return pd.NA


_DECODERS = {
    "tuple": lambda d, depth: tuple(_items(d, depth)),
    "set": lambda d, depth: set(map(_hashable, _items(d, depth))),
    "frozenset": lambda d, depth: frozenset(map(_hashable, _items(d, depth))),
    "dict": _decode_dict,
    "complex": lambda d, depth: complex(_number(d["v"][0]), _number(d["v"][1])),
    "np": _decode_np,
    "ndarray": _decode_ndarray,
    "frame": _decode_frame,
    "graph": _decode_graph,
    "timestamp": _decode_timestamp,
    "timedelta": _decode_timedelta,
    "datetime": lambda d, depth: _dt.datetime.fromisoformat(str(d["v"])[:64]),
    "date": lambda d, depth: _dt.date.fromisoformat(str(d["v"])[:32]),
    "nat": _decode_nat,
    "na": _decode_na,
}

