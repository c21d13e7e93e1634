# Read by gunicorn from the working directory, whichever command starts it (the
# Dockerfile, docker-compose.yml, scripts/run_embedded.py): a survey link's token is
# written redacted in the access log (teamhub/lib/redact.py).
logger_class = "teamhub.lib.access_log.GunicornLogger"
