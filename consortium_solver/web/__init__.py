"""``consortium serve``: a local web app for organisers — upload a sheet, read its import report,
make groups over rounds with live progress, adjust them by hand with every change judged by the
independent validator, and download the day's plan. See docs/architecture.md ("The web app")."""

from consortium_solver.web.app import create_app, new_token

__all__ = ["create_app", "new_token"]
