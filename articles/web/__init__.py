"""Public pages for readers."""
