"""The prisons table model, tested without any widget."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from cope_desktop import i18n
from cope_desktop.db.enums import PrisonType
from cope_desktop.services.prisons import PrisonListRow
from cope_desktop.ui.models import prison_table
from cope_desktop.ui.models.prison_table import PrisonTableModel


def prison(
    name: str,
    country: str,
    region: str,
    kind: PrisonType | None,
    families: int,
    activities: int = 0,
    archived: bool = False,
) -> PrisonListRow:
    reference = f"P-{name[:3]}"
    return PrisonListRow(
        uuid.uuid4(), reference, name, country, region, kind, families, activities, archived
    )


def rows() -> list[PrisonListRow]:
    return [
        prison("Opera", "IT", "Lombardia", PrisonType.MEN, 4, 30),
        prison("Fresnes", "FR", "Île-de-France", PrisonType.MIXED, 12, 2),
        prison("Bollate", "IT", "Lombardia", None, 0, 0),
        prison("Évry", "FR", "", PrisonType.WOMEN, 1, 7),
    ]


def column(model: PrisonTableModel, number: int) -> list[str]:
    return [model.data(model.index(row, number)) for row in range(model.rowCount())]


def test_rows_and_columns(qtmodeltester: ModelTester) -> None:
    model = PrisonTableModel(rows())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.columnCount() == prison_table.COLUMN_COUNT
    assert model.rowCount(model.index(0, 0)) == 0
    assert column(model, prison_table.NAME) == ["Opera", "Fresnes", "Bollate", "Évry"]
    assert column(model, prison_table.COUNTRY)[:2] == ["Italy", "France"]
    assert column(model, prison_table.TYPE) == ["Men", "Mixed", "", "Women"]
    assert column(model, prison_table.FAMILIES) == ["4", "12", "0", "1"]
    assert column(model, prison_table.ACTIVITIES) == ["30", "2", "0", "7"]
    assert model.data(model.index(9, 0)) is None
    assert model.data(model.index(0, prison_table.COUNTRY), Qt.ItemDataRole.ToolTipRole) == "IT"
    assert isinstance(model.data(model.index(0, 0), prison_table.ROW_ROLE), PrisonListRow)


def test_headers_are_translated_names() -> None:
    model = PrisonTableModel()
    headers = [
        model.headerData(n, Qt.Orientation.Horizontal) for n in range(prison_table.COLUMN_COUNT)
    ]
    assert headers == ["Name", "Country", "Region", "Type", "Families", "Activities"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_sorting_by_name_ignores_accents_and_case() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.NAME)
    assert column(model, prison_table.NAME) == ["Bollate", "Évry", "Fresnes", "Opera"]
    model.sort(prison_table.NAME, Qt.SortOrder.DescendingOrder)
    assert column(model, prison_table.NAME) == ["Opera", "Fresnes", "Évry", "Bollate"]


def test_sorting_numbers_as_numbers() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.FAMILIES)
    assert column(model, prison_table.FAMILIES) == ["0", "1", "4", "12"]
    model.sort(prison_table.ACTIVITIES, Qt.SortOrder.DescendingOrder)
    assert column(model, prison_table.ACTIVITIES) == ["30", "7", "2", "0"]


def test_sorting_by_country_uses_the_shown_name() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.COUNTRY)
    assert column(model, prison_table.COUNTRY) == ["France", "France", "Italy", "Italy"]
    # ties are broken by name
    assert column(model, prison_table.NAME) == ["Évry", "Fresnes", "Bollate", "Opera"]


def test_sorting_keeps_persistent_indexes_on_their_row() -> None:
    model = PrisonTableModel(rows())
    fresnes = QPersistentModelIndex(model.index(1, prison_table.NAME))
    model.sort(prison_table.NAME)
    assert model.data(QModelIndex(fresnes)) == "Fresnes"
    assert fresnes.row() == 2


def test_retranslate_announces_new_texts(qtbot, pseudo_language: str) -> None:  # type: ignore[no-untyped-def]
    model = PrisonTableModel(rows())
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged]):
        i18n.set_language(pseudo_language)
        model.retranslate()
    assert model.headerData(0, Qt.Orientation.Horizontal).startswith("[Name")
    assert model.data(model.index(0, prison_table.COUNTRY)) == "Italie"


def test_the_filter_finds_words_of_the_name_region_or_country() -> None:
    model = PrisonTableModel(rows())
    model.set_filter("lombardia")
    assert column(model, prison_table.NAME) == ["Opera", "Bollate"]
    model.set_filter("  EVRY ")
    assert column(model, prison_table.NAME) == ["Évry"]
    model.set_filter("france fres")
    assert column(model, prison_table.NAME) == ["Fresnes"]
    assert model.hidden_count() == 3
    model.set_filter("")
    assert model.rowCount() == 4


def test_the_filter_keeps_the_sort_order() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.NAME, Qt.SortOrder.DescendingOrder)
    model.set_filter("i")
    model.set_filter("")
    assert column(model, prison_table.NAME) == ["Opera", "Fresnes", "Évry", "Bollate"]


def test_archived_prisons_are_shown_only_when_asked(qtmodeltester: ModelTester) -> None:
    model = PrisonTableModel([*rows(), prison("Rebibbia", "IT", "Lazio", None, 2, archived=True)])
    assert model.rowCount() == 4
    assert model.row_of(model.all_rows()[-1].id) is None
    model.set_show_archived(True)
    qtmodeltester.check(model)
    row = model.row_of(model.all_rows()[-1].id)
    assert row == 4
    assert model.data(model.index(row, prison_table.NAME)) == "Rebibbia (archived)"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).italic()
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
