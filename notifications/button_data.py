"""What a button under a staff message carries: a prefix naming the action and its values,
packed as ``prefix:value:value`` within Telegram's 64 bytes.

The packing is aiogram's ``CallbackData`` format, so buttons sent before keep working, but
declared without aiogram: the alerts that put buttons under their messages are written by
processes that never talk to Telegram (the folding process, ``dozvon import``), and aiogram
takes seconds and a hundred megabytes to import. The staff bot routes a pressed button to its
handler with :class:`notifications.bot.pressing.Pressed`. Values are integers and strings.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel

# Telegram's limit for a button's callback data, in bytes.
MAX_BYTES = 64
SEPARATOR = ":"


class ButtonData(BaseModel):
    """Subclass with ``prefix=``: ``class CardAction(ButtonData, prefix="card"): id: int``."""

    __prefix__: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "prefix" not in kwargs:
            raise ValueError(f"{cls.__name__}: a button's data needs a prefix")
        prefix = kwargs.pop("prefix")
        if SEPARATOR in prefix:
            raise ValueError(f"{cls.__name__}: the prefix {prefix!r} contains {SEPARATOR!r}")
        cls.__prefix__ = prefix
        super().__init_subclass__(**kwargs)

    def pack(self) -> str:
        """The button's callback data; ValueError if a value cannot be packed or it is too long."""
        parts = [self.__prefix__]
        for key, value in self.model_dump(mode="python").items():
            if not isinstance(value, int | str) or isinstance(value, bool):
                raise ValueError(f"{key}={value!r}: only integers and strings are packed")
            text = str(value)
            if SEPARATOR in text:
                raise ValueError(f"{key}={text!r} contains {SEPARATOR!r}")
            parts.append(text)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > MAX_BYTES:
            raise ValueError(f"{packed!r} is longer than Telegram's {MAX_BYTES} bytes")
        return packed

    @classmethod
    def unpack(cls, value: str) -> Self:
        """What :meth:`pack` made; TypeError for another number of values, ValueError for
        another prefix or a value of the wrong kind."""
        prefix, *parts = value.split(SEPARATOR)
        names = list(cls.model_fields)
        if len(parts) != len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} values, {len(parts)} were given")
        if prefix != cls.__prefix__:
            raise ValueError(f"the prefix {prefix!r} is not {cls.__prefix__!r}")
        return cls(**dict(zip(names, parts, strict=True)))
