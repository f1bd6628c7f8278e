"""The unit tree for unit pickers, read through the operation layer.

A :class:`~kinerja_desktop.ui.pickers.UnitPicker` asks for the tree synchronously when its
popup opens; a page hands it a :class:`UnitSource`, which loads the tree with
``ctx.query`` when made and again whenever units change (the ``units`` kind on the bus),
and answers with the newest tree it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from kinerja_desktop.services.roster.query import unit_tree


class UnitSource:
    """Callable returning the loaded unit tree (empty until the first answer)."""

    def __init__(self, ctx, owner: QObject, on_loaded: Callable[[list], Any] | None = None) -> None:
        self.ctx = ctx
        self.owner = owner
        self.nodes: list = []
        self.loaded = False
        self.on_loaded = on_loaded
        ctx.bus.subscribe({"units"}, self.reload, owner)
        self.reload()

    def reload(self) -> None:
        self.ctx.query(unit_tree, self._loaded, owner=self.owner, key=f"units-{id(self)}")

    def _loaded(self, nodes: list) -> None:
        self.nodes = nodes
        self.loaded = True
        if self.on_loaded is not None:
            self.on_loaded(nodes)

    def __call__(self) -> list:
        return self.nodes
