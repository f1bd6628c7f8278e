"""Sync between offices and the central office by signed, encrypted bundle files.

See ``shared/design/sync.md``. Transport-agnostic entry points (file, shared folder, HTTP):

- :func:`kinerja_desktop.sync.export.export_bundle` -> :class:`ExportResult` (``.data`` bytes)
- :func:`kinerja_desktop.sync.importer.import_bundle` (bytes in, :class:`ImportResult` out,
  with the ack bundle's bytes in ``.ack``)

No Qt here (an import-linter contract enforces it).
"""
