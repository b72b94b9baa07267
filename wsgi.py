"""WSGI entry point for a production server: `gunicorn wsgi:app`."""
from goalsapp import create_app

app = create_app()
