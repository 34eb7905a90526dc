"""Allow ``python -m vskg`` as well as the ``vskg`` script."""

from vskg.cli import app

app(prog_name="vskg")
