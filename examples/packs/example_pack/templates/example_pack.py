"""Record counts for `{{connector}}` runs: how many records and batches a run moved."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any


class {{Class}}RecordCounter:
    """Counts the records passing through it, batch by batch."""

    def __init__(self) -> None:
        self.records = 0
        self.batches = 0

    def count(self, batch: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """Yield every record of `batch` unchanged, counting it."""
        self.batches += 1
        for record in batch:
            self.records += 1
            yield record

    def summary(self) -> dict[str, int]:
        """The counts, as the run's evidence records them."""
        return {"records": self.records, "batches": self.batches}
