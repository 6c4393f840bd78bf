"""Zappa's app_function. Keep it cheap: no AWS call happens at import."""
from portal import create_app

app = create_app()
