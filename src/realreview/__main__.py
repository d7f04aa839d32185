"""``python -m realreview``."""

from realreview.cli import app

app()
