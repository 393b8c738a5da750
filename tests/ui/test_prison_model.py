"""The prisons table model, tested without any widget."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from cope_desktop import i18n
from cope_desktop.db.enums import PrisonType
from cope_desktop.services.overview import PrisonRow
from cope_desktop.ui.models import prison_table
from cope_desktop.ui.models.prison_table import PrisonTableModel


def rows() -> list[PrisonRow]:
    return [
        PrisonRow(uuid.uuid4(), "Opera", "IT", "Lombardia", PrisonType.MEN, 4),
        PrisonRow(uuid.uuid4(), "Fresnes", "FR", "Île-de-France", PrisonType.MIXED, 12),
        PrisonRow(uuid.uuid4(), "Bollate", "IT", "Lombardia", None, 0),
        PrisonRow(uuid.uuid4(), "Évry", "FR", "", PrisonType.WOMEN, 1),
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
    assert column(model, prison_table.RELATIVES) == ["4", "12", "0", "1"]
    assert model.data(model.index(9, 0)) is None
    assert model.data(model.index(0, prison_table.COUNTRY), Qt.ItemDataRole.ToolTipRole) == "IT"
    assert isinstance(model.data(model.index(0, 0), prison_table.ROW_ROLE), PrisonRow)


def test_headers_are_translated_names() -> None:
    model = PrisonTableModel()
    headers = [
        model.headerData(n, Qt.Orientation.Horizontal) for n in range(prison_table.COLUMN_COUNT)
    ]
    assert headers == ["Name", "Country", "Region", "Type", "Imprisoned relatives"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_sorting_by_name_ignores_accents_and_case() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.NAME)
    assert column(model, prison_table.NAME) == ["Bollate", "Évry", "Fresnes", "Opera"]
    model.sort(prison_table.NAME, Qt.SortOrder.DescendingOrder)
    assert column(model, prison_table.NAME) == ["Opera", "Fresnes", "Évry", "Bollate"]


def test_sorting_numbers_as_numbers() -> None:
    model = PrisonTableModel(rows())
    model.sort(prison_table.RELATIVES)
    assert column(model, prison_table.RELATIVES) == ["0", "1", "4", "12"]


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
