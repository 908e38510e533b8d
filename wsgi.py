"""What gunicorn serves: `gunicorn wsgi:app`."""
from service import create_app

app = create_app()
