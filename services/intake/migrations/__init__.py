"""intake's schema history: Alembic revisions in versions/, run by shared.migrations."""
