"""The pure core: reading, validating and deriving the state of plans. No MkDocs import here."""
