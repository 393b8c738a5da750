"""Words and figures beside a report's numbers, in the language in force."""

from __future__ import annotations

from cope_desktop import i18n
from cope_desktop.reports import categories as cat
from cope_desktop.reports import labels


def test_every_table_has_a_title_and_a_note() -> None:
    for table_id in cat.TABLE_IDS:
        assert labels.table_title(table_id)
        assert labels.table_note(table_id).endswith(".")
        assert len(labels.short_title(table_id)) <= 31


def test_categories_in_words() -> None:
    assert labels.category_label("age_band", "10-14") == "10-14"
    assert labels.category_label("age_band", "unknown") == "Unknown"
    assert labels.category_label("sex", "not_stated") == "Not stated"
    assert labels.category_label("relationship", "other") == "Other relative"
    assert labels.category_label("custody_status", "pre_trial") == "Pre-trial detention"
    assert labels.category_label("custody_status", "unknown") == "Unknown"
    assert labels.category_label("activity_type", "game_with_mum_and_dad") == "Game with Mum & Dad"
    assert labels.category_label("referral_source", "self") == "The family itself"
    assert labels.category_label("rating", "negative") == "Unhappy"
    assert labels.category_label("measure", "hours") == "Hours of activity"
    assert labels.category_label("measure", "feedback_neutral") == "Children's feedback: So-so"
    assert labels.category_label("month", "2025-03") == "March 2025"
    assert labels.category_label("prison", "Casa Circondariale (IT)") == "Casa Circondariale (IT)"


def test_figures_in_english_and_french() -> None:
    assert labels.format_value(1046) == "1,046"
    assert labels.format_value(424.0, decimals=1) == "424.0"
    assert labels.suppressed_text(5) == "<5"
    i18n.set_language("fr")
    try:
        assert labels.format_value(1046) == "1\u202f046"
        assert labels.format_value(1234.5, decimals=1) == "1\u202f234,5"
        assert labels.category_label("month", "2025-03") == "mars 2025"
    finally:
        i18n.set_language("en")
