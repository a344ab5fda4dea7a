import io
import logging

from shared.logs import RedactExceptions


def test_exception_text_never_reaches_the_log_but_its_type_and_frames_do():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactExceptions())
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("INSERT INTO reports VALUES ('Andi', '+6281234567890')")
        except ValueError as exc:
            logger.exception("error handling worker %s: %s", "<intake.submit>", exc)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "+6281234567890" not in text and "INSERT" not in text
    assert "error handling worker <intake.submit>: builtins.ValueError (message withheld)" in text
    assert "test_logs.py" in text  # the frames are kept for the engineer on call
