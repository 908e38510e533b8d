"""What gunicorn serves from a checkout: `gunicorn -c gunicorn.conf.py wsgi:app` (same app as service.wsgi)."""
from service.wsgi import app  # noqa: F401
