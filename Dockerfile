# Paicha: the same service `make run` starts. System packages and fonts come from the same scripts
# CI runs (tools/install_system.sh, tools/install_fonts.sh), so a green CI proves these lines.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY tools/install_system.sh tools/install_fonts.sh tools/
COPY fonts/ fonts/
RUN bash tools/install_system.sh && bash tools/install_fonts.sh && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY schemas/ schemas/
COPY service/ service/
COPY templates_docx/ templates_docx/
COPY templates_xlsx/ templates_xlsx/
COPY wsgi.py gunicorn.conf.py ./
# Debian's python3 with system site-packages: the unoserver side needs python3-uno.
RUN /usr/bin/python3 -m venv --system-site-packages /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 paicha \
    && mkdir -p /app/instance && chown paicha /app/instance

USER 10001
ENV PATH=/opt/venv/bin:$PATH HOME=/home/paicha
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python3", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# gunicorn.conf.py: one worker owning the LibreOffice pool, timeout above the conversion deadline.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "wsgi:app"]
