"""The value lists events and APIs share, validated on both sides: a producer cannot publish a
value outside them and a consumer refuses one (SPEC §2, §8). Privacy levels live in
shared.privacy and statuses in shared.lifecycle, beside their rules."""

from __future__ import annotations

from marshmallow import validate

from shared import lifecycle, privacy

CHANNELS = ("web", "mobile", "sms", "twitter", "email", "open311", "walk_in")
CLASSIFICATIONS = ("complaint", "aspiration", "information_request")
LANGUAGES = ("id", "en")
PRIVACY_LEVELS = privacy.LEVELS
STATUSES = tuple(lifecycle.STATUSES)

CHANNEL = validate.OneOf(CHANNELS)
CLASSIFICATION = validate.OneOf(CLASSIFICATIONS)
LANGUAGE = validate.OneOf(LANGUAGES)
PRIVACY = validate.OneOf(PRIVACY_LEVELS)
