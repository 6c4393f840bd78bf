"""The therapist's workspace: dashboard, pages, access, figures, team, settings, clients, inbox, import."""
