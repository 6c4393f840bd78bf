"""The therapist workspace feature: the /t pages and the import commands.

``create_app`` loads this module by name and calls ``init_app``.
"""


def init_app(app):
    from portal.web.workspace import register
    from portal.web.workspace.cli import import_appointments, import_clients

    register(app)
    app.cli.add_command(import_clients)
    app.cli.add_command(import_appointments)
