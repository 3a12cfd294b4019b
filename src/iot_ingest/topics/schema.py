"""A topic file as validated models (docs/topic-files.md): every pattern compiles, every key is
unique, every date is a date. Errors name the field; `files.py` adds the file."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["InstituteEntry", "RegistryFile", "TopicFile"]

TOPIC_NAME = r"^[a-z][a-z0-9_-]{0,63}$"
Text = Annotated[str, Field(min_length=1)]  # an empty word or pattern matches everywhere


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str, flags: int = re.IGNORECASE) -> str:
    try:
        re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


class RuleEntry(_Model):
    label: str = Field(min_length=1)
    pattern: str = Field(min_length=1)
    weight: float = Field(allow_inf_nan=False)
    max_hits: int = Field(default=3, ge=1, le=1000)
    min_hits: int = Field(default=1, ge=1, le=1000)
    context: str | None = None

    _pattern = field_validator("pattern")(_compiles)

    @field_validator("context")
    @classmethod
    def _context(cls, value: str | None) -> str | None:
        return None if value is None else _compiles(value)


class PrefilterEntry(_Model):
    keep: str | None = None
    raw_hints: list[Text] = Field(default_factory=list)
    raw: str | None = None

    @field_validator("keep")
    @classmethod
    def _keep(cls, value: str | None) -> str | None:
        return None if value is None else _compiles(value)

    @field_validator("raw")
    @classmethod
    def _raw(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value.encode())
            except re.error as exc:
                raise ValueError(f"not a valid bytes regular expression: {exc}") from None
        return value


class KindsEntry(_Model):
    competition: list[Text] = Field(default_factory=list)
    shortlist: list[Text] = Field(default_factory=list)
    designation: list[Text] = Field(default_factory=list)
    opening: list[Text] = Field(default_factory=list)
    funding: list[Text] = Field(default_factory=list)

    @field_validator("competition", "shortlist", "designation", "opening", "funding")
    @classmethod
    def _patterns(cls, values: list[str]) -> list[str]:
        return [_compiles(v) for v in values]


class VocabularyEntry(_Model):
    nouns: list[Text] = Field(default_factory=list)
    name_suffixes: list[Text] = Field(default_factory=list)
    elsewhere: list[Text] = Field(default_factory=list)
    organisations: list[Text] = Field(default_factory=lambda: ["College", "Colleges", "University", "Group"])
    places: list[Text] = Field(default_factory=list)
    common_words: list[Text] = Field(default_factory=list)
    roles: list[Text] = Field(default_factory=list)
    kinds: KindsEntry = Field(default_factory=KindsEntry)

    @field_validator("nouns", "roles")
    @classmethod
    def _patterns(cls, values: list[str]) -> list[str]:
        return [_compiles(v) for v in values]


class InstituteEntry(BaseModel):
    """One institute. Fields of its own a registry keeps beside these (a region, a web site, notes)
    are allowed and left alone: a registry is also its author's record."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    lead: str | None = Field(default=None, min_length=1)  # its own name stands in when none is known
    name: str | None = Field(default=None, min_length=1)
    aliases: list[Text] = Field(default_factory=list)
    partners: list[Text] = Field(default_factory=list)
    places: list[Text] = Field(default_factory=list)
    wave: int | None = Field(default=None, ge=0, le=1000, validation_alias=AliasChoices("wave", "cohort"))
    status: Literal["designated", "shortlisted", "proposed"] | None = None
    announced_on: date | None = None
    opened_on: date | None = None

    @model_validator(mode="after")
    def _named(self) -> InstituteEntry:
        if self.lead is None and self.name is None:
            raise ValueError("an institute needs a lead or a name")
        return self

    @property
    def status_or_default(self) -> str:
        return self.status or ("designated" if self.wave else "proposed")

    @property
    def lead_or_name(self) -> str:
        return self.lead or self.name or self.key


def _unique_keys(institutes: list[InstituteEntry]) -> None:
    keys = [i.key for i in institutes]
    if twice := sorted({k for k in keys if keys.count(k) > 1}):
        raise ValueError(f"institute key {twice[0]!r} is used twice")


_INSTITUTES = AliasChoices("institute", "institutes")  # [[institute]], or [[institutes]] as some write it


class RegistryFile(_Model):
    institute: list[InstituteEntry] = Field(default_factory=list, validation_alias=_INSTITUTES)

    @model_validator(mode="after")
    def _keys(self) -> RegistryFile:
        _unique_keys(self.institute)
        return self


class TopicFile(_Model):
    name: str | None = Field(default=None, pattern=TOPIC_NAME)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    threshold: float = Field(gt=0, allow_inf_nan=False)
    registry: str | None = Field(default=None, min_length=1)
    required: list[RuleEntry] = Field(min_length=1)
    supporting: list[RuleEntry] = Field(default_factory=list)
    negative: list[RuleEntry] = Field(default_factory=list)
    prefilter: PrefilterEntry = Field(default_factory=PrefilterEntry)
    vocabulary: VocabularyEntry = Field(default_factory=VocabularyEntry)
    institute: list[InstituteEntry] = Field(default_factory=list, validation_alias=_INSTITUTES)

    @model_validator(mode="after")
    def _keys(self) -> TopicFile:
        _unique_keys(self.institute)
        return self
