"""What every HTTP request and response of the app goes through, whichever blueprint answers it:
the request id and the access log (access), the security headers and size limit (security), the
request metrics (metrics), the JSON encoder of every answer (fastjson), the one error mapping
(errors). Each of these registers itself with one call from create_app. The API and the pages
also share reading a JSON body (body) and sending a file with its Chinese name (downloads).
"""
