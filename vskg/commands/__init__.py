"""The commands of the vskg CLI, one module per theme, each with ``register(app)`` that adds its commands to the
``vskg`` app under its help panel (`vskg.commands.common` names the panels); `vskg.cli` calls them in order."""
