# Paicha: the wheel CI proves (tools/wheel_smoke.py), installed the way CI installs it. System
# packages and fonts come from the same scripts CI runs (tools/install_system.sh, install_fonts.sh).

# --- 1: the wheel, from the package's own files only ------------------------------------------
FROM python:3.11-slim-bookworm AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml ./
COPY schemas/ schemas/
COPY service/ service/
COPY templates_docx/ templates_docx/
COPY templates_xlsx/ templates_xlsx/
RUN pip wheel --no-cache-dir --no-deps -w /dist .

# --- 2: LibreOffice, uno, fonts, and the wheel without extras ----------------------------------
FROM debian:bookworm-slim
ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# run-time packages only (no --with-test-tools); install_fonts.sh reads the font map it installs
WORKDIR /opt/paicha-setup
COPY tools/install_system.sh tools/install_fonts.sh tools/
COPY service/pdf/fonts.conf service/pdf/
RUN bash tools/install_system.sh && bash tools/install_fonts.sh && rm -rf /var/lib/apt/lists/*

# Debian's python3 with system site-packages: the unoserver side needs python3-uno. The artifacts
# directory exists in the image so that a volume mounted on it (docker-compose.yml) belongs to paicha.
COPY --from=wheel /dist/ /tmp/dist/
RUN /usr/bin/python3 -m venv --system-site-packages /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir /tmp/dist/paicha-*.whl \
    && rm -rf /tmp/dist /opt/paicha-setup \
    && useradd --create-home --uid 10001 paicha \
    && mkdir -p /var/lib/paicha/instance /var/lib/paicha/artifacts && chown -R paicha /var/lib/paicha

# an empty directory: the service runs from the installed package, never from source files here
WORKDIR /var/lib/paicha
USER 10001
ENV PATH=/opt/venv/bin:$PATH HOME=/home/paicha PAICHA_INSTANCE_DIR=/var/lib/paicha/instance
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python3", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# service.gunicorn_conf: the master starts the machine's PDF pool server, then forks the workers.
CMD ["gunicorn", "-c", "python:service.gunicorn_conf", "--bind", "0.0.0.0:8000", "service.wsgi:app"]
