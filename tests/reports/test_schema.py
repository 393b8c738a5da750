"""The JSON Schema shipped for the network return, and the document's checksum."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from cope_desktop.reports import schema
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import protect
from cope_desktop.reports.document import Origin, checksum, internal_report, network_return
from cope_desktop.reports.model import ActivityFigures, RawFigures
from cope_desktop.reports.period import Period

ORIGIN = Origin("IT-017", "Bambinisenzasbarre", "IT", "en")


def a_return() -> dict[str, Any]:
    raw = RawFigures(
        families_new=12,
        families_continuing=40,
        children={("0-4", "female"): 3, ("5-9", "male"): 17, ("10-14", "female"): 22},
        activities={"prison_visit": ActivityFigures(30, 90, 25, 12, 1800)},
        referrals={"school": 7, "prison": 5},
        prison_count=3,
        prison_countries=["IT"],
    )
    tables = build_tables(raw)
    protect(tables, 5)
    return network_return(tables, raw, Period.year(2025), ORIGIN, 5)


def test_the_shipped_schema_files_are_generated_from_the_categories() -> None:
    for schema_id, name in schema.SCHEMA_FILES.items():
        shipped = json.loads((schema.SCHEMA_DIR / name).read_text(encoding="utf-8"))
        assert shipped == schema.build_schema(schema_id), f"run python -m {schema.__name__}"


def test_the_checksum_is_sha256_of_canonical_json_without_itself() -> None:
    document = a_return()
    body = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert document["checksum"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    document["organisation"]["name"] = "Bambini senza sbarre – Milano"
    assert checksum(document) != a_return()["checksum"]


def test_a_written_return_validates_and_hides_small_counts() -> None:
    document = a_return()
    schema.validate(document)
    children = document["tables"]["children_by_age_sex"]
    cell = next(c for c in children["cells"] if (c["age_band"], c["sex"]) == ("0-4", "female"))
    assert cell == {"age_band": "0-4", "sex": "female", "value": None, "flag": "suppressed"}
    assert len(children["cells"]) == 24
    assert [t["sex"] for t in children["totals"]["sex"]] == [
        "female",
        "male",
        "other",
        "not_stated",
    ]


def tampered(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(a_return())
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["tables"]["families"]["cells"][0].update(value=None), "tables/families"),
        (lambda d: d["tables"]["families"]["cells"][0].update(flag="suppressed"), "families"),
        (lambda d: d["tables"].pop("child_feedback"), "tables"),
        (lambda d: d["tables"]["families"]["cells"].pop(), "families/cells"),
        (lambda d: d["tables"]["referral_sources"]["cells"][0].update(referral_source="x"), ""),
        (lambda d: d["period"].update(start="1/1/2025"), "period/start"),
        (lambda d: d.update(checksum="md5:00"), "checksum"),
        (lambda d: d.update(notes="free text never enters a return"), ""),
        (lambda d: d["quotes"].append({"text": "hi", "age_band": "7", "country": "IT"}), "quotes"),
        (lambda d: d["disclosure"].update(threshold=2), "disclosure"),
    ],
)
def test_malformed_returns_are_refused_with_where(change: Any, where: str) -> None:
    with pytest.raises(schema.InvalidReturn) as refused:
        schema.validate(tampered(change))
    assert where in refused.value.message


def test_an_internal_report_never_passes_as_a_return() -> None:
    raw = RawFigures(families_new=2)
    document = internal_report(build_tables(raw), raw, [], Period.year(2025), ORIGIN)
    schema.validate(document)
    assert document["schema"] == "cope-internal-report/1"
    document["schema"] = "cope-network-return/1"
    with pytest.raises(schema.InvalidReturn):
        schema.validate(document)
