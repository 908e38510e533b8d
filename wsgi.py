"""What gunicorn serves: `gunicorn wsgi:app`. The PDF pool starts with the worker."""
from service import create_app

app = create_app({"PDF_START_ON_BOOT": True})
