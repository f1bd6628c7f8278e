"""The document kinds the program knows (see ``services.documents`` for how to add one).

Each module registers its kinds when imported; importing this package registers them all.
"""

# The order here is the order the window offers them.
from kinerja_desktop.services.documents.kinds import evaluations, skp, recaps, regulation, pengaduan, pegawai  # noqa: F401, I001
