"""Merges with known answers: exact sums, ranges from hidden cells, and network protection."""

from __future__ import annotations

import math
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from network_support import figure, merge, return_document, write_document

from cope_desktop.network.bounds import member_bounds
from cope_desktop.network.sample_returns import figures as sample_figures
from cope_desktop.network.schema import validate
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import protect
from cope_desktop.reports.model import RawFigures


def _raw(**values: object) -> RawFigures:
    raw = RawFigures(**values)  # type: ignore[arg-type]
    raw.referrals = raw.referrals or {"school": raw.families_new}
    return raw


def test_figures_nobody_hid_are_exact_sums_by_network_and_country(tmp_path: Path) -> None:
    a = return_document("org-a", "IT", _raw(families_new=10, families_continuing=30))
    b = return_document("org-b", "IT", _raw(families_new=0, families_continuing=25))
    c = return_document("org-c", "FR", _raw(families_new=7, families_continuing=8))
    result = merge(
        [write_document(tmp_path / f"{n}.json", d) for n, d in zip("abc", (a, b, c), strict=True)]
    )

    assert figure(result, None, "families", status="new") == {
        "status": "new",
        "value": 17,
        "low": 17,
        "high": 17,
        "estimate": 17,
        "organisations": 2,  # org-b has no new family
        "flag": None,
    }
    assert figure(result, None, "families")["value"] == 80
    assert figure(result, None, "families")["organisations"] == 3
    assert figure(result, "IT", "families", status="continuing")["value"] == 55
    assert figure(result, "FR", "families")["value"] == 15
    assert result.document["countries"] == ["FR", "IT"]
    scopes = result.document["scopes"]
    assert [(s["scope"], s["country"], s["organisations"]) for s in scopes] == [
        ("network", None, 3),
        ("country", "FR", 1),
        ("country", "IT", 2),
    ]
    assert [r["organisation"]["id"] for r in result.document["returns"]] == [
        "org-a",
        "org-b",
        "org-c",
    ]
    validate(result.document)


def test_a_hidden_count_in_no_relation_contributes_one_to_k_minus_one(tmp_path: Path) -> None:
    a = return_document(
        "org-a",
        "IT",
        _raw(families_new=10, families_continuing=30, services={"emotional_support": (3, 6)}),
        hidden=["support_services/emotional_support/distinct_families"],
    )
    b = return_document(
        "org-b",
        "FR",
        _raw(families_new=9, families_continuing=20, services={"emotional_support": (10, 12)}),
    )
    result = merge([write_document(tmp_path / "a.json", a), write_document(tmp_path / "b.json", b)])

    network = figure(
        result,
        None,
        "support_services",
        service_type="emotional_support",
        measure="distinct_families",
    )
    assert (network["flag"], network["low"], network["high"]) == ("range", 11, 14)
    assert network["value"] is None
    assert network["estimate"] == 13  # 10 + ceil(5 / 2)
    assert network["organisations"] == 2
    # Italy alone would show org-a's hidden cell as "1 to 4": the network hides it again.
    italy = figure(
        result,
        "IT",
        "support_services",
        service_type="emotional_support",
        measure="distinct_families",
    )
    assert italy["flag"] == "suppressed"
    assert italy["value"] is italy["low"] is italy["high"] is italy["estimate"] is None
    assert italy["organisations"] == 1


def test_a_cell_hidden_to_protect_another_can_be_large_and_the_range_says_so(
    tmp_path: Path,
) -> None:
    # org-a: 2 new families (small) and 40 continuing, hidden so that 2 cannot be worked out
    # from the published total of 42. [1, 4] for "continuing" would be wrong: it is 40.
    a = return_document(
        "org-a",
        "IT",
        _raw(families_new=2, families_continuing=40),
        hidden=[
            "families/new",
            "families/continuing",
            "referral_sources/school",
            "referral_sources/*",
        ],
    )
    b = return_document("org-b", "FR", _raw(families_new=10, families_continuing=50))
    result = merge([write_document(tmp_path / "a.json", a), write_document(tmp_path / "b.json", b)])

    new = figure(result, None, "families", status="new")
    continuing = figure(result, None, "families", status="continuing")
    assert (new["low"], new["high"], new["estimate"]) == (11, 51, 13)
    assert (continuing["low"], continuing["high"], continuing["estimate"]) == (51, 91, 89)
    assert figure(result, None, "families") == {
        "value": 102,
        "low": 102,
        "high": 102,
        "estimate": 102,
        "organisations": 2,
        "flag": None,
    }
    # the true figures, 12 and 90, are inside their ranges
    assert new["low"] <= 12 <= new["high"] and continuing["low"] <= 90 <= continuing["high"]


