# The app as a container: python:3.11-slim, the pinned requirements, Noto CJK fonts for Korean chart images.
#   docker build -t big10-explorer .
#   docker run --rm -p 8501:8501 big10-explorer        # then open http://localhost:8501
# tests/test_deploy.py runs this file's CMD (and HEALTHCHECK) outside Docker; see docs/HOSTING.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Same list as packages.txt (Streamlit Community Cloud's apt file): vl-convert needs a CJK font for Korean text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 app
COPY --chown=app:app . .
# the app's own modules byte-compiled once: with PYTHONDONTWRITEBYTECODE every start compiled them (~65 ms)
RUN python -m compileall -q scenarios ui
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.read().strip() == b'ok' else 1)"

CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
