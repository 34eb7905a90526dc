"""Command groups of the vskg CLI, each a typer app the main CLI mounts."""
