"""How the tables of a network return map onto DHIS2 metadata (docs/dhis2.md).

Everything here is derived from ``reports.schema.TABLE_SHAPES``: one data element per table,
or per (table, measure) where a table has a ``measure`` dimension; the other dimensions
become DHIS2 categories whose options are the COPE category codes, combined into category
combos and their category option combos. Every object has a stable code and an 11-character
DHIS2 UID computed from that code, so the same metadata package and the same data value sets
come out of every copy of COPE Desktop, and the package imports into an empty DHIS2.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from cope_desktop.reports.schema import TABLE_SHAPES

MEASURE = "measure"
PREFIX = "COPE"
DEFAULT_COC_UID = "HllvX50cXC0"
"""DHIS2's built-in default category option combo (the same UID in every DHIS2)."""

YEARLY_DATA_SET = "COPE_NETWORK_YEARLY"
SIX_MONTHLY_DATA_SET = "COPE_NETWORK_SIX_MONTHLY"
DATA_SETS = (
    (YEARLY_DATA_SET, "Yearly", "COPE network figures (yearly)"),
    (SIX_MONTHLY_DATA_SET, "SixMonthly", "COPE network figures (half-yearly)"),
)
"""(code, DHIS2 period type, name) of the data sets, one per period type we send."""

HOURS_MEASURES = frozenset({("activities", "hours")})
"""(table, measure) whose figures are numbers with one decimal; every other one is a count."""

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALPHANUMERIC = _LETTERS + "0123456789"
MAX_CODE = 50
"""DHIS2 codes and short names hold at most 50 characters."""


def uid(code: str) -> str:
    """The DHIS2 UID of the object with ``code``: a letter, then 10 letters or digits."""
    number = int.from_bytes(hashlib.sha256(code.encode("utf-8")).digest(), "big")
    chars = [_LETTERS[number % len(_LETTERS)]]
    number //= len(_LETTERS)
    for _position in range(10):
        chars.append(_ALPHANUMERIC[number % len(_ALPHANUMERIC)])
        number //= len(_ALPHANUMERIC)
    return "".join(chars)


def code_part(text: str) -> str:
    """A COPE id or category code as part of a DHIS2 code: ``18+`` -> ``18PLUS``."""
    return re.sub(r"[^A-Z0-9]+", "_", text.replace("+", "PLUS").upper()).strip("_")


def words(text: str) -> str:
    """An id in words for the English names of the metadata: ``age_band`` -> ``Age band``."""
    spaced = text.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def _initials(dimension: str) -> str:
    return "".join(part[0] for part in dimension.split("_")).upper()


@dataclass(frozen=True)
class Option:
    """A DHIS2 category option: one COPE category code of one dimension."""

    dimension: str
    value: str
    code: str
    uid: str
    name: str


@dataclass(frozen=True)
class Category:
    """A DHIS2 category: one dimension of a table (other than ``measure``)."""

    dimension: str
    code: str
    uid: str
    name: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option:
        return next(option for option in self.options if option.value == value)


@dataclass(frozen=True)
class OptionCombo:
    """A DHIS2 category option combo: one COPE category of each dimension of a combo."""

    values: tuple[str, ...]
    options: tuple[Option, ...]
    code: str
    uid: str
    name: str


@dataclass(frozen=True)
class Combo:
    """A DHIS2 category combo: the dimensions a data element is broken down by."""

    dimensions: tuple[str, ...]
    categories: tuple[Category, ...]
    code: str
    uid: str
    name: str
    option_combos: tuple[OptionCombo, ...]

    def option_combo(self, values: tuple[str, ...]) -> OptionCombo:
        return next(combo for combo in self.option_combos if combo.values == values)


@dataclass(frozen=True)
class Element:
    """A DHIS2 data element: a table, or one measure of a table."""

    table_id: str
    measure: str | None
    dimensions: tuple[str, ...]
    """The table's dimensions, ``measure`` included, in the table's order."""
    code: str
    uid: str
    name: str
    combo: Combo | None
    """None: DHIS2's default category combo (the table has no other dimension)."""

    @property
    def hours(self) -> bool:
        return (self.table_id, self.measure) in HOURS_MEASURES

    @property
    def value_type(self) -> str:
        return "NUMBER" if self.hours else "INTEGER_ZERO_OR_POSITIVE"

    def coords(self, values: tuple[str, ...]) -> tuple[str, ...]:
        """A cell's coordinates in table order from the combo's category values."""
        remaining = iter(values)
        return tuple(
            str(self.measure) if dim == MEASURE else next(remaining) for dim in self.dimensions
        )


