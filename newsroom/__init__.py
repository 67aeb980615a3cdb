"""The Newsroom Django project."""