def test_network_threshold_is_never_below_a_members(tmp_path: Path) -> None:
    a = return_document("org-a", "IT", _raw(families_new=8, families_continuing=30), threshold=9)
    b = return_document("org-b", "IT", _raw(families_new=0, families_continuing=20))
    result = merge([write_document(tmp_path / "a.json", a), write_document(tmp_path / "b.json", b)])

    assert result.document["disclosure"]["threshold"] == 9
    assert figure(result, None, "families", status="new")["flag"] == "suppressed"  # 8 < 9


def test_estimates_satisfy_every_relation_of_a_real_return() -> None:
    raw = sample_figures(random.Random(5), 12)
    tables = build_tables(raw)
    protect(tables, 5)
    from cope_desktop.reports import document
    from cope_desktop.reports.document import Origin
    from cope_desktop.reports.period import Period

    doc = document.network_return(tables, raw, Period.year(2025), Origin("o", "O", "IT", "en"), 5)
    figures = member_bounds(doc).figures
    for relation in tables.relations:
        total = sum(coef * figures[cid].estimate for cid, coef in relation.terms)
        assert total <= 0.05 if relation.kind == "le" else abs(total) <= 0.05


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seeds=st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
    sizes=st.lists(st.sampled_from([5, 10, 30, 120]), min_size=4, max_size=4),
)
def test_every_published_network_figure_contains_the_true_sum(
    tmp_path_factory: object, seeds: list[int], sizes: list[int]
) -> None:
    """Whatever members hid, a range holds the true figure and an exact figure is it."""
    folder = Path(tmp_path_factory.mktemp("returns"))  # type: ignore[attr-defined]
    truth: dict[str, float] = {}
    paths = []
    for number, (seed, size) in enumerate(zip(seeds, sizes, strict=False)):
        raw = sample_figures(random.Random(seed), size)
        tables = build_tables(raw)
        protect(tables, 5)
        for cell in tables.all_cells():
            truth[cell.id] = truth.get(cell.id, 0) + cell.value
        doc = return_document(f"org-{number}", "IT", raw, tables.suppressed_ids())
        paths.append(write_document(folder / f"{number}.json", doc))
    result = merge(paths)

    network = result.document["scopes"][0]["tables"]
    from cope_desktop.network.cells import figures_by_id

    for cell_id, published in figures_by_id(network).items():
        true = truth[cell_id]
        if published["flag"] is None:
            assert math.isclose(published["value"], true, abs_tol=0.051), cell_id
        elif published["flag"] == "range":
            high = math.inf if published["high"] is None else published["high"]
            assert published["low"] - 0.051 <= true <= high + 0.051, cell_id


def test_the_shipped_schema_of_merged_figures_is_current() -> None:
    import json

    from cope_desktop.network.schema import SCHEMA_FILE, build_schema

    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == build_schema(), "run python -m cope_desktop.network.schema"


def test_a_merged_document_that_breaks_its_schema_is_refused(tmp_path: Path) -> None:
    import pytest

    from cope_desktop.reports.schema import InvalidReturn

    a = return_document("org-a", "IT", _raw(families_new=10, families_continuing=30))
    result = merge([write_document(tmp_path / "a.json", a)])
    broken = result.document
    broken["scopes"][0]["tables"]["families"]["totals"]["all"]["flag"] = "range"
    with pytest.raises(InvalidReturn):
        validate(broken)
