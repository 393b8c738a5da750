"""The interchange workbook (INTERCHANGE.md): how records come in from spreadsheets and go out."""
