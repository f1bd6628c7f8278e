"""The central office's sync server: ``kinerja central serve --db postgresql://...``.

- :mod:`signing`: how offices sign requests (shared with ``sync.http_client``);
- :mod:`state`: the operations (authenticate, uploads, apply once, downstream exports);
- :mod:`app`: the FastAPI routes; :mod:`run`: uvicorn.

Importing this package does not import the web framework (the desktop client only needs
:mod:`signing`).
"""
