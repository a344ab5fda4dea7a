"""The HTTP JSON doors: reports, reporter accounts, the public listing, regions and the
identity-read log."""