@dataclass(frozen=True)
class Target:
    """Where one inner cell goes in DHIS2."""

    element: Element
    option_combo: OptionCombo | None

    @property
    def coc_uid(self) -> str:
        return self.option_combo.uid if self.option_combo else DEFAULT_COC_UID

    def adx_attributes(self) -> dict[str, str]:
        """ADX disaggregation attributes: category code -> category option code."""
        if self.element.combo is None or self.option_combo is None:
            return {}
        return {
            category.code: option.code
            for category, option in zip(
                self.element.combo.categories, self.option_combo.options, strict=True
            )
        }


@dataclass(frozen=True)
class Mapping:
    categories: tuple[Category, ...]
    combos: tuple[Combo, ...]
    elements: tuple[Element, ...]

    def target(self, table_id: str, coords: tuple[str, ...]) -> Target:
        """The data element and category option combo of one inner cell."""
        return _targets()[(table_id, coords)]

    def cell_of_uids(self, element_uid: str, coc_uid: str) -> tuple[str, tuple[str, ...]]:
        """(table id, coords) of a data value in UIDs; KeyError when it is not ours."""
        return _by_uid()[(element_uid, coc_uid)]

    def cell_of_codes(
        self, element_code: str, attributes: dict[str, str]
    ) -> tuple[str, tuple[str, ...]]:
        """(table id, coords) of an ADX data value; KeyError when it is not ours."""
        return _by_code()[(element_code, frozenset(attributes.items()))]

    def element(self, table_id: str, measure: str | None) -> Element:
        return next(e for e in self.elements if e.table_id == table_id and e.measure == measure)

    def cells(self) -> Iterator[tuple[str, tuple[str, ...], Target]]:
        """(table id, coords, target) of every inner cell of every table."""
        for (table_id, coords), target in _targets().items():
            yield table_id, coords, target


def _category(dimension: str, values: tuple[str, ...]) -> Category:
    code = f"{PREFIX}_{code_part(dimension)}"
    options = tuple(
        Option(
            dimension,
            value,
            f"{code}_{code_part(value)}",
            uid(f"{code}_{code_part(value)}"),
            f"COPE {words(dimension).lower()}: {value.replace('_', ' ')}",
        )
        for value in values
    )
    return Category(dimension, code, uid(code), f"COPE {words(dimension).lower()}", options)


def _combo(categories: tuple[Category, ...]) -> Combo:
    dimensions = tuple(category.dimension for category in categories)
    code = f"{PREFIX}_CC_" + "_".join(code_part(dim) for dim in dimensions)
    marker = "".join(_initials(dim) for dim in dimensions)
    option_combos = []
    for options in product(*(category.options for category in categories)):
        values = tuple(option.value for option in options)
        coc_code = f"{PREFIX}_{marker}_" + "_".join(code_part(value) for value in values)
        name = ", ".join(option.name.removeprefix("COPE ") for option in options)
        option_combos.append(OptionCombo(values, tuple(options), coc_code, uid(coc_code), name))
    name = "COPE " + " and ".join(words(dim).lower() for dim in dimensions)
    return Combo(dimensions, categories, code, uid(code), name, tuple(option_combos))


@functools.cache
def mapping() -> Mapping:
    """The mapping of every table of ``TABLE_SHAPES`` (computed once)."""
    categories: dict[str, Category] = {}
    for dims in TABLE_SHAPES.values():
        for dim, values in dims:
            if dim != MEASURE and dim not in categories:
                categories[dim] = _category(dim, values)
    combos: dict[tuple[str, ...], Combo] = {}
    elements = []
    for table_id, dims in TABLE_SHAPES.items():
        dimensions = tuple(dim for dim, _values in dims)
        others = tuple(dim for dim in dimensions if dim != MEASURE)
        combo = None
        if others:
            if others not in combos:
                combos[others] = _combo(tuple(categories[dim] for dim in others))
            combo = combos[others]
        measures: tuple[str | None, ...] = dict(dims).get(MEASURE, (None,))
        for measure in measures:
            code = f"{PREFIX}_{code_part(table_id)}"
            name = f"COPE {words(table_id).lower()}"
            if measure is not None:
                code += f"_{code_part(measure)}"
                name += f": {measure.replace('_', ' ')}"
            elements.append(Element(table_id, measure, dimensions, code, uid(code), name, combo))
    return Mapping(tuple(categories.values()), tuple(combos.values()), tuple(elements))


