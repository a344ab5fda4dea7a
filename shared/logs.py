"""Log lines never carry personal data or SQL.

An exception's text can hold both (SQLAlchemy puts the statement and its parameters in it, and
a validation message may quote the input), so the filter keeps an exception's type and the
frames it went through, and drops its text — wherever the record came from, nameko included.
"""

from __future__ import annotations

import logging
import traceback


class RedactExceptions(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _withheld(arg) if isinstance(arg, BaseException) else arg for arg in record.args
            )
        if record.exc_info and record.exc_info[1] is not None:
            _, exc, tb = record.exc_info
            frames = "".join(
                f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                for frame in traceback.extract_tb(tb)
            )
            record.msg = (
                f"{record.getMessage()}\nTraceback (text withheld):\n{frames}{_withheld(exc)}"
            )
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def _withheld(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__name__} (message withheld)"
