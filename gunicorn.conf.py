"""gunicorn settings for `make run` and the container: one worker owns the LibreOffice pool."""

workers = 1  # the PDF pool lives in the worker; more workers would fight over its ports
threads = 8
timeout = 150  # above the 60 s conversion deadline, with room for the one retry
graceful_timeout = 30


def post_worker_init(worker):
    """Warm the PDF pool as the worker starts (not in `flask` CLI runs, which import wsgi too)."""
    from service.pdf_runtime import converter_for

    converter_for(worker.wsgi)
