"""Topics: what the pipeline follows, one programme of institutes each, read from topic files
(docs/topic-files.md). The configuration names them; everything below takes a `Topic` or a
`TopicSet` and never reads a topic file itself."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from iot_ingest.errors import UsageError
from iot_ingest.topics.files import builtin_topics, load_topic_file
from iot_ingest.topics.topic import Prefilter, Topic, TopicSet

__all__ = ["Prefilter", "Topic", "TopicSet", "builtin_topics", "load_topic_file", "load_topics"]


def load_topics(refs: Sequence[tuple[str, str | None]]) -> TopicSet:
    """The topics named by (name, file) pairs, in order; a pair without a file is a built-in topic."""
    topics = []
    builtin = builtin_topics()
    for name, file in refs:
        if file is not None:
            topics.append(load_topic_file(Path(file), name))
        elif name in builtin:
            topics.append(load_topic_file(builtin[name], name))
        else:
            known = ", ".join(sorted(builtin)) or "none"
            raise UsageError(f"topic {name!r} is not built in (built-in topics: {known}); give its file")
    owners: dict[str, Topic] = {}
    for topic in topics:
        for key in sorted(topic.subject.registry.keys):
            if (other := owners.setdefault(key, topic)) is not topic:
                raise UsageError(
                    f"topic {topic.name!r} ({topic.source}): institute key {key!r} is also topic {other.name!r}'s "
                    f"({other.source}); keys are institute ids and must be unique across topics"
                )
    return TopicSet(tuple(topics))
