"""Excel in and out, shared by every import and export (.xlsx through openpyxl).

* core.sheets.reading — opening an upload safely (size, zip and XML bombs, .xls, not a
  workbook), BadWorkbook, RowResult and ReadResult, read_bytes.
* core.sheets.sheet — Column, open_sheet and Sheet: a sheet found by name, its header row
  mapped, merged cells and too many rows refused; rows streamed.
* core.sheets.rows — Row and its typed readers, Lookup, check_unique.
* core.sheets.stash — the upload kept between the dry run and the confirmation.
* core.sheets.flow — run_import: the upload → dry run → confirm page of every import.
* core.sheets.writing — SheetWriter, Out, xlsx_response: writing workbooks and serving them.

Validate first, write all or nothing: an import reads every row, reports every error as (row,
column header, message) and writes only when there is none.
"""
