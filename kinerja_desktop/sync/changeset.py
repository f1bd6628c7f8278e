"""The changes of a received bundle, kept as the ``changes.jsonl`` bytes it came in.

A parsed change costs about 1.7 kB of Python objects; its JSON line about 600 bytes. So the
bundle's lines are checked once, in chunks, when the bundle is read (``bundle_reader``), and
only their positions are kept, per table. The apply parses one chunk of one table at a time
(``chunks``), so memory stays near the size of the bundle's text, whatever the row count.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator

#: Changes parsed at once (one JSON document of this many lines).
CHUNK = 5000


class ChangeSet:
    """Changes grouped by table, in the order they came, parsed on demand."""

    def __init__(self, data: bytes, spans: dict[str, array], newest_hlc: str = "") -> None:
        self._data = data
        #: The greatest stamp among the changes (stamps of equal width sort as text; "" when none).
        self.newest_hlc = newest_hlc
        #: table -> [start0, end0, start1, end1, ...] byte positions of its lines in ``data``.
        self._spans = spans

    @classmethod
    def from_list(cls, changes: list[dict]) -> ChangeSet:
        """A change set of already parsed changes (tests, tools)."""
        encoded = [json.dumps(c, ensure_ascii=False).encode() for c in changes]
        data = b"\n".join(encoded)
        spans: dict[str, array] = {}
        pos = 0
        for c, line in zip(changes, encoded, strict=True):
            spans.setdefault(c["table"], array("q")).extend((pos, pos + len(line)))
            pos += len(line) + 1
        return cls(data, spans, max((c["hlc"] for c in changes), default=""))

    def tables(self) -> list[str]:
        return list(self._spans)

    def count(self, table: str) -> int:
        return len(self._spans.get(table, ())) // 2

    def __len__(self) -> int:
        return sum(len(s) for s in self._spans.values()) // 2

    def chunks(self, table: str, size: int = CHUNK) -> Iterator[list[dict]]:
        """The table's changes, ``size`` at a time, freshly parsed."""
        spans, data = self._spans.get(table), self._data
        if not spans:
            return
        for first in range(0, len(spans), 2 * size):
            part = spans[first : first + 2 * size]
            body = b",".join(data[part[i] : part[i + 1]] for i in range(0, len(part), 2))
            yield json.loads(b"[" + body + b"]")

    def __iter__(self) -> Iterator[dict]:
        for table in self._spans:
            for chunk in self.chunks(table):
                yield from chunk

    __hash__ = None  # type: ignore[assignment]  # compared by content, never a dict key

    def __eq__(self, other) -> bool:
        if isinstance(other, ChangeSet):
            return list(self) == list(other)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented
