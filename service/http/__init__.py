"""What every HTTP request and response of the app goes through, whichever blueprint answers it:
the request id and the access log (access), the security headers and size limit (security), and
the request metrics (metrics), and the JSON encoder of every answer (fastjson). Each module registers itself with one call from create_app.
"""
