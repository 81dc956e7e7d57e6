"""The project's web app (Sanic): the staff review pages for safeguarding
records and the chat widget's static files, demo page and clause lookups.

- `settings`: configuration from the environment (`WebSettings.from_env`).
- `app`: `create_app(settings)` builds the app; `python -m bot web` runs it.
- `review`: login, roles, record lists and pages, status changes, audit trail.
- `widget`: widget.js and its assets, the demo intranet page, clause texts.

Importing this package opens nothing (no database, no sockets).
"""
