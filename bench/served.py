"""The app as gunicorn serves it for the load run: `gunicorn bench.served:app`, floor route included."""
from .floor import app_with_floor

app = app_with_floor()