@functools.cache
def _targets() -> dict[tuple[str, tuple[str, ...]], Target]:
    result = {}
    for element in mapping().elements:
        combos: tuple[OptionCombo | None, ...] = (
            element.combo.option_combos if element.combo else (None,)
        )
        for option_combo in combos:
            values = option_combo.values if option_combo else ()
            result[(element.table_id, element.coords(values))] = Target(element, option_combo)
    return result


@functools.cache
def _by_uid() -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    return {
        (target.element.uid, target.coc_uid): (table_id, coords)
        for table_id, coords, target in mapping().cells()
    }


@functools.cache
def _by_code() -> dict[tuple[str, frozenset[tuple[str, str]]], tuple[str, tuple[str, ...]]]:
    return {
        (target.element.code, frozenset(target.adx_attributes().items())): (table_id, coords)
        for table_id, coords, target in mapping().cells()
    }


def all_objects(m: Mapping) -> Iterator[tuple[str, str, str]]:
    """(kind, code, uid) of every object the mapping defines (for the uniqueness checks)."""
    for category in m.categories:
        yield "category", category.code, category.uid
        for option in category.options:
            yield "categoryOption", option.code, option.uid
    for combo in m.combos:
        yield "categoryCombo", combo.code, combo.uid
        for option_combo in combo.option_combos:
            yield "categoryOptionCombo", option_combo.code, option_combo.uid
    for element in m.elements:
        yield "dataElement", element.code, element.uid
    for code, _period_type, _name in DATA_SETS:
        yield "dataSet", code, uid(code)


def _short(name: str, code: str) -> str:
    return name if len(name) <= MAX_CODE else code


def _ref(identifier: str) -> dict[str, str]:
    return {"id": identifier}


def metadata_package() -> dict[str, Any]:
    """The DHIS2 metadata JSON (``/api/metadata``) of every object of the mapping."""
    m = mapping()
    options = [option for category in m.categories for option in category.options]
    return {
        "categoryOptions": [
            {"id": o.uid, "code": o.code, "name": o.name, "shortName": _short(o.name, o.code)}
            for o in options
        ],
        "categories": [
            {
                "id": c.uid,
                "code": c.code,
                "name": c.name,
                "shortName": _short(c.name, c.code),
                "dataDimensionType": "DISAGGREGATION",
                "dataDimension": True,
                "categoryOptions": [_ref(o.uid) for o in c.options],
            }
            for c in m.categories
        ],
        "categoryCombos": [
            {
                "id": cc.uid,
                "code": cc.code,
                "name": cc.name,
                "dataDimensionType": "DISAGGREGATION",
                "skipTotal": False,
                "categories": [_ref(c.uid) for c in cc.categories],
            }
            for cc in m.combos
        ],
        "categoryOptionCombos": [
            {
                "id": coc.uid,
                "code": coc.code,
                "name": coc.name,
                "categoryCombo": _ref(cc.uid),
                "categoryOptions": [_ref(o.uid) for o in coc.options],
            }
            for cc in m.combos
            for coc in cc.option_combos
        ],
        "dataElements": [_data_element(e) for e in m.elements],
        "dataSets": [
            {
                "id": uid(code),
                "code": code,
                "name": name,
                "shortName": _short(name, code),
                "periodType": period_type,
                "dataSetElements": [
                    {"dataSet": _ref(uid(code)), "dataElement": _ref(e.uid)} for e in m.elements
                ],
            }
            for code, period_type, name in DATA_SETS
        ],
    }


def _data_element(element: Element) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": element.uid,
        "code": element.code,
        "name": element.name,
        "shortName": _short(element.name, element.code),
        "domainType": "AGGREGATE",
        "valueType": element.value_type,
        "aggregationType": "SUM",
        "zeroIsSignificant": True,
    }
    if element.combo is not None:
        result["categoryCombo"] = _ref(element.combo.uid)
    return result
