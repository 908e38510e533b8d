"""What gunicorn serves from an installed package: `gunicorn -c python:service.gunicorn_conf service.wsgi:app`."""
from service import create_app

app = create_app()
