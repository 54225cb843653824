"""Relations between EDTF values (:mod:`proxylens.edtf`): how many days a value leaves open, whether it
is finer than its anchor, how a source's date relates to the record's, and containment in a bound."""

from __future__ import annotations

import doctest
import math

import pytest

from proxylens import edtf


def test_docstring_examples_run():
    assert doctest.testmod(edtf).failed == 0


@pytest.mark.parametrize("value, days", [("2018-07-10", 1), ("2018-07", 28), ("2018", 365),
                                         ("2018-09-27/2018-10-03", 7), ("2020-01-03/..", math.inf)])
def test_resolution_days(value, days):
    assert edtf.resolution_days(value) == days


def test_too_precise_compares_with_the_anchor():
    assert edtf.too_precise("2019-07-19", "2019-07-22/2019-07-28")
    assert not edtf.too_precise("2019-07-15/2019-07-21", "2019-07-22/2019-07-28")
    assert not edtf.too_precise("2018-07", "2018-08-13/2018-08-31")  # "last month"
    assert not edtf.too_precise("2018-07", "2018-08")
    assert edtf.too_precise("2018-07", "2018")
    assert not edtf.too_precise("2018-07", "")


@pytest.mark.parametrize("value, record, relation", [
    ("2018-07", "2018-07-10", "record refines"),
    ("2018-05/2018-07", "2018-05-01/2018-07-31", "same"),
    ("2020-01-03/2020-01-04", "2020-01", "record coarser"),
    ("2017-06-07", "2017-06-06", "conflict"),
    ("2018-06/2018-08", "2018-07/2018-09", "overlap"),
    ("2018-07", "", "no record"),
])
def test_date_relation(value, record, relation):
    assert edtf.date_relation(value, record) == relation


def test_bound_contains():
    assert edtf.bound_contains("2014", "", "2019-04-08")
    assert not edtf.bound_contains("2019-05", "", "2019-04-08")
    assert edtf.bound_contains("", "", "2019")
