"""What a topic's facts are about: its registry and its vocabulary, handed to every fact extractor."""

from __future__ import annotations

from dataclasses import dataclass, field

from iot_ingest.extract.facts.registry import Registry
from iot_ingest.extract.facts.vocabulary import Vocabulary

__all__ = ["Subject"]


@dataclass(frozen=True)
class Subject:
    registry: Registry = field(default_factory=Registry)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
