"""DHIS2 export: the mapping, the data value set and ADX, read back through the same mapping."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from dhis2_fixtures import MEMBERS, merged_document, single_return
from jsonschema import Draft202012Validator

from cope_desktop.errors import UserInputError
from cope_desktop.network import dhis2
from cope_desktop.network import schema as merge_schema
from cope_desktop.network.dhis2_mapping import all_objects, mapping, metadata_package, uid
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import TABLE_SHAPES

ADX = "{urn:ihe:qrph:adx:2015}"
CellKey = tuple[str, str, tuple[str, ...]]


@pytest.fixture(scope="module")
def merged() -> dict[str, Any]:
    return merged_document()


@pytest.fixture(scope="module")
def member() -> dict[str, Any]:
    return single_return()


def published(document: dict[str, Any]) -> dict[CellKey, tuple[Any, str | None]]:
    """What the documented mapping says must arrive: (value, comment) per published cell."""
    if document["schema"] == "cope-network-return/1":
        scopes = [(document["organisation"]["id"], document["tables"])]
    else:
        scopes = [
            ("COPE" if s["scope"] == "network" else f"COPE-{s['country']}", s["tables"])
            for s in document["scopes"]
        ]
    result: dict[CellKey, tuple[Any, str | None]] = {}
    for org_unit, tables in scopes:
        for table_id, table in tables.items():
            for cell in table["cells"]:
                key = (org_unit, table_id, tuple(cell[d] for d in table["dimensions"]))
                if cell["flag"] is None:
                    result[key] = (cell["value"], None)
                elif cell["flag"] == "range":
                    text = "{:.1f}" if cell.get("measure") == "hours" else "{}"
                    low = text.format(cell["low"])
                    high = "" if cell["high"] is None else text.format(cell["high"])
                    result[key] = (cell["estimate"], f"range:{low}-{high}")
    return result


def json_comments(value_set: dict[str, Any]) -> dict[CellKey, str]:
    m = mapping()
    result = {}
    for entry in value_set["dataValues"]:
        if "comment" in entry:
            table_id, coords = m.cell_of_uids(entry["dataElement"], entry["categoryOptionCombo"])
            result[(entry["orgUnit"], table_id, coords)] = entry["comment"]
    return result


# --- the mapping ----------------------------------------------------------------------------


def test_known_cells_have_their_documented_data_element_and_option_combo() -> None:
    target = mapping().target("children_by_age_sex", ("0-4", "female"))
    assert (target.element.code, target.element.uid) == ("COPE_CHILDREN_BY_AGE_SEX", "LXhQGf0us7O")
    assert (target.option_combo and target.option_combo.code) == "COPE_ABS_0_4_FEMALE"
    assert target.coc_uid == "qC0sJ5BWgYZ"
    assert target.adx_attributes() == {
        "COPE_AGE_BAND": "COPE_AGE_BAND_0_4",
        "COPE_SEX": "COPE_SEX_FEMALE",
    }
    hours = mapping().target("activities", ("prison_visit", "hours"))
    assert (hours.element.code, hours.element.value_type) == ("COPE_ACTIVITIES_HOURS", "NUMBER")
    assert hours.adx_attributes() == {"COPE_ACTIVITY_TYPE": "COPE_ACTIVITY_TYPE_PRISON_VISIT"}
    events = mapping().target("game_with_mum_and_dad", ("events",))
    assert events.element.code == "COPE_GAME_WITH_MUM_AND_DAD_EVENTS"
    assert events.coc_uid == "HllvX50cXC0"  # DHIS2's default category option combo
    assert events.adx_attributes() == {}


def test_one_data_element_per_table_or_measure_and_categories_from_table_shapes() -> None:
    m = mapping()
    expected = []
    for table_id, dims in TABLE_SHAPES.items():
        measures = dict(dims).get("measure", (None,))
        expected += [(table_id, measure) for measure in measures]
    assert [(e.table_id, e.measure) for e in m.elements] == expected
    assert len(m.elements) == 21
    for dims in TABLE_SHAPES.values():
        for dim, values in dims:
            if dim != "measure":
                category = next(c for c in m.categories if c.dimension == dim)
                assert tuple(o.value for o in category.options) == values
    # every inner cell of every table has exactly one place in DHIS2
    cells = sum(len(list(_product(dims))) for dims in TABLE_SHAPES.values())
    assert len(list(m.cells())) == cells == 141


def _product(dims: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, ...]]:
    result: list[tuple[str, ...]] = [()]
    for _dim, values in dims:
        result = [(*prefix, value) for prefix in result for value in values]
    return result


def test_uids_are_valid_unique_and_stable() -> None:
    objects = list(all_objects(mapping()))
    uids = [identifier for _kind, _code, identifier in objects]
    codes = [code for _kind, code, _uid in objects]
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{10}", identifier) for identifier in uids)
    assert len(set(uids)) == len(uids) == 174
    assert len(set(codes)) == len(codes)
    assert all(len(code) <= 50 and re.fullmatch(r"[A-Z0-9_]+", code) for code in codes)
    assert all(identifier == uid(code) for _kind, code, identifier in objects)
    # the same code gives the same UID in every copy of COPE Desktop
    assert uid("COPE_FAMILIES") == "tCsaEX3gUk8"
    assert uid("COPE_AGE_BAND_18PLUS") == uid("COPE_AGE_BAND_18PLUS") != uid("COPE_AGE_BAND_0_4")


# --- periods ------------------------------------------------------------------------------


def test_period_strings_for_a_year_and_half_years() -> None:
    assert dhis2.dhis2_period(Period.year(2025)) == "2025"
    assert dhis2.dhis2_period(Period.half(2025, 1)) == "2025S1"
    assert dhis2.dhis2_period(Period.half(2025, 2)) == "2025S2"
    assert dhis2.adx_period(Period.year(2025)) == "2025-01-01/P1Y"
    assert dhis2.adx_period(Period.half(2025, 1)) == "2025-01-01/P6M"
    assert dhis2.adx_period(Period.half(2025, 2)) == "2025-07-01/P6M"
    with pytest.raises(UserInputError):
        dhis2.dhis2_period(Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31)))


def test_a_half_year_goes_to_the_six_monthly_data_set(member: dict[str, Any]) -> None:
    document = copy.deepcopy(member)
    document["period"] = {"start": "2025-07-01", "end": "2025-12-31"}
    value_set = dhis2.data_value_set(document)
    assert value_set["period"] == "2025S2"
    assert value_set["dataSet"] == uid("COPE_NETWORK_SIX_MONTHLY")
    assert {entry["period"] for entry in value_set["dataValues"]} == {"2025S2"}
    group = ET.fromstring(dhis2.adx(document)).find(f"{ADX}group")
    assert group is not None
    assert group.attrib["period"] == "2025-07-01/P6M"
    assert group.attrib["dataSet"] == "COPE_NETWORK_SIX_MONTHLY"


# --- round trips ----------------------------------------------------------------------------


def test_merged_document_round_trips_through_the_data_value_set(merged: dict[str, Any]) -> None:
    value_set = dhis2.data_value_set(merged)
    json.dumps(value_set)  # plain JSON
    assert value_set["period"] == "2025"
    assert value_set["dataSet"] == uid("COPE_NETWORK_YEARLY")
    assert value_set["orgUnitIdScheme"] == "CODE"
    expected = published(merged)
    got = dhis2.read_data_value_set(value_set)
    assert got == {key: value for key, (value, _comment) in expected.items()}
    assert len(value_set["dataValues"]) == len(expected)
    assert json_comments(value_set) == {
        key: comment for key, (_value, comment) in expected.items() if comment
    }
    # the figures the fixture set, as a DHIS2 administrator will see them
    assert got[("COPE", "families", ("new",))] == 1234
    assert got[("COPE-IT", "children_by_age_sex", ("0-4", "female"))] == 12
    assert got[("COPE", "activities", ("prison_visit", "hours"))] == 40.5
    assert ("COPE-FR", "children_by_age_sex", ("18+", "other")) not in got
    assert ("COPE", "game_with_mum_and_dad", ("events",)) not in got
    comments = json_comments(value_set)
    assert comments[("COPE-IT", "children_by_age_sex", ("0-4", "female"))] == "range:11-14"
    assert comments[("COPE", "activities", ("prison_visit", "hours"))] == "range:38.0-"
    assert ("COPE", "families", ("new",)) not in comments
    new_families = next(
        entry
        for entry in value_set["dataValues"]
        if entry["orgUnit"] == "COPE" and entry["categoryOptionCombo"] == "S0Dn82xr4Hg"
    )
    assert new_families == {
        "dataElement": "tCsaEX3gUk8",
        "categoryOptionCombo": "S0Dn82xr4Hg",
        "orgUnit": "COPE",
        "period": "2025",
        "value": "1234",
    }


def test_merged_document_round_trips_through_adx(merged: dict[str, Any]) -> None:
    message = dhis2.adx(merged)
    root = ET.fromstring(message)
    assert root.tag == f"{ADX}adx"
    assert root.attrib["exported"] == "2026-02-01T10:00:00Z"
    groups = root.findall(f"{ADX}group")
    assert [g.attrib["orgUnit"] for g in groups] == ["COPE", "COPE-FR", "COPE-IT"]
    assert {g.attrib["period"] for g in groups} == {"2025-01-01/P1Y"}
    assert {g.attrib["dataSet"] for g in groups} == {"COPE_NETWORK_YEARLY"}
    expected = published(merged)
    assert dhis2.read_adx(message) == {key: value for key, (value, _c) in expected.items()}
    assert dhis2.adx_comments(message) == {
        key: comment for key, (_value, comment) in expected.items() if comment
    }
    range_value = next(
        dv
        for dv in groups[2].iter(f"{ADX}dataValue")
        if dv.attrib.get("COPE_AGE_BAND") == "COPE_AGE_BAND_0_4"
        and dv.attrib.get("COPE_SEX") == "COPE_SEX_FEMALE"
    )
    assert range_value.attrib["dataElement"] == "COPE_CHILDREN_BY_AGE_SEX"
    assert range_value.attrib["value"] == "12"
    assert range_value.findtext(f"{ADX}annotation") == "range:11-14"


def test_single_return_round_trips_in_both_formats(member: dict[str, Any]) -> None:
    expected = published(member)
    suppressed = sum(1 for table in member["tables"].values() for c in table["cells"] if c["flag"])
    assert suppressed > 0 and len(expected) == 141 - suppressed
    value_set = dhis2.data_value_set(member)
    values = {key: value for key, (value, _comment) in expected.items()}
    assert dhis2.read_data_value_set(value_set) == values
    assert dhis2.read_adx(dhis2.adx(member)) == values
    assert {entry["orgUnit"] for entry in value_set["dataValues"]} == {MEMBERS[0].id}
    assert json_comments(value_set) == {}
    assert dhis2.adx_comments(dhis2.adx(member)) == {}


def test_counts_are_integers_and_hours_keep_one_decimal(merged: dict[str, Any]) -> None:
    hours_uid = mapping().element("activities", "hours").uid
    entries = dhis2.data_value_set(merged)["dataValues"]
    for entry in entries:
        pattern = r"\d+\.\d" if entry["dataElement"] == hours_uid else r"\d+"
        assert re.fullmatch(pattern, entry["value"]), entry
    assert any(entry["dataElement"] == hours_uid for entry in entries)
    assert dhis2.format_value(40.0, hours=True) == "40.0"
    assert dhis2.format_value(12.0, hours=False) == "12"


# --- metadata package and docs ------------------------------------------------------------


def test_metadata_package_covers_every_exported_coordinate(
    merged: dict[str, Any], member: dict[str, Any]
) -> None:
    package = metadata_package()
    combos = {cc["id"]: cc for cc in package["categoryCombos"]}
    categories = {c["id"]: c for c in package["categories"]}
    allowed = set()
    for element in package["dataElements"]:
        combo = element.get("categoryCombo")
        if combo is None:
            allowed.add((element["id"], "HllvX50cXC0"))
            continue
        cocs = [c for c in package["categoryOptionCombos"] if c["categoryCombo"] == combo]
        allowed |= {(element["id"], coc["id"]) for coc in cocs}
        # each option combo takes one option of each category of its combo, in order
        for coc in cocs:
            for ref, option in zip(
                combos[combo["id"]]["categories"], coc["categoryOptions"], strict=True
            ):
                assert option in categories[ref["id"]]["categoryOptions"]
    sent = {
        (entry["dataElement"], entry["categoryOptionCombo"])
        for document in (merged, member)
        for entry in dhis2.data_value_set(document)["dataValues"]
    }
    assert sent <= allowed
    assert len(allowed) == 141
    option_ids = {o["id"] for o in package["categoryOptions"]}
    assert all(
        ref["id"] in option_ids for c in package["categories"] for ref in c["categoryOptions"]
    )
    periods = {ds["code"]: ds["periodType"] for ds in package["dataSets"]}
    assert periods == {"COPE_NETWORK_YEARLY": "Yearly", "COPE_NETWORK_SIX_MONTHLY": "SixMonthly"}
    for data_set in package["dataSets"]:
        assert len(data_set["dataSetElements"]) == len(package["dataElements"])


def test_generated_docs_are_current() -> None:
    metadata = (dhis2.DOCS_DIR / "dhis2-metadata.json").read_text(encoding="utf-8")
    assert metadata == dhis2.metadata_text(), "run: python -m cope_desktop.network.dhis2"
    doc = (dhis2.DOCS_DIR / "dhis2.md").read_text(encoding="utf-8")
    assert dhis2.docs_text(doc) == doc, "run: python -m cope_desktop.network.dhis2"
    assert "| `children_by_age_sex` | — | `COPE_CHILDREN_BY_AGE_SEX` | `LXhQGf0us7O` |" in doc
    assert "`COPE_ABS_0_4_FEMALE` | `qC0sJ5BWgYZ` |" in doc


def test_the_fixture_is_a_valid_merged_document(merged: dict[str, Any]) -> None:
    validator = Draft202012Validator(merge_schema.build_schema())
    assert [error.message for error in validator.iter_errors(merged)] == []


def test_writers_put_the_same_bytes_in_a_stream(merged: dict[str, Any]) -> None:
    out = io.BytesIO()
    dhis2.write_adx(merged, out)
    assert out.getvalue() == dhis2.adx(merged)
    out = io.BytesIO()
    dhis2.write_data_value_set(merged, out)
    assert json.loads(out.getvalue().decode("utf-8")) == dhis2.data_value_set(merged)


# --- other documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(schema="cope-internal-report/1"),
        lambda d: d.update(schema="something-else/1"),
        lambda d: d.pop("scopes"),
        lambda d: d["scopes"][0]["tables"].pop("families"),
    ],
)
def test_any_other_document_is_refused_in_one_sentence(merged: dict[str, Any], change: Any) -> None:
    document = copy.deepcopy(merged)
    change(document)
    with pytest.raises(UserInputError, match="neither a COPE network return nor merged"):
        dhis2.data_value_set(document)
    with pytest.raises(UserInputError):
        dhis2.adx(document)


def test_a_non_standard_period_is_refused(member: dict[str, Any]) -> None:
    document = copy.deepcopy(member)
    document["period"] = {"start": "2025-01-01", "end": "2025-03-31"}
    with pytest.raises(UserInputError, match="calendar year or a half year"):
        dhis2.data_value_set(document)
