"""gunicorn settings, for `make run` and the container: several workers, one PDF pool per machine.

Workers and threads come from the one config (PAICHA_WEB_WORKERS, PAICHA_WEB_THREADS). The
master starts the machine's PDF pool server before it forks the workers and tells them where
it listens (PAICHA_PDF_POOL_URL); every worker sends its conversions there.
"""
from service import config as _config

_settings = _config.load()

workers = _settings["WEB_WORKERS"]
threads = _settings["WEB_THREADS"]
timeout = 150  # above the 60 s conversion deadline, with room for the one retry
graceful_timeout = 30
