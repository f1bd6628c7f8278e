"""The document kinds the program knows (see ``services.documents`` for how to add one).

Each module registers its kinds when imported; importing this package registers them all.
"""

from kinerja_desktop.services.document_kinds import evaluations, recaps, skp  # noqa: F401
