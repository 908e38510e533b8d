"""gunicorn settings from a checkout: the same as the installed package's service.gunicorn_conf."""
from service.gunicorn_conf import *  # noqa: F401,F403
