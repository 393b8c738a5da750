"""The plain-language note on how a report's figures are protected."""

from __future__ import annotations

import copy

from sample_documents import internal_report, network_return, suppressed_ids

from cope_desktop.reports.explain import explanation, hidden_by_table
from cope_desktop.reports.model import RawFigures


def test_a_return_explains_the_threshold_zeros_and_the_hidden_cells() -> None:
    text = " ".join(explanation(network_return(k=5)))
    assert "a count from 1 to 4 is not shown: it appears as “<5”" in text
    assert "A zero is shown as 0" in text
    assert "Some other figures are hidden too" in text
    assert "In all, 31 figures are hidden" in text
    assert "Children supported by age band and sex (8)" in text
    assert "Activities by type (8)" in text
    assert "Families supported (" not in text  # nothing hidden there


def test_the_threshold_is_the_documents() -> None:
    text = " ".join(explanation(network_return(k=3)))
    assert "a count from 1 to 2 is not shown: it appears as “<3”" in text


def test_it_never_says_which_hidden_cell_is_which() -> None:
    document = network_return()
    text = " ".join(explanation(document)).casefold()
    for word in ("primary", "secondary", "female", "0-4", "helpline", "police"):
        assert word not in text
    assert suppressed_ids(document)  # there are hidden cells it could have named


def test_one_hidden_figure_is_counted_in_the_singular() -> None:
    document = network_return(RawFigures())
    families = document["tables"]["families"]
    families["cells"][0].update(value=None, flag="suppressed")
    assert hidden_by_table(document) == {"families": 1}
    text = " ".join(explanation(document))
    assert "In all, 1 figure is hidden, in: Families supported (1)." in text


def test_a_return_with_nothing_hidden_says_so() -> None:
    text = " ".join(explanation(network_return(RawFigures())))
    assert "No figure needed to be hidden in this return." in text
    assert "In all" not in text


def test_quotes_are_explained_only_when_there_are_some() -> None:
    document = network_return()
    assert any("own words" in p for p in explanation(document))
    without = copy.deepcopy(document)
    without["quotes"] = []
    assert not any("own words" in p for p in explanation(without))


def test_an_internal_report_has_exact_figures_and_must_not_be_sent() -> None:
    text = " ".join(explanation(internal_report()))
    assert "exact figures" in text
    assert "do not send it to Children of Prisoners Europe" in text
    assert "Figures by prison, Figures by caseworker, Figures by month" in text
    assert "<5" not in text
