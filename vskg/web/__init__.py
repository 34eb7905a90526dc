"""The browser side of vskg: server-rendered pages, their templates and static files, shipped with the package.

No build step: templates are Jinja2, scripts are plain ES modules, and the one third-party front end (YASGUI)
is vendored under ``static/vendor`` with its licence.
"""
