"""Privacy levels (SPEC §3). The full per-viewer filter grows here; every output uses it."""

PUBLIC = "public"
ANONYMOUS = "anonymous"
CONFIDENTIAL = "confidential"
LEVELS = (PUBLIC, ANONYMOUS, CONFIDENTIAL)
