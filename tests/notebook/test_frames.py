"""``as_frame=True``: pandas DataFrames of the tabular answers, pandas being optional (the
``pandas`` extra). The frames hold exactly the dict answer's rows, columns in JSON order."""

import sys

import pytest

import mlmd_lens
from conftest import FIXTURES, GOOD

pandas = pytest.importorskip("pandas")  # in tests/notebook/requirements.txt


def columns_of(rows):
    keys = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


@pytest.mark.parametrize("name", GOOD)
def test_executions_frame_is_the_dict_answer(name):
    store = mlmd_lens.Store(FIXTURES / name)
    rows = store.executions()["rows"]
    frame = store.executions(as_frame=True)
    assert isinstance(frame, pandas.DataFrame)
    assert frame["id"].tolist() == [r["id"] for r in rows]
    assert list(frame.columns[:6]) == ["id", "name", "type", "pipeline", "stage", "status"]
    if rows:
        assert list(frame.columns) == columns_of(rows)
        assert list(frame.columns) == mlmd_lens._api._ROW_COLUMNS  # an empty store's columns
        assert frame.to_dict("records")[0]["name"] == rows[0]["name"]


def test_executions_frame_takes_the_filters_and_keeps_the_columns_when_empty():
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    page = store.executions(pipeline="mnist", sort="-started", limit=5)
    frame = store.executions(pipeline="mnist", sort="-started", limit=5, as_frame=True)
    assert frame["id"].tolist() == [r["id"] for r in page["rows"]]
    assert list(frame.columns) == columns_of(page["rows"])
    empty = store.executions(status="failed", as_frame=True)  # cmf_small records no state
    assert len(empty) == 0 and list(empty.columns) == list(frame.columns)


@pytest.mark.parametrize("name", ["cmf_small.sqlite", "mlmd_tfx.sqlite", "mlmd_empty.sqlite"])
def test_property_names_frame_is_the_dict_answer(name):
    store = mlmd_lens.Store(FIXTURES / name)
    names = store.property_names()
    frame = store.property_names(as_frame=True)
    assert frame["name"].tolist() == [p["name"] for p in names]
    assert list(frame.columns) == ["name", "custom", "kinds", "executions"]
    assert frame.to_dict("records") == names


@pytest.mark.parametrize("call", ["executions", "property_names"])
def test_without_pandas_as_frame_says_how_to_install_it(monkeypatch, call):
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match=r"pip install pandas"):
        getattr(store, call)(as_frame=True)
    assert getattr(store, call)() == getattr(mlmd_lens.Store(FIXTURES / "cmf_small.sqlite"), call)()
