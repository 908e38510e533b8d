"""What every HTTP request and response of the app goes through, whichever blueprint answers it:
the request id and the access log (access). Each module registers itself with one call from create_app.
"""
